import type { DbOrTx } from '../db/client.ts';
import { anonymiseCommentsOfCase } from './comments-retention.repo.ts';

/** Removes the text of the officers' comments on a case (retention, erasure), in the caller's transaction. */
export function anonymiseCaseComments(tx: DbOrTx, tenantId: string, caseId: string, removed: string) {
  return anonymiseCommentsOfCase(tx, tenantId, caseId, removed);
}
