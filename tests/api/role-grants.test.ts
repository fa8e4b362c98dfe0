import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../server/db/schema/index.ts';
import { createUser } from '../factories/index.ts';
import { createTestContext, PASSWORD, type TestContext } from '../helpers/test-context.ts';

type Headers = { authorization: string };
interface Grant {
  id: string;
  userId: string;
  roles: string[];
  requestedBy: string;
  canApprove: boolean;
}

/**
 * Two-person rule (issue 13 item 1): the designer and admin roles are never given by one admin alone. An admin's
 * grant waits for a second admin of the same tenant, who is neither the one who asked nor the one receiving it;
 * the platform operator grants on the server (tenant setup). Every step is audited.
 */
describe('/api/role-grants', () => {
  let t: TestContext;
  let adminA: Headers;
  let adminB: Headers;
  let acmeAdmin: Headers;
  let adminAId: string;
  let adminBId: string;
  const run = randomBytes(3).toString('hex');
  let ip = 0;

  const call = (
    headers: Headers | undefined,
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    payload?: object,
  ) => t.app.inject({ method, url, ...(headers ? { headers } : {}), ...(payload ? { payload } : {}) });
  const sessionOf = async (email: string): Promise<Headers> => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: `10.9.${Math.floor(++ip / 250)}.${ip % 250}`,
      payload: { email, password: PASSWORD },
    });
    expect(r.statusCode, r.body).toBe(200);
    return { authorization: `Bearer ${r.json<{ token: string }>().token}` };
  };
  const grants = async (headers: Headers) =>
    (await call(headers, 'GET', '/api/role-grants')).json<{ items: Grant[] }>().items;
  const auditActions = async (userId: string) =>
    (
      await t.db
        .select({ action: auditLog.action, actorId: auditLog.actorId })
        .from(auditLog)
        .where(and(eq(auditLog.entityType, 'user'), eq(auditLog.entityId, userId)))
    ).map((a) => [a.action, a.actorId]);

  beforeAll(async () => {
    t = await createTestContext({ taskEvents: false });
    adminA = await sessionOf('admin@demo.local');
    // The second admin and ACME's admin come from the platform operator's tenant setup, outside the rule.
    adminBId = (
      await createUser(t, {
        email: `admin-b-${run}@demo.local`,
        name: 'Admin B',
        roles: ['admin'],
        jobRoles: [],
      })
    ).id;
    adminB = await sessionOf(`admin-b-${run}@demo.local`);
    await createUser(t, {
      tenantId: t.acmeTenantId,
      email: `admin-${run}@acme.local`,
      name: 'Acme Admin',
      roles: ['admin'],
      jobRoles: [],
    });
    acmeAdmin = await sessionOf(`admin-${run}@acme.local`);
    const me = await call(adminA, 'GET', '/api/users');
    adminAId = me
      .json<{ items: Array<{ id: string; email: string }> }>()
      .items.find((u) => u.email === 'admin@demo.local')!.id;
  });
  afterAll(async () => t?.close());

  it('holds a designer grant for a second admin, who alone can approve it; then the role works', async () => {
    const email = `proiectant-${run}@demo.local`;
    const targetId = (
      await createUser(t, { email, name: 'Viitor Proiectant', roles: ['agent'], jobRoles: [] })
    ).id;
    const r = await call(adminA, 'PATCH', `/api/users/${targetId}`, { roles: ['agent', 'designer'] });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ roles: ['agent'], pendingRoles: ['designer'] });
    const target = await sessionOf(email);
    expect((await call(target, 'GET', '/api/process-definitions')).statusCode).toBe(403);

    const [grant] = (await grants(adminA)).filter((g) => g.userId === targetId);
    expect(grant).toMatchObject({ roles: ['designer'], requestedBy: adminAId, canApprove: false });
    expect((await grants(adminB)).find((g) => g.id === grant!.id)).toMatchObject({ canApprove: true });

    // The admin who asked cannot approve it; another tenant's admin does not even find it.
    const own = await call(adminA, 'POST', `/api/role-grants/${grant!.id}/approval`);
    expect(own.statusCode).toBe(403);
    expect(own.json()).toEqual({
      code: 'ROLE_GRANT_SAME_ADMIN',
      message:
        'Cererea trebuie aprobată de un alt administrator decât cel care a făcut-o (regula celor două persoane).',
    });
    const foreign = await call(acmeAdmin, 'POST', `/api/role-grants/${grant!.id}/approval`);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toMatchObject({ code: 'ROLE_GRANT_NOT_FOUND' });
    expect(await grants(acmeAdmin)).toEqual([]);

    const ok = await call(adminB, 'POST', `/api/role-grants/${grant!.id}/approval`);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ userId: targetId, roles: ['agent', 'designer'] });
    expect((await call(target, 'GET', '/api/process-definitions')).statusCode).toBe(200);
    expect(await auditActions(targetId)).toEqual(
      expect.arrayContaining([
        ['user.role_grant_requested', adminAId],
        ['user.role_grant_approved', adminBId],
        ['user.roles_changed', adminBId],
      ]),
    );
    // Decided once: approving again finds nothing.
    expect((await call(adminB, 'POST', `/api/role-grants/${grant!.id}/approval`)).statusCode).toBe(404);
  });

  it('an admin cannot grant itself the designer role, not even with another admin asking for it', async () => {
    const r = await call(adminA, 'PATCH', `/api/users/${adminAId}`, { roles: ['admin', 'designer'] });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ roles: ['admin'], pendingRoles: ['designer'] });
    const [grant] = (await grants(adminA)).filter((g) => g.userId === adminAId);
    const self = await call(adminA, 'POST', `/api/role-grants/${grant!.id}/approval`);
    expect(self.statusCode).toBe(403);
    expect(self.json()).toMatchObject({ code: 'ROLE_GRANT_OWN' });

    // B asks the same for A: A is still the one receiving it, so A cannot approve.
    await call(adminB, 'PATCH', `/api/users/${adminAId}`, { roles: ['admin', 'designer'] });
    const [again] = (await grants(adminA)).filter((g) => g.userId === adminAId);
    expect(again!.requestedBy).toBe(adminBId);
    expect((await call(adminA, 'POST', `/api/role-grants/${again!.id}/approval`)).json()).toMatchObject({
      code: 'ROLE_GRANT_OWN',
    });
    // B refuses it (B asked: a withdrawal); audited.
    expect((await call(adminB, 'POST', `/api/role-grants/${again!.id}/rejection`)).statusCode).toBe(204);
    expect((await grants(adminA)).filter((g) => g.userId === adminAId)).toEqual([]);
    expect(await auditActions(adminAId)).toEqual(
      expect.arrayContaining([
        ['user.role_grant_requested', adminAId],
        ['user.role_grant_requested', adminBId],
        ['user.role_grant_withdrawn', adminBId],
      ]),
    );
  });

  it('a new account asked with the admin role starts without it, the grant pending', async () => {
    const r = await call(adminA, 'POST', '/api/users', {
      name: 'Nou Administrator',
      email: `nou-admin-${run}@demo.local`,
      roles: ['officer', 'admin'],
    });
    expect(r.statusCode, r.body).toBe(201);
    const user = r.json<{ user: { id: string; roles: string[]; pendingRoles: string[] } }>().user;
    expect(user).toMatchObject({ roles: ['officer'], pendingRoles: ['admin'] });
    expect((await grants(adminB)).find((g) => g.userId === user.id)).toMatchObject({ roles: ['admin'] });
  });

  it('is for admins only', async () => {
    const officer = await sessionOf('officer@demo.local');
    const [any] = await grants(adminA);
    for (const [method, url] of [
      ['GET', '/api/role-grants'],
      ['POST', `/api/role-grants/${any?.id ?? crypto.randomUUID()}/approval`],
      ['POST', `/api/role-grants/${any?.id ?? crypto.randomUUID()}/rejection`],
    ] as const) {
      expect((await call(officer, method, url)).statusCode, url).toBe(403);
      expect((await call(undefined, method, url)).statusCode, url).toBe(401);
    }
  });
});
