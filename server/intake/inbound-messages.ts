import type { DbOrTx } from '../db/client.ts';
import { putBlob } from '../documents/index.ts';
import { anonymiseInboundOfCase, insertInbound, recordQuarantine } from './mail/inbound.repo.ts';
import type { ParsedAttachment } from './mail/parse-message.ts';

export { inlineLease } from './mail/correlation.ts';

/**
 * Records a message that came in: an e-mail, or a consumer's portal submission recorded the same way so that one
 * correlation (mail/correlation.ts) attaches both to their case. The intake module owns the inbound tables
 * (server/db/schema/README.md); the portal asks here. Throws AlreadyRecordedError when the message exists.
 */
export function recordInboundMessage(
  tx: DbOrTx,
  row: Parameters<typeof insertInbound>[1],
  attachments: Array<Omit<ParsedAttachment, 'content'>>,
): Promise<string> {
  return insertInbound(tx, row, attachments);
}

/** Removes the personal data of what came in for a case (retention, erasure), in the caller's transaction. */
export function anonymiseReceivedOfCase(tx: DbOrTx, tenantId: string, caseId: string, removed: string) {
  return anonymiseInboundOfCase(tx, tenantId, caseId, removed);
}

/**
 * Keeps a message the watcher gave up on (unreadable, too big, failing again and again) for the intake officer's
 * quarantine page: its bytes unchanged, stored by SHA-256, with the reason and the folder it was moved to.
 */
export async function quarantineGivenUp(
  db: DbOrTx,
  tenantId: string,
  mail: { raw: Buffer; arrivedAt: Date },
  reason: string,
  folder: string,
): Promise<void> {
  const sha = await putBlob(db, tenantId, mail.raw);
  await recordQuarantine(db, {
    tenantId,
    rawSha256: sha,
    size: mail.raw.length,
    reason,
    folder,
    arrivedAt: mail.arrivedAt,
  });
}
