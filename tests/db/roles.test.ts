import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { appendAudit } from '../../server/audit/index.ts';
import { auditChainKey, sealAll } from '../../server/audit/audit-chain.ts';
import {
  appRoleNames,
  databaseOf,
  dropAppRoles,
  ensureAppRoles,
  rolePassword,
  scramVerifier,
  urlAs,
} from '../../server/db/roles.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { withTenant } from '../../server/db/tenant-scope.ts';

/** The error PostgreSQL gives a statement (or null when it succeeds). */
async function failure(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

describe('database roles: the app cannot rewrite history', () => {
  let t: TestContext;
  let api: ReturnType<typeof postgres>;
  let workers: ReturnType<typeof postgres>;
  let auditId: string;

  beforeAll(async () => {
    t = await createTestContext({ taskEvents: false });
    const urls = await ensureAppRoles(t.databaseUrl, inject('appSecret'));
    api = postgres(urls.api, { max: 1, onnotice: () => {} });
    workers = postgres(urls.workers, { max: 1, onnotice: () => {} });
    await withTenant(t.demoTenantId, () =>
      appendAudit(t.appDb, {
        tenantId: t.demoTenantId,
        actorKind: 'system',
        action: 'test.event',
        entityType: 'test',
        entityId: '1',
      }),
    );
    const [row] = await t.db.execute<{ id: string }>(sql`select max(id) as id from audit_log`);
    auditId = row!.id;
  });
  afterAll(async () => {
    await api?.end();
    await workers?.end();
    await t?.close();
  });

  it('connects as roles named after the database, not as the owner', async () => {
    const roles = appRoleNames(databaseOf(t.databaseUrl));
    expect((await api`select current_user as u`)[0]!.u).toBe(roles.api);
    expect((await workers`select current_user as u`)[0]!.u).toBe(roles.workers);
    const [flags] = await api`
      select rolsuper, rolcreaterole, rolcreatedb, rolbypassrls from pg_roles where rolname = current_user`;
    expect(flags).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolbypassrls: false });
    const [owned] = await api`
      select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and pg_has_role(current_user, c.relowner, 'MEMBER')`;
    expect(owned!.n).toBe(0);
  });

  it.each([
    ['alter table', 'alter table audit_log add column x int', /must be owner/],
    ['drop trigger', 'drop trigger audit_log_append_only on audit_log', /must be owner/],
    ['disable trigger', 'alter table audit_log disable trigger audit_log_append_only', /must be owner/],
    ['update audit_log', `update audit_log set action = 'x'`, /permission denied for table audit_log/],
    ['delete from audit_log', 'delete from audit_log', /permission denied for table audit_log/],
    ['truncate audit_log', 'truncate audit_log', /permission denied for table audit_log/],
    ['truncate cases', 'truncate cases cascade', /permission denied for table cases/],
    ['update audit_chain', `update audit_chain set hash = 'x'`, /permission denied for table audit_chain/],
    ['delete from audit_chain', 'delete from audit_chain', /permission denied for table audit_chain/],
    ['update the access log', `update personal_data_access set via = 'x'`, /permission denied/],
    ['delete from the access log', 'delete from personal_data_access', /permission denied/],
    ['delete a case', 'delete from cases', /permission denied for table cases/],
    ['create a table', 'create table evil (id int)', /permission denied for schema public/],
    [
      'create a trigger function',
      'create function evil() returns trigger language sql as $$ select null $$',
      /permission denied for schema public/,
    ],
    ['switch triggers off', `set session_replication_role = replica`, /permission denied/],
    [
      'call a trigger function',
      'select audit_log_refuse_change()',
      /permission denied for function|trigger functions can only be called/,
    ],
    [
      'read the migrations journal',
      'select * from drizzle.__drizzle_migrations',
      /permission denied for schema drizzle/,
    ],
    ['move a sequence', `select setval('audit_log_id_seq', 1)`, /permission denied for sequence/],
  ])('as the API role: %s fails', async (_what, statement, expected) => {
    expect(await failure(api.unsafe(statement))).toMatch(expected);
  });

  it.each([
    ['alter table', 'alter table audit_log add column x int', /must be owner/],
    ['disable trigger', 'alter table audit_chain disable trigger audit_chain_append_only', /must be owner/],
    ['update audit_log', `update audit_log set action = 'x'`, /permission denied/],
    ['delete from audit_chain', 'delete from audit_chain', /permission denied/],
    ['truncate audit_chain', 'truncate audit_chain', /permission denied/],
  ])('as the workers role: %s fails', async (_what, statement, expected) => {
    expect(await failure(workers.unsafe(statement))).toMatch(expected);
  });

  it('appends and reads the audit log; only the workers (the sealer) append chain links', async () => {
    // Row-level security: the rows of the tenant the statement's transaction names (server/db/tenant-scope.ts).
    const seen = await api.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', ${t.demoTenantId}, true)`;
      return tx`select id from audit_log where id = ${auditId}`;
    });
    expect(seen.length).toBe(1);
    expect(
      await failure(
        api`insert into audit_chain (tenant_id, seq, audit_id, hash) values (${t.demoTenantId}, 999, ${auditId}, 'x')`,
      ),
    ).toMatch(/permission denied for table audit_chain/);
    // The sealer as the workers connect it.
    const { createDb } = await import('../../server/db/client.ts');
    const urls = await ensureAppRoles(t.databaseUrl, inject('appSecret'));
    const w = createDb(urls.workers, { max: 1 });
    try {
      expect(await sealAll(w.db, auditChainKey(inject('appSecret')))).toBeGreaterThan(0);
    } finally {
      await w.sql.end();
    }
  });

  it('deletes only where the app deletes: expired sessions yes, cases and messages no', async () => {
    expect(
      await failure(api`delete from sessions where expires_at < now() - interval '100 years'`),
    ).toBeNull();
    expect(await failure(api`delete from inbound_messages where false`)).toMatch(/permission denied/);
    expect(await failure(workers`delete from staff_login_failures where false`)).toBeNull();
  });

  it('a role given by the operator gets the grants, and an owner or superuser is refused', async () => {
    const role = `op_${randomBytes(4).toString('hex')}`;
    const admin = postgres(inject('adminDatabaseUrl'), { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`create role ${role} login password 'op-secret'`);
      const url = urlAs(t.databaseUrl, role, 'op-secret');
      const urls = await ensureAppRoles(t.databaseUrl, inject('appSecret'), url);
      expect(urls).toEqual({ api: url, workers: url });
      const op = postgres(url, { max: 1, onnotice: () => {} });
      try {
        expect((await op`select count(*)::int as n from tenants`)[0]!.n).toBe(2);
        expect(await failure(op.unsafe('delete from audit_log'))).toMatch(/permission denied/);
        expect(await failure(op.unsafe('alter table cases disable trigger all'))).toMatch(/must be owner/);
      } finally {
        await op.end();
      }
      await expect(ensureAppRoles(t.databaseUrl, inject('appSecret'), t.databaseUrl)).rejects.toThrow(
        /APP_DATABASE_URL must name a role without ownership .* is a superuser/,
      );
    } finally {
      await admin.unsafe(`revoke all on all tables in schema public from ${role}`).catch(() => {});
      await admin.end();
      const db = postgres(t.databaseUrl, { max: 1, onnotice: () => {} });
      await db.unsafe(`drop owned by ${role}`);
      await db.end();
      const a2 = postgres(inject('adminDatabaseUrl'), { max: 1, onnotice: () => {} });
      await a2.unsafe(`drop role ${role}`);
      await a2.end();
    }
  });

  it('sends PostgreSQL the same SCRAM verifier it computes itself for the password', async () => {
    const role = `scram_${randomBytes(4).toString('hex')}`;
    const admin = postgres(inject('adminDatabaseUrl'), { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`set password_encryption = 'scram-sha-256'`);
      await admin.unsafe(`create role ${role} password 'Pa55-word_x'`);
      const [row] = await admin<Array<{ verifier: string }>>`
        select rolpassword as verifier from pg_authid where rolname = ${role}`;
      const verifier = row!.verifier;
      const [, iterations, salt] = /^SCRAM-SHA-256\$(\d+):([^$]+)\$/.exec(verifier)!;
      expect(scramVerifier('Pa55-word_x', Number(iterations), Buffer.from(salt!, 'base64'))).toBe(verifier);
    } finally {
      await admin.unsafe(`drop role if exists ${role}`);
      await admin.end();
    }
  });

  it('derives the password from APP_SECRET and a purpose label, per database and role', () => {
    const a = rolePassword('s1', 'reclamatii', 'reclamatii_api');
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(rolePassword('s1', 'reclamatii', 'reclamatii_workers')).not.toBe(a);
    expect(rolePassword('s2', 'reclamatii', 'reclamatii_api')).not.toBe(a);
    expect(appRoleNames('reclamatii')).toEqual({ api: 'reclamatii_api', workers: 'reclamatii_workers' });
    const long = appRoleNames('x'.repeat(63));
    expect(long.workers.length).toBeLessThanOrEqual(63);
  });

  it('a database that is dropped takes its roles along (dropAppRoles)', async () => {
    const name = `t_roles_${randomBytes(4).toString('hex')}`;
    const admin = postgres(inject('adminDatabaseUrl'), { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const u = new URL(inject('adminDatabaseUrl'));
    u.pathname = `/${name}`;
    await ensureAppRoles(u.toString(), inject('appSecret'));
    const roles = appRoleNames(name);
    expect(
      (
        await admin`select count(*)::int as n from pg_roles where rolname in ${admin([roles.api, roles.workers])}`
      )[0]!.n,
    ).toBe(2);
    await admin.unsafe(`drop database ${name} with (force)`);
    await dropAppRoles(inject('adminDatabaseUrl'), name);
    expect(
      (
        await admin`select count(*)::int as n from pg_roles where rolname in ${admin([roles.api, roles.workers])}`
      )[0]!.n,
    ).toBe(0);
    await admin.end();
  });
});
