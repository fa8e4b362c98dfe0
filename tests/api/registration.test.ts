import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createTenant, createUser } from '../factories/index.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';

describe('POST /api/complaints', () => {
  let t: TestContext;
  let agent: { authorization: string };
  let customerId: string;
  let placeId: string;

  beforeAll(async () => {
    t = await createTestContext();
    agent = await t.login('agent@demo.local');
    const r = await t.app.inject({
      method: 'GET',
      url: '/api/customers?q=Gheorghe Dumitrescu',
      headers: agent,
    });
    const c = r.json<{ items: Array<{ id: string; places: Array<{ id: string }> }> }>().items[0]!;
    customerId = c.id;
    placeId = c.places[0]!.id;
  });
  afterAll(async () => t?.close());

  const register = (headers = agent, extra: Record<string, unknown> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/complaints',
      headers,
      payload: {
        customerId,
        placeId,
        category: 'grup_masurare',
        subject: 'Contor defect',
        body: 'Contorul de gaze nu mai afișează nimic de o săptămână.',
        ...extra,
      },
    });

  it('gives gapless, unique numbers under 40 concurrent registrations', async () => {
    // A tenant of its own, so that its counter starts at 1 whichever of this file's tests registered first.
    const tenant = await createTenant(t);
    const ownAgent = await (
      await createUser(t, { tenantId: tenant.id, roles: ['agent'], jobRoles: ['OCC'] })
    ).login();
    const customer = await createCustomer(t, { tenantId: tenant.id, email: null });
    const own = { customerId: customer.id, placeId: customer.places[0]!.id };
    const results = await Promise.all(Array.from({ length: 40 }, () => register(ownAgent, own)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(40).fill(201));
    const seqs = results
      .map((r) => Number(r.json<{ number: string }>().number.slice(-6)))
      .sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    // One process instance per case, with the number as business key.
    const counts = await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from process_starts where tenant_id = ${tenant.id} and started_at is not null`,
    );
    expect(counts[0]?.n).toBe(40);
  });

  it('lets a customer with no e-mail be registered (acknowledgement goes by post)', async () => {
    const r = await register();
    expect(r.statusCode).toBe(201);
    expect(r.json<{ deadlineRule: { unit: string; days: number } }>().deadlineRule).toMatchObject({
      days: 30,
      unit: 'calendar',
    });
  });

  it('answers GET /api/deadlines/preview with the rule the registration would get', async () => {
    const r = await t.app.inject({
      method: 'GET',
      url: '/api/deadlines/preview?category=facturare&receivedAt=2026-11-27T17:30:00%2B02:00',
      headers: agent,
    });
    expect(r.statusCode).toBe(200);
    // Friday after hours -> registered Wednesday 2 December (30 Nov and 1 Dec are holidays); 15 working days later.
    expect(r.json()).toMatchObject({
      registeredOn: '2026-12-02',
      dueDate: '2026-12-23',
      rule: { days: 15, unit: 'working' },
    });
  });

  describe('annulment', () => {
    it('is refused to an agent, done by a supervisor, audited, and the number stays used', async () => {
      const reg = await register();
      const number = reg.json<{ number: string }>().number;
      const body = { reason: 'Înregistrată din greșeală, apel de test.' };
      const byAgent = await t.app.inject({
        method: 'POST',
        url: `/api/complaints/${number}/annulment`,
        headers: agent,
        payload: body,
      });
      expect(byAgent.statusCode).toBe(403);
      const supervisor = await t.login('supervisor@demo.local');
      const ok = await t.app.inject({
        method: 'POST',
        url: `/api/complaints/${number}/annulment`,
        headers: supervisor,
        payload: body,
      });
      expect(ok.statusCode).toBe(200);
      const again = await t.app.inject({
        method: 'POST',
        url: `/api/complaints/${number}/annulment`,
        headers: supervisor,
        payload: body,
      });
      expect(again.statusCode).toBe(409);
      expect(again.json<{ message: string }>().message).toBe('Reclamația este deja anulată.');

      const next = await register();
      expect(Number(next.json<{ number: string }>().number.slice(-6))).toBe(Number(number.slice(-6)) + 1);
      const view = await t.app.inject({
        method: 'GET',
        url: `/api/complaints/${number}`,
        headers: supervisor,
      });
      expect(view.json()).toMatchObject({ status: 'annulled', annulReason: body.reason });
      const audit = await t.db.execute<{ action: string }>(
        sql`select action from audit_log where entity_type = 'case' and details->>'number' = ${number} order by id`,
      );
      expect(audit.map((a) => a.action)).toEqual(['case.registered', 'case.annulled']);
    });
  });

  it('records every staff view of a case in the audit log', async () => {
    const reg = await register();
    const { number, id } = reg.json<{ number: string; id: string }>();
    await t.app.inject({ method: 'GET', url: `/api/complaints/${number}`, headers: agent });
    await t.app.inject({ method: 'GET', url: `/api/complaints/${number}`, headers: agent });
    const rows = await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where action = 'case.viewed' and entity_id = ${id}`,
    );
    expect(rows[0]?.n).toBe(2);
  });

  it('finds complaints by number, customer and text, paged, within the tenant only', async () => {
    // Its own complaints to find: more than a page of them, whichever of this file's tests ran before.
    const registered = await Promise.all(Array.from({ length: 41 }, () => register()));
    expect(registered.map((x) => x.statusCode)).toEqual(Array(41).fill(201));
    const officer = await t.login('officer@demo.local');
    const r = await t.app.inject({
      method: 'GET',
      url: '/api/complaints?q=contor defect&pageSize=5',
      headers: officer,
    });
    expect(r.statusCode).toBe(200);
    const body = r.json<{ items: Array<{ number: string }>; total: number }>();
    expect(body.items).toHaveLength(5);
    expect(body.total).toBeGreaterThan(40);
    const acme = await t.app.inject({
      method: 'GET',
      url: '/api/complaints?q=contor',
      headers: await t.login(`officer-${t.databaseUrl.split('/').pop()}@acme.local`),
    });
    expect(acme.json<{ total: number }>().total).toBe(0);
  });
});
