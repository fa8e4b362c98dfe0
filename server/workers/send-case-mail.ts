import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { caseMessages, cases, type Case, type Tenant } from '../db/schema/index.ts';
import type { Tx } from '../db/client.ts';
import { DomainError } from '../errors.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { addCaseEvent, getCaseById } from '../cases/cases.repo.ts';
import { statusLinkOf } from '../cases/access-code.ts';
import { getTenant } from '../tenants/tenants.repo.ts';
import type { WorkerDeps } from './worker.ts';

export interface CaseContext {
  c: Case;
  tenant: Tenant;
  statusUrl: string;
  accessCode: string;
}

export async function loadCaseContext(
  deps: WorkerDeps,
  tenantId: string,
  caseId: string,
): Promise<CaseContext> {
  const [c, tenant] = await Promise.all([
    getCaseById(deps.db, tenantId, caseId),
    getTenant(deps.db, tenantId),
  ]);
  if (!c || !tenant) throw new DomainError('CASE_NOT_FOUND', { caseId });
  return { c, tenant, ...statusLinkOf(deps.secret, tenant, c.number) };
}

/**
 * Sends one message of a kind for a case at most once: the (case, kind) row is inserted in the same transaction
 * that sends, so a retried task finds it and does not e-mail the consumer twice.
 */
export async function sendCaseMailOnce(
  deps: WorkerDeps,
  ctx: CaseContext,
  kind: 'acknowledgement' | 'answer' | 'filed' | 'extension',
  mail: {
    subject: string;
    html: string;
    text: string;
    attachments?: Array<{ filename: string; content: Buffer; contentType: string }>;
  },
  after: (tx: Tx) => Promise<void>,
): Promise<'sent' | 'already-sent'> {
  const to = ctx.c.contactEmail;
  if (!to) throw new Error('Reclamația nu are o adresă de e-mail de contact.');
  const domain = new URL(ctx.tenant.publicUrl).hostname || 'reclamatii.local';
  const messageId = `<${kind}.${ctx.c.id}@${domain}>`;
  return deps.db.transaction(async (tx) => {
    const inserted = await tx
      .insert(caseMessages)
      .values({
        tenantId: ctx.c.tenantId,
        caseId: ctx.c.id,
        direction: 'out',
        kind,
        toAddress: to,
        subject: mail.subject,
        messageId,
        // Kept for the case page: what the consumer received, with the hashes of what was attached.
        text: mail.text,
        attachments: (mail.attachments ?? []).map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          size: a.content.length,
          sha256: createHash('sha256').update(a.content).digest('hex'),
        })),
      })
      .onConflictDoNothing()
      .returning({ id: caseMessages.id });
    if (inserted.length === 0) return 'already-sent';
    await deps.mailer.send({ to, messageId, ...mail, headers: { 'X-Reclamatii-Case': ctx.c.number } });
    await after(tx);
    return 'sent';
  });
}

export async function recordWorkerStep(
  tx: Tx,
  ctx: CaseContext,
  step: { action: string; eventType: string; message: string; visibility: 'public' | 'internal' },
  update: Partial<
    Pick<
      Case,
      | 'status'
      | 'answerSentAt'
      | 'closedAt'
      | 'breachedAt'
      | 'delayDays'
      | 'compensationLei'
      | 'dueDate'
      | 'originalDueDate'
      | 'extendedAt'
    >
  > = {},
  details: Record<string, unknown> = {},
) {
  if (Object.keys(update).length) await tx.update(cases).set(update).where(eq(cases.id, ctx.c.id));
  await addCaseEvent(tx, {
    tenantId: ctx.c.tenantId,
    caseId: ctx.c.id,
    type: step.eventType,
    visibility: step.visibility,
    message: step.message,
  });
  await appendAudit(tx, {
    tenantId: ctx.c.tenantId,
    actorKind: 'worker',
    action: step.action,
    entityType: 'case',
    entityId: ctx.c.id,
    details,
  });
}
