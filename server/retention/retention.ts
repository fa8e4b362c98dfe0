import { createHash } from 'node:crypto';
import type { Db, DbOrTx } from '../db/client.ts';
import type { DataSubjectRequest } from '../db/schema/index.ts';
import { appendAudit } from '../audit/index.ts';
import { anonymiseCase as anonymiseCaseRows, getCaseById } from '../cases/index.ts';
import { isClosedCase } from '../codes/case-codes.ts';
import { anonymiseDocumentsOfCase } from '../documents/index.ts';
import { anonymiseIdentificationOfCase } from '../identification/index.ts';
import { anonymiseReceivedOfCase } from '../intake/index.ts';
import type { Logger } from '../logger.ts';
import { anonymiseOperatorRequestsOfCase } from '../operator-requests/index.ts';
import { runPeriodically } from '../periodic.ts';
import { anonymisePortalSubmissionsOfCase } from '../portal/index.ts';
import { anonymiseInboxRowsOfCase } from '../task-read-model/index.ts';
import { anonymiseCaseComments } from '../tasks/index.ts';
import { allowPurge, casesDueForRetention, casesOfSubject, insertAnonymisation } from './retention.repo.ts';
import { withAllTenants, withTenant } from '../db/tenant-scope.ts';

/**
 * Storage limitation (GDPR art. 5(1)(e); IL-38): a closed case keeps the personal data in it for the tenant's
 * retention period after closing, then it is anonymised. What stays: number, dates, category, customer type,
 * energy, channel, source, status, deadlines, delay and compensation (statistics and ANRE reports stay correct).
 * What goes: names, contact data, the text as received, messages, letters' bytes, comments, the link to the
 * customer file. The audit keeps a SHA-256 of what was removed (`anonymisations`, `case.anonymised`), never the data.
 *
 * The personal data of a case sits in the tables of many modules; each removes its own (the owner writes its
 * table, server/db/schema/README.md), all in one purge transaction. That is why this is a module of its own, above
 * the others: privacy hands an erasure to it through the entry point that builds the GDPR service.
 */
/** ANRE can take up a complaint about the last 36 months (domain-research §1.7): an erasure never goes below it. */
export const LEGAL_MINIMUM_MONTHS = 36;
const REMOVED = '[date personale anonimizate]';

/**
 * Removes the personal data of one case, in the caller's transaction (which must hold `app.retention_purge`).
 * Returns false when the case was already anonymised.
 */
async function anonymiseCase(
  tx: DbOrTx,
  tenantId: string,
  caseId: string,
  reason: 'retention' | 'erasure',
  requestId: string | null,
): Promise<boolean> {
  const c = await getCaseById(tx, tenantId, caseId);
  if (!c) return false;
  const removedSha256 = createHash('sha256')
    .update(
      JSON.stringify([
        c.contactName,
        c.contactEmail,
        c.contactPhone,
        c.subject,
        c.body,
        c.findings,
        c.answerText,
      ]),
    )
    .digest('hex');
  if (!(await insertAnonymisation(tx, { tenantId, caseId, reason, requestId, removedSha256 }))) return false;
  // Each owner removes its part: the documents first (they decide which received files no other case needs, from
  // the intake's and the portal's records that still name them), then the records themselves.
  await anonymiseDocumentsOfCase(tx, tenantId, caseId, REMOVED);
  await anonymiseCaseRows(tx, tenantId, caseId, REMOVED);
  await anonymiseReceivedOfCase(tx, tenantId, caseId, REMOVED);
  await anonymisePortalSubmissionsOfCase(tx, tenantId, caseId, REMOVED);
  await anonymiseCaseComments(tx, tenantId, caseId, REMOVED);
  await anonymiseIdentificationOfCase(tx, tenantId, caseId);
  await anonymiseOperatorRequestsOfCase(tx, tenantId, caseId, REMOVED);
  await anonymiseInboxRowsOfCase(tx, tenantId, caseId, REMOVED);
  await appendAudit(tx, {
    tenantId,
    actorKind: requestId ? 'user' : 'system',
    action: 'case.anonymised',
    entityType: 'case',
    entityId: caseId,
    details: { number: c.number, reason, removedSha256, ...(requestId ? { requestId } : {}) },
  });
  return true;
}

async function purging<T>(db: Db, fn: (tx: DbOrTx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await allowPurge(tx);
    return fn(tx);
  });
}

/**
 * One retention round: every closed, filed or annulled case of every tenant whose closing is older than that
 * tenant's period is anonymised, except cases of a person with a GDPR request still open (IL-38 step 4). `now` is a
 * parameter so a test moves the clock by data. Returns the numbers anonymised.
 */
export async function runRetention(db: Db, now = new Date(), batch = 200): Promise<string[]> {
  // Finding what is due looks at every tenant; each case is then anonymised in its own tenant (tenant-scope.ts).
  const due = await withAllTenants('retention: finds closed cases past their period', () =>
    casesDueForRetention(db, now, batch),
  );
  const done: string[] = [];
  for (const c of due) {
    const anonymised = await withTenant(c.tenant_id, () =>
      purging(db, (tx) => anonymiseCase(tx, c.tenant_id, c.id, 'retention', null)),
    );
    if (anonymised) done.push(c.number);
  }
  return done;
}

export function startRetention(db: Db, log: Logger, opts: { intervalMs?: number } = {}) {
  return runPeriodically(opts.intervalMs ?? 6 * 3600_000, async () => {
    try {
      const done = await runRetention(db);
      if (done.length) log.info({ anonymised: done.length }, 'retention: closed cases anonymised');
    } catch (err) {
      log.error({ err: (err as Error).message }, 'retention round failed');
    }
  });
}

/**
 * Erasure (art. 17) of a person's complaint records: granted for closed cases past the legal minimum (ANRE may take
 * up a complaint for 36 months after the facts, Order 16/2015 records must exist for it), refused with that reason
 * for the others (art. 17(3)(b) legal obligation, (e) defence of legal claims). Open cases are kept: they are being
 * handled for the person.
 */
export async function eraseForRequest(db: Db, r: DataSubjectRequest, actorId: string, now = new Date()) {
  const rows = await casesOfSubject(db, r.tenantId, {
    customerId: r.customerId,
    contactEmail: r.contactEmail,
  });
  const limit = new Date(now);
  limit.setUTCMonth(limit.getUTCMonth() - LEGAL_MINIMUM_MONTHS);
  const erased: string[] = [];
  const kept: string[] = [];
  for (const c of rows) {
    const closed = c.closed ? new Date(c.closed) : null;
    if (isClosedCase(c.status) && closed && closed < limit) {
      await purging(db, (tx) => anonymiseCase(tx, r.tenantId, c.id, 'erasure', r.id));
      erased.push(c.number);
    } else kept.push(c.number);
  }
  await appendAudit(db, {
    tenantId: r.tenantId,
    actorId,
    actorKind: 'user',
    action: 'gdpr_request.erasure_carried_out',
    entityType: 'gdpr_request',
    entityId: r.id,
    details: { erased, kept },
  });
  return {
    erased,
    kept,
    reason:
      `Dosarele de reclamație ${kept.join(', ')} se păstrează: furnizorul are obligația legală de a păstra evidența ` +
      'reclamațiilor și a modului de soluționare (Ordinul ANRE nr. 16/2015), iar ANRE poate prelua o plângere privind ' +
      'faptele din ultimele 36 de luni; păstrarea este necesară și pentru constatarea, exercitarea sau apărarea unui ' +
      'drept în instanță (Regulamentul (UE) 2016/679, art. 17 alin. (3) lit. b) și e)). Dosarele în curs de ' +
      'soluționare se păstrează până la răspuns. După expirarea termenului de păstrare, datele se anonimizează automat.',
  };
}
