import { expect } from 'vitest';
import {
  registerComplaint,
  type RegisterComplaintInput,
  type RegisteredComplaint,
} from '../../server/intake/register-complaint.ts';
import type { TestContext } from '../helpers/test-context.ts';
import type { Headers } from '../helpers/tasks.ts';
import { demoCustomer, type FactoryCustomer } from './customers.ts';

export type CaseInput = Partial<
  Omit<RegisterComplaintInput, 'tenantId' | 'customerId' | 'placeId' | 'actor'>
> & {
  tenantId?: string;
  /**
   * The customer on file: by default Maria Ionescu of the demo data (for DEMO; none for another tenant), `null`
   * for a complaint from someone the supplier cannot identify (Ion Popescu, by phone, unless the contact is given).
   */
  customer?: FactoryCustomer | null;
  /** The place of consumption: by default the customer's first; `null` for none. */
  place?: FactoryCustomer['places'][number] | null;
  /**
   * Registers as this staff member through POST /api/complaints (the call-center console's request, channel
   * call_center), instead of through the registration service as the system: for tests about what an agent's
   * registration leaves behind.
   */
  as?: Headers;
};

/**
 * A registered complaint with its process started in the real engine, through the one registration every channel
 * uses (server/intake/register-complaint.ts): its number, due date, audit entry and process-start all happen as
 * in production. Defaults: a billing complaint (facturare) of Maria Ionescu, by phone, received now.
 */
export async function createCase(t: TestContext, input: CaseInput = {}): Promise<RegisteredComplaint> {
  const { as, customer: given, place: givenPlace, tenantId = t.demoTenantId, ...rest } = input;
  const customer = given === undefined ? (tenantId === t.demoTenantId ? await demoCustomer(t) : null) : given;
  const place = givenPlace === undefined ? (customer?.places[0] ?? null) : givenPlace;
  const fields = {
    category: 'facturare' as const,
    subject: 'Factură prea mare',
    body: 'Factura din octombrie este mult mai mare decât consumul meu obișnuit; vă rog să o verificați.',
    // Someone not on file must say who they are and how to answer them.
    ...(customer ? {} : { contactName: 'Ion Popescu' }),
    ...(customer || rest.contactEmail || rest.contactPhone ? {} : { contactPhone: '0722 000 111' }),
    ...rest,
    ...(customer ? { customerId: customer.id } : {}),
    ...(place ? { placeId: place.id } : {}),
  };
  if (as) {
    const { channel: _channel, receivedAt, ...payload } = fields;
    if (receivedAt)
      throw new Error('the call-center request takes no receivedAt: register through the service');
    const res = await t.app.inject({ method: 'POST', url: '/api/complaints', headers: as, payload });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<RegisteredComplaint>();
  }
  return registerComplaint(t.app.registerDeps, {
    channel: 'call_center',
    ...fields,
    tenantId,
    actor: { id: null, kind: 'system' },
  });
}
