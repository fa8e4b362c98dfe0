/**
 * Whose rows a database query may see (issue 13 item 6: row-level security).
 *
 * Every table with a `tenant_id` column has a policy (server/db/roles.ts, applied at every start) that shows the
 * app's roles only the rows of the tenant named by the transaction-local setting `app.tenant_id`, or every row when
 * `app.all_tenants` is `on`. Nothing set means nothing seen: a query that forgot its `where tenant_id = …` returns
 * no other tenant's data, it returns nothing.
 *
 * The setting comes from the async context the query runs in:
 *   - a staff or consumer request runs in a request scope (server/plugins/tenant-scope.ts); authentication names
 *     the tenant once it knows it (the staff session's tenant, the portal's tenant code);
 *   - an external task, a mailbox's intake, a tenant's seed run inside `withTenant(tenantId, …)`;
 *   - the few jobs that are about every tenant by nature (the outbox dispatchers, the task read model's consumer,
 *     housekeeping, the audit sealer, finding a staff account by e-mail at login) run inside
 *     `withAllTenants(reason, …)`: the reason names the job, so a grep shows every place that crosses tenants.
 *
 * The settings are transaction-local (`set_config(…, true)`) and sent in the same transaction as the query
 * (server/db/scoped-client.ts), so a pooled connection never carries one request's tenant into another's query.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export type TenantScope =
  { kind: 'tenant'; tenantId: string } | { kind: 'all'; reason: string } | { kind: 'none' };

/** Mutable so that a request's scope can be narrowed by authentication after the request started. */
interface ScopeStore {
  scope: TenantScope;
}

const storage = new AsyncLocalStorage<ScopeStore>();
const NONE: TenantScope = { kind: 'none' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkedTenant(tenantId: string): string {
  // A malformed id would make every policy check fail with a cast error; say what is wrong instead.
  if (!UUID.test(tenantId))
    throw new Error(`tenant scope needs a tenant id (uuid), got ${JSON.stringify(tenantId)}`);
  return tenantId;
}

/** Thrown by a query that runs outside every scope: an entry point (a loop, a script) forgot to say whose rows. */
export class NoTenantScopeError extends Error {
  constructor() {
    super(
      'database query outside a tenant scope: run it inside withTenant(…), withAllTenants(…) or a request (server/db/tenant-scope.ts)',
    );
    this.name = 'NoTenantScopeError';
  }
}

/**
 * The scope of the code running now. Inside a request before authentication: 'none' (sees no tenant's rows).
 * Outside every scope: an error, not an empty result, so that a background job that forgot its scope fails loudly
 * instead of silently finding nothing to do.
 */
export function currentScope(): TenantScope {
  const store = storage.getStore();
  if (!store) throw new NoTenantScopeError();
  return store.scope;
}

/**
 * Runs `fn` in `store` and starts what it returns there. A drizzle query is a lazy thenable: it runs when awaited,
 * and the caller awaits it after the scope ended, so `withTenant(id, () => db.select()…)` would run the query in
 * the caller's scope. Calling its `then` inside the scope sends it from there.
 */
function runIn<T>(store: ScopeStore, fn: () => T): Promise<Awaited<T>> {
  return storage.run(store, () => {
    try {
      const result: unknown = fn();
      if (result instanceof Promise) return result as Promise<Awaited<T>>;
      if (
        result !== null &&
        typeof result === 'object' &&
        typeof (result as { then?: unknown }).then === 'function'
      )
        return new Promise<Awaited<T>>((resolve, reject) =>
          (result as PromiseLike<Awaited<T>>).then(resolve, reject),
        );
      return Promise.resolve(result as Awaited<T>);
    } catch (err) {
      return Promise.reject(err as Error);
    }
  });
}

/**
 * Runs `fn` seeing only `tenantId`'s rows. It narrows (from every tenant, or from a request that has not named its
 * tenant yet) and may repeat the tenant in force, but never switches from one tenant to another: code working for
 * one tenant that asks for another's rows is a bug, and it fails here instead of reading them.
 */
export function withTenant<T>(tenantId: string, fn: () => T): Promise<Awaited<T>> {
  try {
    const id = checkedTenant(tenantId);
    const current = storage.getStore()?.scope;
    if (current?.kind === 'tenant' && current.tenantId !== id)
      throw new Error('code working for one tenant asked for another tenant’s rows');
    return runIn({ scope: { kind: 'tenant', tenantId: id } }, fn);
  } catch (err) {
    return Promise.reject(err as Error);
  }
}

/** Runs `fn` seeing every tenant's rows; `reason` names the job (kept for the reader and for stack traces). */
export function withAllTenants<T>(reason: string, fn: () => T): Promise<Awaited<T>> {
  return runIn({ scope: { kind: 'all', reason } }, fn);
}

/**
 * Starts a scope that sees nothing yet and can be narrowed with `scopeToTenant` (one per HTTP request: the hook
 * calls it with fastify's `done`, and everything the request does later runs inside).
 */
export function runInOpenScope<T>(fn: () => T): T {
  return storage.run({ scope: NONE }, fn);
}

/**
 * Narrows the current request scope to one tenant, once authentication knows it. Refuses to change a scope that
 * already names another tenant: one request works for one tenant.
 */
export function scopeToTenant(tenantId: string): void {
  const store = storage.getStore();
  if (!store) throw new Error('scopeToTenant outside a request scope');
  const id = checkedTenant(tenantId);
  if (store.scope.kind === 'tenant' && store.scope.tenantId !== id)
    throw new Error('code working for one tenant asked for another tenant’s rows');
  store.scope = { kind: 'tenant', tenantId: id };
}

/** The two settings the policies read, for a scope. */
export function scopeSettings(scope: TenantScope): [tenantId: string, allTenants: string] {
  if (scope.kind === 'tenant') return [scope.tenantId, ''];
  if (scope.kind === 'all') return ['', 'on'];
  return ['', ''];
}
