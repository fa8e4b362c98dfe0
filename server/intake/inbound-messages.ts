import type { DbOrTx } from '../db/client.ts';
import { insertInbound } from './mail/inbound.repo.ts';
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
  attachments: ParsedAttachment[],
): Promise<string> {
  return insertInbound(tx, row, attachments);
}
