import { appendAudit, logCaseAccess } from '../audit/index.ts';
import { type Principal } from '../auth/index.ts';
import type { Db } from '../db/client.ts';
import { DomainError } from '../errors.ts';
import { getBlob } from '../documents/index.ts';
import { receivedMessagesOfCase } from '../cases/index.ts';

/** What came in for a case by e-mail or the portal, as a task shows it: the messages and their attachments. */
export function createInboxReceived(deps: { db: Db }) {
  const { db } = deps;

  /** What came in for the case by e-mail (the complaint and replies) with attachments; the view is audited. */
  async function received(p: Principal, caseId: string, taskId: string) {
    const messages = await receivedMessagesOfCase(db, p.tenantId, caseId);
    await appendAudit(db, {
      tenantId: p.tenantId,
      actorId: p.userId,
      actorKind: 'user',
      action: 'case.received_viewed',
      entityType: 'case',
      entityId: caseId,
      details: { taskId },
    });
    // The access log names each message read, and the task that led there (one insert for all of them).
    await logCaseAccess(db, {
      tenantId: p.tenantId,
      actorId: p.userId,
      subjectType: 'message',
      subjectIds: messages.map((m) => m.id),
      caseId,
      via: `task:${taskId}`,
    });
    return messages.map((m) => ({
      id: m.id,
      arrivedAt: m.arrivedAt.toISOString(),
      fromName: m.fromName,
      fromAddress: m.fromAddress,
      subject: m.subject,
      text: m.textBody,
      kind: m.kind,
      attachments: m.attachments.map((a) => ({
        id: a.id,
        filename: a.filename ?? `atasament-${a.id}`,
        contentType: a.contentType,
        size: a.size,
      })),
    }));
  }

  /** One attachment's bytes, only from this case of this tenant; every download is audited. */
  async function attachment(p: Principal, caseId: string, taskId: string, attachmentId: number) {
    const inbound = await receivedMessagesOfCase(db, p.tenantId, caseId);
    const message = inbound.find((m) => m.attachments.some((a) => a.id === attachmentId));
    const att = message?.attachments.find((a) => a.id === attachmentId);
    if (!message || !att) throw new DomainError('NOT_FOUND');
    const content = await getBlob(db, p.tenantId, att.sha256);
    if (!content) throw new DomainError('NOT_FOUND');
    await appendAudit(db, {
      tenantId: p.tenantId,
      actorId: p.userId,
      actorKind: 'user',
      action: 'case.attachment_downloaded',
      entityType: 'case',
      entityId: caseId,
      details: { taskId, attachmentId },
    });
    await logCaseAccess(db, {
      tenantId: p.tenantId,
      actorId: p.userId,
      subjectType: 'message',
      subjectIds: [message.id],
      caseId,
      via: `task:${taskId}`,
    });
    return {
      filename: att.filename ?? `atasament-${att.id}`,
      contentType: att.contentType,
      content,
    };
  }

  return { received, attachment };
}
