import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createTenant, createUser } from '../factories/index.ts';
import { startProcessStartDispatcher } from '../../server/cases/index.ts';
import { annulCase } from '../../server/cases/cases.repo.ts';
import { createTestContext, silentLog, type TestContext } from '../helpers/test-context.ts';

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

  const register = (headers: Record<string, string> = agent, extra: Record<string, unknown> = {}) =>
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

  describe('Idempotency-Key: a retried registration is the same case', () => {
    it('answers a retry with the first registration, and ten at once with one case and no gap in the numbers', async () => {
      const tenant = await createTenant(t);
      const ownAgent = await (
        await createUser(t, { tenantId: tenant.id, roles: ['agent'], jobRoles: ['OCC'] })
      ).login();
      const customer = await createCustomer(t, { tenantId: tenant.id, email: null });
      const own = { customerId: customer.id, placeId: customer.places[0]!.id };
      const withKey = (key: string) => ({ ...ownAgent, 'idempotency-key': key });

      const first = await register(withKey('retry-0001'), own);
      expect(first.statusCode, first.body).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const again = await register(withKey('retry-0001'), own);
      expect(again.statusCode).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json()).toEqual(first.json());

      // Ten requests with one key at the same moment (a client and its balancer retrying): one case.
      const burst = await Promise.all(Array.from({ length: 10 }, () => register(withKey('burst-0001'), own)));
      expect(burst.map((r) => r.statusCode)).toEqual(Array(10).fill(201));
      expect(new Set(burst.map((r) => r.json<{ number: string }>().number)).size).toBe(1);
      // A registration without a key after them takes the next number: the refused duplicates used none.
      const next = await register(ownAgent, own);
      const seqs = [first, burst[0]!, next].map((r) => Number(r.json<{ number: string }>().number.slice(-6)));
      expect(seqs).toEqual([1, 2, 3]);
      const rows = await t.db.execute<{ cases: number; keys: number; audits: number }>(
        sql`select (select count(*)::int from cases where tenant_id = ${tenant.id}) as cases,
                   (select count(*)::int from registration_keys where tenant_id = ${tenant.id}) as keys,
                   (select count(*)::int from audit_log where tenant_id = ${tenant.id} and action = 'case.registered') as audits`,
      );
      expect(rows[0]).toEqual({ cases: 3, keys: 2, audits: 3 });
    });

    it('refuses the same key with another request, and a key that is not one, in Romanian', async () => {
      const key = { ...agent, 'idempotency-key': 'reuse-key-0001' };
      expect((await register(key)).statusCode).toBe(201);
      const other = await register(key, { subject: 'Alt subiect' });
      expect(other.statusCode).toBe(422);
      expect(other.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
      expect(other.json<{ message: string }>().message).toContain('cheie nouă');
      const bad = await register({ ...agent, 'idempotency-key': 'scurt' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    });

    it("is the tenant's own: the same key in another tenant is another case", async () => {
      const tenant = await createTenant(t);
      const ownAgent = await (
        await createUser(t, { tenantId: tenant.id, roles: ['agent'], jobRoles: ['OCC'] })
      ).login();
      const customer = await createCustomer(t, { tenantId: tenant.id, email: null });
      const own = { customerId: customer.id, placeId: customer.places[0]!.id };
      const mine = await register({ ...agent, 'idempotency-key': 'shared-key-0001' });
      const theirs = await register({ ...ownAgent, 'idempotency-key': 'shared-key-0001' }, own);
      expect(mine.statusCode).toBe(201);
      expect(theirs.statusCode).toBe(201);
      expect(theirs.headers['idempotent-replayed']).toBeUndefined();
      expect(theirs.json<{ number: string }>().number).not.toBe(mine.json<{ number: string }>().number);
    });
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
    // The starts that finished together were recorded together (group commit, cases/process-start.ts): still each
    // case has its own instance, the one its outbox row names, and exactly one audit entry saying so.
    const linked = await t.db.execute<{ number: string; instance: string | null; outbox: string | null }>(
      sql`select c.number, c.process_instance_id as instance, p.process_instance_id as outbox
          from cases c join process_starts p on p.case_id = c.id where c.tenant_id = ${tenant.id}`,
    );
    expect(linked).toHaveLength(40);
    for (const l of linked) expect(l.instance).toBe(l.outbox);
    expect(new Set(linked.map((l) => l.instance)).size).toBe(40);
    const audited = await t.db.execute<{ instance: string; n: number }>(
      sql`select details->>'processInstanceId' as instance, count(*)::int as n from audit_log
          where tenant_id = ${tenant.id} and action = 'case.process_started' group by 1`,
    );
    expect(audited).toHaveLength(40);
    expect(audited.every((a) => a.n === 1)).toBe(true);
    expect(new Set(audited.map((a) => a.instance))).toEqual(new Set(linked.map((l) => l.instance)));
    // And the engine holds exactly that one instance under the case's number.
    for (const l of linked) {
      const found = await t.engine.findHistoricProcessInstances({
        businessKey: l.number,
        tenantId: tenant.id,
      });
      expect(found.map((i) => i.id)).toEqual([l.instance]);
    }
  });

  it('finds a start whose recording was lost (a kill after the engine started it) instead of starting it again', async () => {
    const r = await register();
    expect(r.statusCode).toBe(201);
    const { id, number } = r.json<{ id: string; number: string }>();
    const [before] = await t.db.execute<{ instance: string }>(
      sql`select process_instance_id as instance from cases where id = ${id}`,
    );
    expect(before?.instance).toBeTruthy();
    // The state a kill -9 between the engine's start and its recording leaves: the instance exists, our rows
    // do not know it, and the outbox row's lease runs out.
    await t.db.execute(
      sql`update process_starts set started_at = null, process_instance_id = null, locked_until = now() where case_id = ${id}`,
    );
    await t.db.execute(sql`update cases set process_instance_id = null where id = ${id}`);
    const dispatcher = startProcessStartDispatcher(t.db, t.engine, silentLog, { intervalMs: 100_000 });
    expect(await dispatcher.drain()).toBeGreaterThanOrEqual(1);
    await dispatcher.stop();
    const found = await t.engine.findHistoricProcessInstances({
      businessKey: number,
      tenantId: t.demoTenantId,
    });
    expect(found.map((i) => i.id)).toEqual([before!.instance]);
    const [after] = await t.db.execute<{ instance: string; attempts: number }>(
      sql`select c.process_instance_id as instance, p.attempts from cases c join process_starts p on p.case_id = c.id
          where c.id = ${id}`,
    );
    expect(after).toEqual({ instance: before!.instance, attempts: 2 });
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

    it('is refused for a closed or filed (clasată) case, with a clear message', async () => {
      const supervisor = await t.login('supervisor@demo.local');
      for (const status of ['filed', 'closed']) {
        const number = (await register()).json<{ number: string }>().number;
        await t.db.execute(sql`update cases set status = ${status} where number = ${number}`);
        const r = await t.app.inject({
          method: 'POST',
          url: `/api/complaints/${number}/annulment`,
          headers: supervisor,
          payload: { reason: 'Înregistrată din greșeală, apel de test.' },
        });
        expect(r.statusCode, status).toBe(409);
        expect(r.json(), status).toEqual({
          code: 'CASE_CLOSED_NOT_ANNULLABLE',
          message:
            'Reclamația este închisă sau clasată și nu mai poate fi anulată: se anulează doar o înregistrare făcută din eroare, cât timp reclamația nu este închisă.',
        });
        const row = await t.db.execute<{ status: string; annulled_at: string | null }>(
          sql`select status, annulled_at from cases where number = ${number}`,
        );
        expect(row[0], status).toEqual({ status, annulled_at: null });
      }
    });

    it('does not annul a case filed after the annulment read it (the update checks the status again)', async () => {
      const { number, id } = (await register()).json<{ number: string; id: string }>();
      // The moment between the service's read and its update: the case is filed meanwhile.
      await t.db.execute(sql`update cases set status = 'filed' where id = ${id}`);
      const annulled = await annulCase(t.db, t.demoTenantId, id, {
        at: new Date(),
        by: '00000000-0000-4000-8000-000000000000',
        reason: 'Înregistrată din greșeală.',
      });
      expect(annulled).toBe(false);
      const row = await t.db.execute<{ status: string }>(
        sql`select status from cases where number = ${number}`,
      );
      expect(row[0]).toEqual({ status: 'filed' });
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
