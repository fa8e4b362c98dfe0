import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../server/db/schema/index.ts';
import { createUser } from '../factories/index.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';

describe('deadline rules and extra non-working days (tenant admin)', () => {
  let t: TestContext;
  let admin: { authorization: string };
  let officer: { authorization: string };

  beforeAll(async () => {
    t = await createTestContext();
    admin = await t.login('admin@demo.local');
    officer = await t.login('officer@demo.local');
  });
  afterAll(async () => t?.close());

  const preview = async (category: string, receivedAt: string) =>
    (
      await t.app.inject({
        method: 'GET',
        url: `/api/deadlines/preview?category=${category}&receivedAt=${encodeURIComponent(receivedAt)}`,
        headers: officer,
      })
    ).json<{ registeredOn: string; dueDate: string; rule: { days: number; unit: string } }>();

  it('GET /api/deadline-rules lists one rule per category with its legal basis', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/deadline-rules', headers: admin });
    expect(res.statusCode).toBe(200);
    const items = res.json<{ items: Array<{ category: string; days: number; unit: string }> }>().items;
    expect(items).toHaveLength(9); // the nine categories of Order 16/2015 art. 2(1)
    expect(items.find((r) => r.category === 'facturare')).toMatchObject({ days: 15, unit: 'working' });
  });

  it('PUT /api/deadline-rules/:category is refused to an officer', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/deadline-rules/facturare',
      headers: officer,
      payload: { days: 10, unit: 'working', extensionDays: 0, legalBasis: 'Procedura internă' },
    });
    expect(res.statusCode).toBe(403);
  });

  it('PUT changes the rule the preview applies, and is audited', async () => {
    const before = await preview('contractare', '2026-11-25T10:00:00+02:00');
    expect(before).toMatchObject({ registeredOn: '2026-11-25', dueDate: '2026-12-28' }); // 25 Dec → Mon 28
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/deadline-rules/contractare',
      headers: admin,
      payload: { days: 10, unit: 'working', extensionDays: 10, legalBasis: 'Procedura internă, art. 4' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ days: 10, unit: 'working', extensionAllowed: true });
    const after = await preview('contractare', '2026-11-25T10:00:00+02:00');
    // 26, 27 Nov; (30 Nov, 1 Dec holidays); 2, 3, 4, 7, 8, 9, 10, 11 Dec → the 10th working day is 11 Dec.
    expect(after).toMatchObject({ dueDate: '2026-12-11', rule: { days: 10, unit: 'working' } });
    const audit = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, t.demoTenantId), eq(auditLog.action, 'deadline_rule.updated')));
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toMatchObject({ before: { days: 30 }, after: { days: 10 } });
  });

  it('refuses a rule of 0 days with a Romanian message', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/deadline-rules/facturare',
      headers: admin,
      payload: { days: 0, unit: 'working', extensionDays: 0, legalBasis: 'x'.repeat(5) },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ code: string }>().code).toBe('VALIDATION_FAILED');
  });

  it('an extra non-working day moves the due date; it can be listed and removed', async () => {
    const base = await preview('facturare', '2026-03-10T10:00:00+02:00');
    expect(base.dueDate).toBe('2026-03-31');
    const add = await t.app.inject({
      method: 'POST',
      url: '/api/non-working-days',
      headers: admin,
      payload: { day: '2026-03-16', reason: 'Zi liberă acordată de societate' },
    });
    expect(add.statusCode).toBe(201);
    expect((await preview('facturare', '2026-03-10T10:00:00+02:00')).dueDate).toBe('2026-04-01');
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/non-working-days',
      headers: admin,
      payload: { day: '2026-03-16', reason: 'din nou' },
    });
    expect(again.statusCode).toBe(409);
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/non-working-days?year=2026',
      headers: admin,
    });
    expect(list.json<{ items: Array<{ day: string }> }>().items.map((d) => d.day)).toEqual(['2026-03-16']);
    const del = await t.app.inject({
      method: 'DELETE',
      url: '/api/non-working-days/2026-03-16',
      headers: admin,
    });
    expect(del.statusCode).toBe(204);
    expect((await preview('facturare', '2026-03-10T10:00:00+02:00')).dueDate).toBe('2026-03-31');
    const del2 = await t.app.inject({
      method: 'DELETE',
      url: '/api/non-working-days/2026-03-16',
      headers: admin,
    });
    expect(del2.statusCode).toBe(404);
  });

  it('refuses a legal holiday as an extra day, naming it', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/non-working-days',
      headers: admin,
      payload: { day: '2026-06-01', reason: 'Ziua copilului' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json<{ message: string }>().message).toContain('Rusalii');
  });

  it("another tenant's admin neither sees nor changes DEMO's days", async () => {
    await createUser(t, {
      tenantId: t.acmeTenantId,
      email: 'admin-deadlines@acme.local',
      name: 'Acme Admin',
      roles: ['admin'],
      jobRoles: [],
    });
    const acme = await t.login('admin-deadlines@acme.local');
    await t.app.inject({
      method: 'POST',
      url: '/api/non-working-days',
      headers: admin,
      // A year no other test here computes a due date in, so this day changes nothing for them.
      payload: { day: '2027-03-17', reason: 'Zi liberă DEMO' },
    });
    const own = await t.app.inject({ method: 'GET', url: '/api/non-working-days?year=2027', headers: admin });
    expect(own.json<{ items: Array<{ day: string }> }>().items.map((d) => d.day)).toEqual(['2027-03-17']);
    const list = await t.app.inject({ method: 'GET', url: '/api/non-working-days?year=2027', headers: acme });
    expect(list.json<{ items: unknown[] }>().items).toEqual([]);
    const del = await t.app.inject({
      method: 'DELETE',
      url: '/api/non-working-days/2027-03-17',
      headers: acme,
    });
    expect(del.statusCode).toBe(404);
  });

  it('tenant settings: the admin sets the compensation rule and the operator address (audited)', async () => {
    const get = await t.app.inject({ method: 'GET', url: '/api/tenant-settings', headers: admin });
    expect(get.json()).toMatchObject({ compensationBaseLei: 100, compensationPerDayLei: 50 });
    const patch = await t.app.inject({
      method: 'PATCH',
      url: '/api/tenant-settings',
      headers: admin,
      payload: { compensationPerDayLei: 60, operatorEmail: 'cereri@distributie-demo.ro' },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    expect(patch.json()).toMatchObject({ compensationBaseLei: 100, compensationPerDayLei: 60 });
    const refused = await t.app.inject({
      method: 'PATCH',
      url: '/api/tenant-settings',
      headers: officer,
      payload: { compensationPerDayLei: 0 },
    });
    expect(refused.statusCode).toBe(403);
    const audit = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, t.demoTenantId), eq(auditLog.action, 'tenant.settings_changed')));
    expect(audit).toHaveLength(1);
  });
});
