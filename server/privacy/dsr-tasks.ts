import type { DbOrTx } from '../db/client.ts';
import { requestOfInstance, requestsByNumbers } from './dsr.repo.ts';

/**
 * What the inbox and the task page may show of a GDPR request behind a DPO task (process verify-gdpr): its number,
 * the right exercised, its due date and state. No name, no details: those stay on the DPO's page.
 */
export interface GdprTaskRequest {
  number: string;
  right: string;
  status: string;
  dueDate: string;
  extended: boolean;
}

function toView(r: {
  number: string;
  right: string;
  status: string;
  dueDate: string;
  extendedAt: Date | null;
}) {
  return { number: r.number, right: r.right, status: r.status, dueDate: r.dueDate, extended: !!r.extendedAt };
}

/** A request number (`<TENANT>-GDPR-<YYYY>-<NNNNNN>`), told apart from a case number by its series. */
export function isGdprNumber(n: string | null | undefined): n is string {
  return !!n && n.includes('-GDPR-');
}

/** The GDPR requests of the tenant among these business keys (the inbox rows whose key is no case's). */
export async function gdprRequestsByNumbers(
  db: DbOrTx,
  tenantId: string,
  numbers: string[],
): Promise<Map<string, GdprTaskRequest>> {
  const wanted = [...new Set(numbers.filter(isGdprNumber))];
  if (wanted.length === 0) return new Map();
  const rows = await requestsByNumbers(db, tenantId, wanted);
  return new Map(rows.map((r) => [r.number, toView(r)]));
}

/** The GDPR request whose process instance holds a task, or null when the task is not a GDPR request's. */
export async function gdprRequestOfInstance(
  db: DbOrTx,
  tenantId: string,
  processInstanceId: string,
): Promise<GdprTaskRequest | null> {
  const r = await requestOfInstance(db, tenantId, processInstanceId);
  return r ? toView(r) : null;
}
