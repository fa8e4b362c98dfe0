import { createHash, randomUUID } from 'node:crypto';
import type { Db, DbOrTx, Tx } from '../db/client.ts';
import type { CaseSource, Channel, ComplaintCategory } from '../db/schema/index.ts';
import { customerTypeOf, energyOf } from '../codes/case-codes.ts';
import { clockInstants, businessClock, deadlineAndTenant } from '../deadlines/index.ts';
import { searchText } from '../db/search-text.ts';
import type { EngineClient } from '../engine/client.ts';
import { DomainError } from '../errors.ts';
import type { ActorKind } from '../audit/index.ts';
import {
  accessCodeFor,
  attemptProcessStart,
  findRegistrationByKey,
  isDuplicateKey,
  recordRegistration,
  type ProcessStartRow,
} from '../cases/index.ts';
import { getCustomer, getPlace } from '../customers/index.ts';
import type { Logger } from '../logger.ts';
import { COMPLAINT_PROCESS_KEY } from '../../processes/topics.ts';
import { withTenant } from '../db/tenant-scope.ts';

export interface RegisterComplaintInput {
  tenantId: string;
  channel: Channel;
  category: ComplaintCategory;
  subject: string;
  body: string;
  customerId?: string | undefined;
  placeId?: string | undefined;
  /** Who complained, when not (only) the customer on file. */
  contactName?: string | undefined;
  contactEmail?: string | undefined;
  contactPhone?: string | undefined;
  /** When the complaint reached us (defaults to now). */
  receivedAt?: Date | undefined;
  /**
   * The call-center agent resolved it during the call (first-contact resolution): the process acknowledges and
   * closes it without an officer task. Only for the call-center channel.
   */
  resolvedOnCall?: boolean | undefined;
  /**
   * Who brought it (default the consumer): an authority's referral (ANRE, ANPC) names the authority, its own
   * reference number and, when it set one, its deadline; an earlier authority deadline is the case's due date.
   */
  source?: CaseSource | undefined;
  authorityName?: string | undefined;
  authorityReference?: string | undefined;
  authorityDueDate?: string | undefined;
  actor: { id: string | null; kind: ActorKind };
  /**
   * The client's Idempotency-Key: a retry with the same key and the same request gets the first registration's
   * answer (`replayed`), never a second case; with another request it is refused.
   */
  idempotencyKey?: string | undefined;
}

export interface RegisteredComplaint {
  id: string;
  number: string;
  receivedAt: string;
  registeredOn: string;
  dueDate: string;
  accessCode: string;
  processStarted: boolean;
  deadlineRule: { days: number; unit: 'working' | 'calendar'; legalBasis: string };
  /** True when this is the answer of an earlier request with the same Idempotency-Key. */
  replayed?: boolean;
}

export interface RegisterOptions {
  /**
   * Runs inside the registration transaction, after the case row is written: a channel records what it must
   * commit together with the case (e.g. the e-mail intake links the stored message), so both or neither happen.
   */
  inTransaction?: (tx: Tx, registered: { id: string; number: string }) => Promise<void>;
}

export interface RegisterDeps {
  db: Db;
  engine: EngineClient;
  secret: string;
  log: Logger;
}

/**
 * Every channel ends here. The case, its number, its due date, the audit entry and the process-start outbox row
 * commit in one transaction; only then do we ask the engine to start the process (and retry later if it cannot).
 */
export function registerComplaint(
  deps: RegisterDeps,
  input: RegisterComplaintInput,
  options: RegisterOptions = {},
): Promise<RegisteredComplaint> {
  // Registration works for the tenant it names, and refuses to run inside another tenant's scope (tenant-scope.ts).
  return withTenant(input.tenantId, () => register(deps, input, options));
}

async function register(
  deps: RegisterDeps,
  input: RegisterComplaintInput,
  options: RegisterOptions,
): Promise<RegisteredComplaint> {
  const { db } = deps;
  const receivedAt = input.receivedAt ?? new Date();

  const source = input.source ?? 'consumer';
  const authorityName = source === 'authority' ? input.authorityName?.trim() || null : null;
  if (source === 'authority' && !authorityName) throw new DomainError('AUTHORITY_REQUIRED');
  const authorityDueDate = source === 'authority' ? (input.authorityDueDate ?? null) : null;
  const { year } = businessClock(receivedAt);
  const caseId = randomUUID();
  const actorUserId = input.actor.kind === 'user' ? input.actor.id : null;

  const key = input.idempotencyKey;
  const fingerprint = key ? fingerprintOf(input) : null;
  // The reads go out together on one connection in one transaction (one round trip, one begin/commit instead of
  // one per read); they take no lock, so they stay out of the writing statement's way.
  const [customer, place, { deadline: legalDeadline, tenant }, earlier] = await db.transaction((tx) =>
    Promise.all([
      input.customerId ? getCustomer(tx, input.tenantId, input.customerId) : null,
      input.placeId ? getPlace(tx, input.tenantId, input.placeId) : null,
      deadlineAndTenant(tx, input.tenantId, input.category, receivedAt),
      key ? findRegistrationByKey(tx, input.tenantId, key) : null,
    ]),
  );
  if (earlier) return replay(deps, input.tenantId, earlier, fingerprint);
  if (input.customerId && !customer)
    throw new DomainError('CUSTOMER_NOT_FOUND', { customerId: input.customerId });
  if (input.placeId && !place) throw new DomainError('PLACE_NOT_FOUND', { placeId: input.placeId });
  if (place && customer && place.customerId !== customer.id) throw new DomainError('PLACE_NOT_OF_CUSTOMER');
  // An authority's earlier deadline is the one the case must meet (docs/legal.md, "Category and source").
  const deadline =
    authorityDueDate && authorityDueDate < legalDeadline.dueDate
      ? {
          ...legalDeadline,
          dueDate: authorityDueDate,
          ...(await clockInstants(db, input.tenantId, authorityDueDate)),
        }
      : legalDeadline;
  const customerType = customerTypeOf(customer?.customerType);
  const energy = energyOf(place?.energy);

  const contactName = input.contactName?.trim() || customer?.name;
  const contactEmail = input.contactEmail?.trim().toLowerCase() || customer?.email || null;
  const contactPhone = input.contactPhone?.trim() || customer?.phone || null;
  if (!contactName || (!contactEmail && !contactPhone && !customer))
    throw new DomainError('CONTACT_REQUIRED');

  const variables = {
    caseId,
    tenantCode: tenant.code,
    category: input.category,
    channel: input.channel,
    registeredOn: deadline.registeredOn,
    dueDate: deadline.dueDate,
    dueAt: deadline.dueAt,
    warnAt: deadline.warnAt,
    escalateAt: deadline.escalateAt,
    customerKnown: customer !== null,
    customerType,
    energy,
    source,
    resolvedOnCall: input.channel === 'call_center' && input.resolvedOnCall === true,
  };
  const register = (q: DbOrTx) =>
    recordRegistration(q, {
      caseId,
      tenantId: input.tenantId,
      tenantCode: tenant.code,
      year,
      channel: input.channel,
      category: input.category,
      customerType,
      energy,
      source,
      authorityName,
      authorityReference: input.authorityReference?.trim() || null,
      authorityDueDate,
      subject: input.subject,
      body: input.body,
      customerId: customer?.id ?? null,
      placeId: place?.id ?? null,
      contactName,
      contactEmail,
      contactPhone,
      receivedAt,
      registeredOn: deadline.registeredOn,
      dueDate: deadline.dueDate,
      deadlineRule: deadline.rule,
      createdBy: actorUserId,
      actor: input.actor,
      searchWords: searchText(
        contactName,
        customer?.customerCode,
        place?.placeCode,
        input.subject,
        input.body.slice(0, 20000),
      ),
      processKey: COMPLAINT_PROCESS_KEY,
      variables,
      idempotency: key && fingerprint ? { key, fingerprint } : null,
    });
  // The number, the case, its first event, the outbox row and the audit entry are one statement, which keeps the
  // tenant's counter row locked until commit (cases/registration.repo.ts). Alone, it is its own transaction, sent
  // with its begin and commit in one round trip, so no registration waits for another's client. A channel that
  // must commit its own writes with the case (the e-mail intake links the stored message) runs them after it in
  // one transaction, so all or nothing of it happens.
  const inTransaction = options.inTransaction;
  let written: Awaited<ReturnType<typeof register>>;
  try {
    written = inTransaction
      ? await db.transaction(async (tx) => {
          const w = await register(tx);
          await inTransaction(tx, { id: caseId, number: w.number });
          return w;
        })
      : await register(db);
  } catch (err) {
    // The same key sent twice at once: the other request's statement wrote it first, and this one's rolled back
    // whole (its number too, so no gap). Its answer is the other's registration.
    if (!key || !isDuplicateKey(err)) throw err;
    const first = await findRegistrationByKey(db, input.tenantId, key);
    if (!first) throw err;
    return replay(deps, input.tenantId, first, fingerprint);
  }
  const number = written.number;
  const outbox: ProcessStartRow = {
    id: written.outboxId,
    tenantId: input.tenantId,
    caseId,
    businessKey: number,
    processKey: COMPLAINT_PROCESS_KEY,
    variables,
    attempts: 1,
    lockedUntil: written.lockedUntil,
    lastError: null,
    startedAt: null,
    processInstanceId: null,
  };
  const row = {
    id: caseId,
    number,
    tenantId: input.tenantId,
    receivedAt,
    registeredOn: deadline.registeredOn,
    dueDate: deadline.dueDate,
  };

  const instanceId = await attemptProcessStart(db, deps.engine, outbox, deps.log);
  return {
    id: row.id,
    number: row.number,
    receivedAt: row.receivedAt.toISOString(),
    registeredOn: row.registeredOn,
    dueDate: row.dueDate,
    accessCode: accessCodeFor(deps.secret, row.tenantId, row.number),
    processStarted: instanceId !== null,
    deadlineRule: deadline.rule,
  };
}

/** What makes two requests the same request, for an Idempotency-Key: the channel, who sent it and what it says. */
function fingerprintOf(input: RegisterComplaintInput): string {
  const { receivedAt: _receivedAt, idempotencyKey: _key, ...asked } = input;
  const canonical = JSON.stringify(asked, Object.keys(asked).sort());
  return createHash('sha256').update(canonical).digest('hex');
}

/** The answer of the registration an earlier request with the same key made. */
function replay(
  deps: RegisterDeps,
  tenantId: string,
  earlier: NonNullable<Awaited<ReturnType<typeof findRegistrationByKey>>>,
  fingerprint: string | null,
): RegisteredComplaint {
  if (earlier.fingerprint !== fingerprint) throw new DomainError('IDEMPOTENCY_KEY_REUSED');
  return {
    id: earlier.caseId,
    number: earlier.number,
    receivedAt: earlier.receivedAt.toISOString(),
    registeredOn: earlier.registeredOn,
    dueDate: earlier.dueDate,
    accessCode: accessCodeFor(deps.secret, tenantId, earlier.number),
    // The outbox starts it if the first request could not: a retry never starts a second instance.
    processStarted: earlier.processInstanceId !== null,
    deadlineRule: earlier.deadlineRule as RegisteredComplaint['deadlineRule'],
    replayed: true,
  };
}
