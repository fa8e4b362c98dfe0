import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseEvents, caseMessages, cases } from '../../server/db/schema/index.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';

type Headers = { authorization: string };

/**
 * Issue 5 point 3, server side: the console's earlier cases and registration during the call, including the
 * first-contact-resolution path of processes/complaint.bpmn (acknowledged and closed with no officer task).
 */
describe('/api/call-center', () => {
  let t: TestContext;
  let agent: Headers;
  let acme: Headers;
  let customer: { id: string; places: Array<{ id: string }> };

  beforeAll(async () => {
    t = await createTestContext({ workers: true });
    agent = await t.login('agent@demo.local');
    const acmeUser = (await t.db.query.users.findFirst({
      where: (u, { eq: e }) => e(u.tenantId, t.acmeTenantId),
    }))!;
    acme = await t.login(acmeUser.email);
    customer = (
      await t.app.inject({ method: 'GET', url: '/api/customers?q=RO005E512345678', headers: agent })
    ).json<{ items: Array<typeof customer> }>().items[0]!;
  });
  afterAll(async () => t?.close());

  const base = () => ({
    customerId: customer.id,
    placeId: customer.places[0]!.id,
    category: 'facturare',
    subject: 'Factură estimată',
    body: 'Clientul spune că factura a fost emisă pe consum estimat, deși a transmis indexul.',
  });

  it('resolves during the call: acknowledged, resolution recorded, closed without any user task', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/call-center/complaints',
      headers: agent,
      payload: { ...base(), resolution: 'Am corectat indexul în sistem; factura se reemite în 2 zile.' },
    });
    expect(r.statusCode, r.body).toBe(201);
    const reg = r.json<{ number: string; id: string; resolvedDuringCall: boolean; dueDate: string }>();
    expect(reg.resolvedDuringCall).toBe(true);
    const closed = await waitFor(async () => {
      const [c] = await t.db.select().from(cases).where(eq(cases.id, reg.id));
      return c?.status === 'closed' ? c : null;
    });
    expect(closed.findings).toContain('factura se reemite');
    const events = (await t.db.select().from(caseEvents).where(eq(caseEvents.caseId, reg.id))).map(
      (e) => e.type,
    );
    expect(events).toEqual(expect.arrayContaining(['registered', 'resolved_during_call', 'closed']));
    const sent = await waitFor(async () => {
      const m = await t.db.select().from(caseMessages).where(eq(caseMessages.caseId, reg.id));
      return m.length ? m : null;
    });
    expect(sent.map((m) => m.kind)).toContain('acknowledgement');
    const [hist] = await t.engine.findHistoricProcessInstances({
      businessKey: reg.number,
      tenantId: t.demoTenantId,
      processDefinitionKey: 'complaint',
    });
    await waitFor(async () => {
      const [h] = await t.engine.findHistoricProcessInstances({
        businessKey: reg.number,
        tenantId: t.demoTenantId,
        processDefinitionKey: 'complaint',
      });
      return h?.state === 'COMPLETED';
    });
    const activities = await t.engine.activityHistory(hist!.id);
    expect(activities.filter((a) => a.activityType === 'userTask')).toEqual([]);
    expect(activities.map((a) => a.activityId)).toEqual(
      expect.arrayContaining(['acknowledge', 'channel', 'closeCase', 'closed']),
    );
  });

  it('without a resolution the case goes on to triage as before', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/call-center/complaints',
      headers: agent,
      payload: base(),
    });
    expect(r.statusCode, r.body).toBe(201);
    const reg = r.json<{ number: string; resolvedDuringCall: boolean }>();
    expect(reg.resolvedDuringCall).toBe(false);
    await waitFor(async () => {
      const tasks = await t.engine.queryTasks(
        { tenantIdIn: [t.demoTenantId], processInstanceBusinessKey: reg.number },
        { firstResult: 0, maxResults: 10 },
      );
      return tasks.some((x) => x.taskDefinitionKey === 'triage');
    });
  });

  it('refuses a too short resolution, another tenant customer, and lists earlier cases within the tenant only', async () => {
    const short = await t.app.inject({
      method: 'POST',
      url: '/api/call-center/complaints',
      headers: agent,
      payload: { ...base(), resolution: 'gata' },
    });
    expect(short.statusCode).toBe(400);
    const cross = await t.app.inject({
      method: 'POST',
      url: '/api/call-center/complaints',
      headers: acme,
      payload: base(),
    });
    expect(cross.statusCode).toBe(404);
    expect(cross.json()).toMatchObject({ code: 'CUSTOMER_NOT_FOUND', message: 'Clientul nu există.' });

    // Two cases of its own, whatever the other tests registered before (they run in any order): one resolved
    // during the call (closed), one going on to triage.
    const registered: string[] = [];
    for (const resolution of ['Am corectat indexul în sistem; factura se reemite în 2 zile.', undefined]) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/call-center/complaints',
        headers: agent,
        payload: { ...base(), ...(resolution ? { resolution } : {}) },
      });
      expect(r.statusCode, r.body).toBe(201);
      registered.push(r.json<{ id: string }>().id);
    }
    await waitFor(async () => {
      const [c] = await t.db.select().from(cases).where(eq(cases.id, registered[0]!));
      return c?.status === 'closed';
    });
    const mine = await t.app.inject({
      method: 'GET',
      url: `/api/call-center/earlier-cases?customerId=${customer.id}`,
      headers: agent,
    });
    expect(mine.statusCode, mine.body).toBe(200);
    const items = mine.json<{ items: Array<{ number: string; customerId: string; status: string }> }>().items;
    expect(items.length).toBeGreaterThanOrEqual(2);
    expect(items.every((i) => i.customerId === customer.id)).toBe(true);
    expect(items.some((i) => i.status === 'closed')).toBe(true);
    const theirs = await t.app.inject({
      method: 'GET',
      url: `/api/call-center/earlier-cases?customerId=${customer.id}`,
      headers: acme,
    });
    expect(theirs.json()).toEqual({ items: [] });
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/call-center/earlier-cases?customerId=x',
      headers: agent,
    });
    expect(bad.statusCode).toBe(400);
  });
});
