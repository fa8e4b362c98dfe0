import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { cases } from '../db/schema/index.ts';

/**
 * Records when the answer counts as given, once: the first of SMTP acceptance, the letter's recorded dispatch or
 * the consumer's download of the answer from the portal (a later moment never replaces an earlier one). Returns
 * whether this call recorded it.
 */
export async function recordAnswerCommunication(
  db: DbOrTx,
  tenantId: string,
  caseId: string,
  at: Date,
  by: 'email' | 'post' | 'portal',
): Promise<boolean> {
  const rows = await db
    .update(cases)
    .set({ answerCommunicatedAt: at, answerCommunicatedBy: by })
    .where(and(eq(cases.tenantId, tenantId), eq(cases.id, caseId), isNull(cases.answerCommunicatedAt)))
    .returning({ id: cases.id });
  return rows.length > 0;
}
