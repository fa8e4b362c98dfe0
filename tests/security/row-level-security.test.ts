/**
 * Row-level security (issue 13 item 6): the app's roles see only the rows of the tenant their code runs for, so a
 * query that forgot its `where tenant_id = …` returns nothing of another tenant instead of its data.
 */
import postgres from 'postgres';
import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { customers, tenants } from '../../server/db/schema/index.ts';
import { ensureAppRoles, TENANT_POLICY } from '../../server/db/roles.ts';
import {
  NoTenantScopeError,
  runInOpenScope,
  scopeToTenant,
  withAllTenants,
  withTenant,
} from '../../server/db/tenant-scope.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';

async function failure(p: Promise<unknown>): Promise<{ code?: string; message: string } | null> {
  try {
    await p;
    return null;
  } catch (err) {
    // drizzle wraps the driver's error; PostgreSQL's code is on its cause.
    const e = err as { code?: string; cause?: { code?: string } };
    return { code: e.code ?? e.cause?.code, message: (err as Error).message };
  }
}

describe('row-level security: a forgotten tenant filter returns nothing', () => {
  let t: TestContext;
  let rawApi: ReturnType<typeof postgres>;
  let demoCustomers = 0;
  let acmeCustomers = 0;

  beforeAll(async () => {
    t = await createTestContext({ taskEvents: false });
    const urls = await ensureAppRoles(t.databaseUrl, inject('appSecret'));
    rawApi = postgres(urls.api, { max: 1, onnotice: () => {} });
    // The owner is not filtered: the true counts per tenant.
    const rows = await t.db
      .select({ tenantId: customers.tenantId, n: count() })
      .from(customers)
      .groupBy(customers.tenantId);
    demoCustomers = rows.find((r) => r.tenantId === t.demoTenantId)?.n ?? 0;
    acmeCustomers = rows.find((r) => r.tenantId === t.acmeTenantId)?.n ?? 0;
  });
  afterAll(async () => {
    await rawApi?.end();
    await t?.close();
  });

  it('puts the policy on every table that has a tenant_id column, and only the owner is not filtered', async () => {
    const rows = await t.db.execute<{ name: string; enabled: boolean; policy: string | null }>(sql`
      select c.relname as name, c.relrowsecurity as enabled,
             (select p.polname from pg_policy p where p.polrelid = c.oid and p.polname = ${TENANT_POLICY}) as policy
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
       where n.nspname = 'public' and c.relkind in ('r', 'p')`);
    expect(rows.length).toBeGreaterThan(40);
    expect(rows.filter((r) => !r.enabled || r.policy !== TENANT_POLICY).map((r) => r.name)).toEqual([]);
    const [role] = await rawApi<Array<{ bypass: boolean }>>`
      select rolbypassrls as bypass from pg_roles where rolname = current_user`;
    expect(role!.bypass).toBe(false);
  });

  it('both tenants have customers (else the checks below would prove nothing)', () => {
    expect(demoCustomers).toBeGreaterThan(0);
    expect(acmeCustomers).toBeGreaterThan(0);
  });

  it("a query with no tenant filter sees only its tenant's rows", async () => {
    const all = () => t.appDb.select({ tenantId: customers.tenantId }).from(customers);
    const demo = await withTenant(t.demoTenantId, all);
    const acme = await withTenant(t.acmeTenantId, all);
    expect(demo).toHaveLength(demoCustomers);
    expect(new Set(demo.map((r) => r.tenantId))).toEqual(new Set([t.demoTenantId]));
    expect(acme).toHaveLength(acmeCustomers);
    expect(new Set(acme.map((r) => r.tenantId))).toEqual(new Set([t.acmeTenantId]));
    // The jobs that are about every tenant by nature say so.
    expect(await withAllTenants('test', all)).toHaveLength(demoCustomers + acmeCustomers);
  });

  it('the workers role is filtered the same way', async () => {
    const acme = await withTenant(t.acmeTenantId, () =>
      t.workersDb.select({ id: customers.id }).from(customers).where(eq(customers.tenantId, t.demoTenantId)),
    );
    expect(acme).toEqual([]);
  });

  it('a request that has not named its tenant sees no tenant rows; tables without tenants stay readable', async () => {
    const [seen, tenantRows] = await runInOpenScope(() =>
      Promise.all([
        t.appDb.select({ id: customers.id }).from(customers),
        t.appDb.select({ id: tenants.id }).from(tenants),
      ]),
    );
    expect(seen).toEqual([]);
    expect(tenantRows.length).toBeGreaterThanOrEqual(2);
    // Narrowed by authentication: from then on, the tenant's rows.
    const narrowed = await runInOpenScope(async () => {
      scopeToTenant(t.demoTenantId);
      return t.appDb.select({ id: customers.id }).from(customers);
    });
    expect(narrowed).toHaveLength(demoCustomers);
  });

  it('code outside every scope fails loudly instead of finding nothing', async () => {
    const err = await t.appDb
      .select({ id: customers.id })
      .from(customers)
      .then(
        () => null,
        (e: unknown) => e as Error & { cause?: unknown },
      );
    expect(err?.cause).toBeInstanceOf(NoTenantScopeError);
  });

  it('code working for one tenant cannot switch to another', async () => {
    await expect(
      withTenant(t.demoTenantId, async () => withTenant(t.acmeTenantId, async () => 1)),
    ).rejects.toThrow(/another tenant/);
    expect(() =>
      runInOpenScope(() => {
        scopeToTenant(t.demoTenantId);
        scopeToTenant(t.acmeTenantId);
      }),
    ).toThrow(/another tenant/);
  });

  it("writing another tenant's row is refused by the policy's check", async () => {
    const [acmeCustomer] = await t.db
      .select({ id: customers.id, name: customers.name })
      .from(customers)
      .where(eq(customers.tenantId, t.acmeTenantId))
      .limit(1);
    // An update without the tenant filter touches nothing of the other tenant.
    const updated = await withTenant(t.demoTenantId, () =>
      t.appDb
        .update(customers)
        .set({ name: 'changed' })
        .where(eq(customers.id, acmeCustomer!.id))
        .returning({ id: customers.id }),
    );
    expect(updated).toEqual([]);
    // Moving a row into another tenant, or inserting one there, violates the policy.
    const [demoCustomer] = await withTenant(t.demoTenantId, () => t.appDb.select().from(customers).limit(1));
    const moved = await failure(
      withTenant(t.demoTenantId, () =>
        t.appDb.update(customers).set({ tenantId: t.acmeTenantId }).where(eq(customers.id, demoCustomer!.id)),
      ),
    );
    expect(moved?.code).toBe('42501');
    const { id: _id, ...copy } = demoCustomer!;
    const inserted = await failure(
      withTenant(t.demoTenantId, () =>
        t.appDb.insert(customers).values({ ...copy, tenantId: t.acmeTenantId, customerCode: 'RLS-TEST-1' }),
      ),
    );
    expect(inserted?.code).toBe('42501');
    const [still] = await t.db
      .select({ name: customers.name })
      .from(customers)
      .where(eq(customers.id, acmeCustomer!.id));
    expect(still!.name).toBe(acmeCustomer!.name);
  });

  it('a bare connection of the app role, with no scope set, sees no tenant rows', async () => {
    const rows = await rawApi`select count(*)::int as n from customers`;
    expect(rows[0]!.n).toBe(0);
    // Setting only one tenant shows that tenant's rows: the policy, not the grants, does the filtering.
    const n = await rawApi.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', ${t.acmeTenantId}, true)`;
      return (await tx<Array<{ n: number }>>`select count(*)::int as n from customers`)[0]!.n;
    });
    expect(n).toBe(acmeCustomers);
  });

  it('never carries one scope into the next statement on a pooled connection', async () => {
    // 60 statements for alternating tenants on a pool of 10 connections, all at once.
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => {
        const tenantId = i % 3 === 0 ? t.acmeTenantId : t.demoTenantId;
        return withTenant(tenantId, async () => ({
          tenantId,
          seen: await t.appDb.selectDistinct({ tenantId: customers.tenantId }).from(customers),
        }));
      }),
    );
    for (const r of results) expect(r.seen).toEqual([{ tenantId: r.tenantId }]);
    // And a statement in an open scope right after them still sees nothing.
    expect(
      await runInOpenScope(async () => await t.appDb.select({ id: customers.id }).from(customers)),
    ).toEqual([]);
  });

  // Transactions send `begin` and the scope with their first statements, without waiting for `begin`'s answer
  // (server/db/scoped-client.ts): each of these would go wrong if that pipelining lost an order or an error.
  describe('transactions whose begin goes out with their first statements', () => {
    const marker = () => `pipelined-${Math.random().toString(36).slice(2)}`;
    const namesLike = (name: string) =>
      withTenant(t.demoTenantId, () =>
        t.appDb.select({ id: customers.id }).from(customers).where(eq(customers.name, name)),
      );
    const demoCustomer = () =>
      withTenant(t.demoTenantId, async () => (await t.appDb.select().from(customers).limit(1))[0]!);

    it("see their tenant's rows only, from the first statement on", async () => {
      const seen = await withTenant(t.acmeTenantId, () =>
        t.appDb.transaction((tx) => tx.selectDistinct({ tenantId: customers.tenantId }).from(customers)),
      );
      expect(seen).toEqual([{ tenantId: t.acmeTenantId }]);
    });

    it('commit what they wrote, and write nothing when the callback throws', async () => {
      const c = await demoCustomer();
      const kept = marker();
      await withTenant(t.demoTenantId, () =>
        t.appDb.transaction(async (tx) => {
          await tx.update(customers).set({ name: kept }).where(eq(customers.id, c.id));
        }),
      );
      expect(await namesLike(kept)).toEqual([{ id: c.id }]);
      const dropped = marker();
      const err = await failure(
        withTenant(t.demoTenantId, () =>
          t.appDb.transaction(async (tx) => {
            await tx.update(customers).set({ name: dropped }).where(eq(customers.id, c.id));
            throw new Error('changed my mind');
          }),
        ),
      );
      expect(err?.message).toBe('changed my mind');
      expect(await namesLike(dropped)).toEqual([]);
      expect(await namesLike(kept)).toEqual([{ id: c.id }]);
      await withTenant(t.demoTenantId, () =>
        t.appDb.update(customers).set({ name: c.name }).where(eq(customers.id, c.id)),
      );
    });

    it('fail, rather than report a commit, when a statement nobody waited for failed', async () => {
      const c = await demoCustomer();
      const lost = marker();
      const err = await failure(
        withTenant(t.demoTenantId, () =>
          t.appDb.transaction(async (tx) => {
            await tx.update(customers).set({ name: lost }).where(eq(customers.id, c.id));
            // Started, never awaited, and it fails: the transaction is aborted behind the callback's back.
            tx.execute(sql`select 1 / 0`).then(
              () => undefined,
              () => undefined,
            );
          }),
        ),
      );
      expect(err?.message).toMatch(/ROLLBACK|division by zero/);
      expect(await namesLike(lost)).toEqual([]);
    });

    it('undo a nested transaction alone when it fails, and keep the outer one', async () => {
      const c = await demoCustomer();
      const outer = marker();
      const inner = marker();
      await withTenant(t.demoTenantId, () =>
        t.appDb.transaction(async (tx) => {
          await tx.update(customers).set({ name: outer }).where(eq(customers.id, c.id));
          await tx
            .transaction(async (nested) => {
              await nested.update(customers).set({ name: inner }).where(eq(customers.id, c.id));
              throw new Error('inner fails');
            })
            .catch(() => undefined);
        }),
      );
      expect(await namesLike(inner)).toEqual([]);
      expect(await namesLike(outer)).toEqual([{ id: c.id }]);
      await withTenant(t.demoTenantId, () =>
        t.appDb.update(customers).set({ name: c.name }).where(eq(customers.id, c.id)),
      );
    });

    it('give the connection back clean: 40 transactions with errors on a pool of 10 leave nothing open', async () => {
      const outcomes = await Promise.allSettled(
        Array.from({ length: 40 }, (_, i) =>
          withTenant(i % 2 ? t.demoTenantId : t.acmeTenantId, () =>
            t.appDb.transaction(async (tx) => {
              await tx.select({ id: customers.id }).from(customers).limit(1);
              if (i % 4 === 0) await tx.execute(sql`select 1 / 0`);
            }),
          ),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(10);
      // No connection of this database waits inside a transaction, aborted or not.
      const [left] = await t.db.execute<{ n: number }>(sql`
        select count(*)::int as n from pg_stat_activity
         where datname = current_database() and state like 'idle in transaction%'`);
      expect(left!.n).toBe(0);
      // And every pooled connection still works (one left aborted would refuse every statement).
      const after = await Promise.all(
        Array.from({ length: 20 }, () =>
          withTenant(t.demoTenantId, () => t.appDb.select({ id: customers.id }).from(customers).limit(1)),
        ),
      );
      expect(after.every((r) => r.length === 1)).toBe(true);
    });
  });
});
