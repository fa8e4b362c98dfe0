import { TOPICS } from '../../processes/topics.ts';
import { isClosedCase } from '../codes/case-codes.ts';
import { staffToNotify } from '../org-chart/index.ts';
import type { Db } from '../db/client.ts';
import type { EngineClient } from '../engine/client.ts';
import { renderNotice } from '../mail/templates/notice.ts';
import { roDate } from '../mail/templates/render.ts';
import {
  businessClock,
  endOfBusinessDay,
  clockMoments,
  clockPaused,
  nextCheckWhilePaused,
  nonWorkingDaysOf,
} from '../deadlines/index.ts';
import {
  hasOutgoingMessage,
  loadCaseContext,
  recordOutgoingMessage,
  recordWorkerStep,
} from '../cases/index.ts';
import { defineWorker, requireString } from './worker.ts';

export interface WarningRecipient {
  id: string;
  name: string;
  email: string;
}

/**
 * Who is warned: the holder of each open task of the case (called sub-processes included); for a task nobody has
 * taken yet, every active member of its job roles. With no open user task (e.g. waiting for the operator), the
 * members of the case's verification role, else the head of service (SEF).
 */
export async function warningRecipients(
  db: Db,
  engine: EngineClient,
  tenantId: string,
  number: string,
  fallbackRole: string | null,
): Promise<{ recipients: WarningRecipient[]; tasks: string[] }> {
  const tasks = await engine.queryTasks(
    { tenantIdIn: [tenantId], processInstanceBusinessKey: number },
    { firstResult: 0, maxResults: 50 },
  );
  const userIds = new Set<string>();
  const roles = new Set<string>();
  for (const t of tasks) {
    if (t.assignee) userIds.add(t.assignee);
    else for (const g of await engine.getCandidateGroups(t.id)) roles.add(g);
  }
  // Nobody may miss a warning: with no open user task and no verification role (a case still being acknowledged,
  // waiting for the consumer or the operator), the head of service (SEF) is warned.
  if (tasks.length === 0) roles.add(fallbackRole ?? 'SEF');
  const recipients = await staffToNotify(db, tenantId, { userIds: [...userIds], roles: [...roles] });
  return { recipients, tasks: tasks.map((t) => t.name) };
}

/**
 * Warns before the due date: an internal timeline entry the inbox and supervisor views show, and an e-mail in
 * Romanian to the task holder (or the role's members). Sent at most once per case and due date: an extended
 * deadline warns again. Part of the case's one clock (an event sub-process, whatever the case waits for): it reads
 * the case's current due date and answers with the next moment to look again (`warnCheckAt`, null when done):
 * the warning moment of a moved due date, the next working day while the clock is paused, the end of the due day
 * after warning (an extension approved in the last days warns again).
 */
export const deadlineWarningWorker = defineWorker({
  topic: TOPICS.deadlineWarning,
  variables: ['caseId', 'verificationRole'],
  lockDurationMs: 30_000,
  async handler(task, deps) {
    const ctx = await loadCaseContext(deps, task.tenantId, requireString(task, 'caseId'));
    const extra = await nonWorkingDaysOf(deps.db, task.tenantId);
    const now = new Date();
    const done = { kind: 'complete' as const, variables: { warnCheckAt: null } };
    if (ctx.c.answerCommunicatedAt || isClosedCase(ctx.c.status)) return done;
    if (clockPaused(ctx.c, ctx.tenant))
      return {
        kind: 'complete',
        variables: {
          warnCheckAt: nextCheckWhilePaused(businessClock(now).date, { extraNonWorkingDays: extra }),
        },
      };
    const moments = clockMoments(ctx.c.dueDate, ctx.tenant, { extraNonWorkingDays: extra });
    if (now.getTime() < new Date(moments.warnAt).getTime())
      return { kind: 'complete', variables: { warnCheckAt: moments.warnAt } };
    const dueEnd = endOfBusinessDay(ctx.c.dueDate);
    if (now.getTime() >= new Date(dueEnd).getTime()) return done;
    const roleVar = task.variable('verificationRole');
    const role = typeof roleVar === 'string' && roleVar ? roleVar : null;
    const { recipients, tasks } = deps.engine
      ? await warningRecipients(deps.db, deps.engine, task.tenantId, ctx.c.number, role)
      : { recipients: [], tasks: [] };
    const kind = `deadline_warning.${ctx.c.dueDate}`;
    const domain = new URL(ctx.tenant.publicUrl).hostname || 'reclamatii.local';
    const messageId = `<${kind}.${ctx.c.id}@${domain}>`;
    const mail = recipients.length
      ? await renderNotice({
          supplier: ctx.tenant.name,
          subject: `Termen aproape de expirare: reclamația nr. ${ctx.c.number}`,
          paragraphs: [
            `Termenul legal de răspuns la reclamația nr. ${ctx.c.number} expiră pe ${roDate(ctx.c.dueDate)}.`,
            tasks.length
              ? `Sarcini deschise: ${tasks.join('; ')}.`
              : 'Cazul nu are acum o sarcină deschisă (se așteaptă un răspuns extern).',
            `Deschideți cazul: ${ctx.tenant.publicUrl}/cases/${encodeURIComponent(ctx.c.number)}`,
            'Dacă termenul nu poate fi respectat, anunțați șeful de serviciu înainte de expirare.',
          ],
        })
      : null;
    const sent = await deps.db.transaction(async (tx) => {
      if (!mail && (await hasOutgoingMessage(tx, ctx.c.id, kind))) return 'already-warned';
      if (mail) {
        // (case, kind) is unique: a retried task finds the row and does not e-mail the holders twice.
        const inserted = await recordOutgoingMessage(tx, {
          tenantId: ctx.c.tenantId,
          caseId: ctx.c.id,
          direction: 'out',
          kind,
          toAddress: recipients.map((r) => r.email).join(', '),
          subject: mail.subject,
          messageId,
        });
        if (!inserted) return 'already-warned';
        await deps.mailer.send({
          to: recipients.map((r) => r.email).join(', '),
          messageId,
          ...mail,
          headers: { 'X-Reclamatii-Case': ctx.c.number },
        });
      }
      await recordWorkerStep(
        tx,
        ctx,
        {
          action: 'case.deadline_warning',
          eventType: 'deadline_warning',
          message: `Termenul de răspuns expiră pe ${roDate(ctx.c.dueDate)}.${
            recipients.length ? ` Avertizați: ${recipients.map((r) => r.name).join(', ')}.` : ''
          }`,
          visibility: 'internal',
        },
        {},
        { dueDate: ctx.c.dueDate, role, recipients: recipients.map((r) => r.id) },
      );
      return 'warned';
    });
    deps.log.info({ case: ctx.c.number, sent }, 'deadline warning');
    // Look again at the end of the due day: an extension approved meanwhile moves the warning.
    return { kind: 'complete', variables: { warnCheckAt: dueEnd } };
  },
});
