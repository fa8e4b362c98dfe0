import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.ts';
import { cases, tenants, type Channel, type ComplaintCategory } from '../db/schema/index.ts';
import { searchText } from '../db/search-text.ts';
import type { EngineClient } from '../engine/client.ts';
import { DomainError } from '../errors.ts';
import { appendAudit, type ActorKind } from '../audit/audit.repo.ts';
import { accessCodeFor } from '../cases/access-code.ts';
import { addCaseEvent, nextSequence } from '../cases/cases.repo.ts';
import { getCustomer, getPlace } from '../customers/customers.repo.ts';
import { businessClock } from '../deadlines/calendar.ts';
import { computeDeadline } from '../deadlines/deadlines.service.ts';
import { attemptProcessStart, enqueueProcessStart, type Logger } from '../outbox/process-starts.ts';
import { COMPLAINT_PROCESS_KEY } from '../../processes/topics.ts';

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
  actor: { id: string | null; kind: ActorKind };
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
export async function registerComplaint(
  deps: RegisterDeps,
  input: RegisterComplaintInput,
  options: RegisterOptions = {},
): Promise<RegisteredComplaint> {
  const { db } = deps;
  const receivedAt = input.receivedAt ?? new Date();

  const customer = input.customerId ? await getCustomer(db, input.tenantId, input.customerId) : null;
  if (input.customerId && !customer)
    throw new DomainError('CUSTOMER_NOT_FOUND', { customerId: input.customerId });
  const place = input.placeId ? await getPlace(db, input.tenantId, input.placeId) : null;
  if (input.placeId && !place) throw new DomainError('PLACE_NOT_FOUND', { placeId: input.placeId });
  if (place && customer && place.customerId !== customer.id) throw new DomainError('PLACE_NOT_OF_CUSTOMER');

  const contactName = input.contactName?.trim() || customer?.name;
  const contactEmail = input.contactEmail?.trim().toLowerCase() || customer?.email || null;
  const contactPhone = input.contactPhone?.trim() || customer?.phone || null;
  if (!contactName || (!contactEmail && !contactPhone && !customer))
    throw new DomainError('CONTACT_REQUIRED');

  const deadline = await computeDeadline(db, input.tenantId, input.category, receivedAt);
  const { year } = businessClock(receivedAt);

  const { row, outbox } = await db.transaction(async (tx) => {
    const [tenant] = await tx
      .select({ code: tenants.code })
      .from(tenants)
      .where(eq(tenants.id, input.tenantId));
    if (!tenant) throw new DomainError('NOT_FOUND');
    const seq = await nextSequence(tx, input.tenantId, year);
    const number = `${tenant.code}-${year}-${String(seq).padStart(6, '0')}`;
    const [created] = await tx
      .insert(cases)
      .values({
        tenantId: input.tenantId,
        number,
        year,
        seq,
        channel: input.channel,
        category: input.category,
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
        createdBy: input.actor.kind === 'user' ? input.actor.id : null,
        searchText: searchText(
          number,
          contactName,
          customer?.customerCode,
          place?.placeCode,
          input.subject,
          input.body.slice(0, 20000),
        ),
      })
      .returning();
    if (!created) throw new Error('case not inserted');
    await addCaseEvent(tx, {
      tenantId: input.tenantId,
      caseId: created.id,
      type: 'registered',
      visibility: 'public',
      message: `Reclamația a fost înregistrată cu numărul ${number}.`,
      actorId: input.actor.kind === 'user' ? input.actor.id : null,
    });
    await appendAudit(tx, {
      tenantId: input.tenantId,
      actorId: input.actor.id,
      actorKind: input.actor.kind,
      action: 'case.registered',
      entityType: 'case',
      entityId: created.id,
      details: { number, channel: input.channel, category: input.category },
    });
    const outbox = await enqueueProcessStart(tx, {
      tenantId: input.tenantId,
      caseId: created.id,
      businessKey: number,
      processKey: COMPLAINT_PROCESS_KEY,
      variables: {
        caseId: created.id,
        tenantCode: tenant.code,
        category: input.category,
        channel: input.channel,
        registeredOn: deadline.registeredOn,
        dueDate: deadline.dueDate,
        dueAt: deadline.dueAt,
        warnAt: deadline.warnAt,
        escalateAt: deadline.escalateAt,
        customerKnown: customer !== null,
      },
    });
    if (options.inTransaction) await options.inTransaction(tx, { id: created.id, number });
    return { row: created, outbox };
  });

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
