import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, users } from '../../server/db/schema/index.ts';
import { createTenant, createUser } from '../factories/index.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';

interface OrgChart {
  departments: Array<{ name: string; jobRoles: Array<{ code: string; holders: Array<{ email: string }> }> }>;
  staff: Array<{ id: string; email: string; jobRoles: string[] }>;
}

describe('organisation chart (tenant admin)', () => {
  let t: TestContext;
  let admin: { authorization: string };

  beforeAll(async () => {
    t = await createTestContext();
    admin = await t.login('admin@demo.local');
  });
  afterAll(async () => t?.close());

  const chart = async () =>
    (await t.app.inject({ method: 'GET', url: '/api/org-chart', headers: admin })).json<OrgChart>();

  it('GET /api/org-chart lists departments, job roles with holders, and the staff', async () => {
    const c = await chart();
    expect(c.departments.length).toBeGreaterThanOrEqual(3);
    const roles = c.departments.flatMap((d) => d.jobRoles);
    expect(roles.map((r) => r.code).sort()).toContain('SEF');
    expect(roles.find((r) => r.code === 'SEF')?.holders.map((h) => h.email)).toEqual([
      'supervisor@demo.local',
    ]);
    expect(c.staff.find((s) => s.email === 'officer@demo.local')?.jobRoles.sort()).toEqual([
      'RSP',
      'SF',
      'SM',
    ]);
  });

  it('PUT holders moves a job role to another person, effective at once and audited', async () => {
    // A tenant of its own: moving SF in DEMO would change what the listing test reads of the officer.
    const tenant = await createTenant(t);
    const tenantAdmin = await createUser(t, { tenantId: tenant.id, roles: ['admin'], jobRoles: [] });
    const officer = await createUser(t, { tenantId: tenant.id, jobRoles: ['RSP', 'SF', 'SM'] });
    const supervisor = await createUser(t, {
      tenantId: tenant.id,
      roles: ['supervisor', 'officer'],
      jobRoles: ['SEF'],
    });
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/org-chart/job-roles/SF/holders',
      headers: await tenantAdmin.login(),
      payload: { userIds: [supervisor.id] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ code: 'SF', added: 1, removed: 1 });
    // The officer's live session no longer carries SF; the supervisor's does.
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: await officer.login(),
    });
    expect(me.json<{ jobRoles: string[] }>().jobRoles.sort()).toEqual(['RSP', 'SM']);
    const audit = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, tenant.id), eq(auditLog.action, 'job_role.holders_changed')));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entityId: 'SF', details: { added: [supervisor.id] } });
  });

  it('refuses an unknown job role, a user of another tenant, and an officer caller', async () => {
    const unknown = await t.app.inject({
      method: 'PUT',
      url: '/api/org-chart/job-roles/XYZ/holders',
      headers: admin,
      payload: { userIds: [] },
    });
    expect(unknown.statusCode).toBe(404);
    const [acmeUser] = await t.db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.tenantId, t.acmeTenantId))
      .limit(1);
    const foreign = await t.app.inject({
      method: 'PUT',
      url: '/api/org-chart/job-roles/RSP/holders',
      headers: admin,
      payload: { userIds: [acmeUser!.id] },
    });
    expect(foreign.statusCode).toBe(422);
    const officer = await t.app.inject({
      method: 'PUT',
      url: '/api/org-chart/job-roles/RSP/holders',
      headers: await t.login('officer@demo.local'),
      payload: { userIds: [] },
    });
    expect(officer.statusCode).toBe(403);
  });
});
