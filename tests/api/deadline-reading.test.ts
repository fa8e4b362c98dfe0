import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCase } from '../factories/index.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';

/**
 * The counting reading is a per-tenant setting used by the one calendar module: the admin switches it, the preview
 * says which reading applies, a registration gets the due date of that reading, and the other tenant is untouched.
 */
describe('PATCH /api/tenant-settings countingReading', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext({ taskEvents: false });
  });
  afterAll(async () => t?.close());

  const receivedAt = '2026-11-25T10:00:00+02:00'; // a Wednesday, within opening hours
  const preview = async (headers: { authorization: string }) =>
    (
      await t.app.inject({
        method: 'GET',
        url: `/api/deadlines/preview?category=facturare&receivedAt=${encodeURIComponent(receivedAt)}`,
        headers,
      })
    ).json<{ dueDate: string; registeredOn: string; reading: { code: string; label: string } }>();

  it('civil code by default; free days once the admin switches; only for that tenant', async () => {
    const [admin, agent, supervisor] = await Promise.all([
      t.login('admin@demo.local'),
      t.login('agent@demo.local'),
      t.login('supervisor@demo.local'),
    ]);
    const before = await preview(agent);
    expect(before).toMatchObject({ registeredOn: '2026-11-25', dueDate: '2026-12-18' });
    expect(before.reading.code).toBe('civil_code');
    expect(before.reading.label).toContain('art. 2553');

    // Only the admin, only known readings.
    const bySupervisor = await t.app.inject({
      method: 'PATCH',
      url: '/api/tenant-settings',
      headers: supervisor,
      payload: { countingReading: 'free_days' },
    });
    expect(bySupervisor.statusCode).toBe(403);
    const bad = await t.app.inject({
      method: 'PATCH',
      url: '/api/tenant-settings',
      headers: admin,
      payload: { countingReading: 'zile_libere' },
    });
    expect(bad.statusCode).toBe(400);

    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/tenant-settings',
      headers: admin,
      payload: { countingReading: 'free_days' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ countingReading: string }>().countingReading).toBe('free_days');
    const audit = await t.db.execute(
      `select details from audit_log where action = 'tenant.settings_changed' and tenant_id = '${t.demoTenantId}'`,
    );
    expect(audit.map((a) => a.details)).toContainEqual({ fields: ['countingReading'] });

    const after = await preview(agent);
    expect(after).toMatchObject({ registeredOn: '2026-11-25', dueDate: '2026-12-21' });
    expect(after.reading.code).toBe('free_days');
    expect(after.reading.label).toContain('Zile libere');

    // Registration uses the same calendar module.
    const reg = await createCase(t, {
      customer: null,
      subject: 'Test citire zile libere',
      body: 'Factura este prea mare față de consumul real.',
      contactName: 'Ion Pop',
      contactPhone: '0722000000',
      receivedAt: new Date(receivedAt),
    });
    expect(reg.dueDate).toBe('2026-12-21');

    // The other tenant still counts by the civil code.
    const [acmeUser] = await t.db.execute<{ email: string }>(
      `select email from users where tenant_id = '${t.acmeTenantId}' limit 1`,
    );
    const acme = await preview(await t.login(acmeUser!.email));
    expect(acme.reading.code).toBe('civil_code');
  });
});
