/**
 * Least privilege in the database (issue 13 item 6; design.md "Database roles").
 *
 * Migrations run as the owner (DATABASE_URL's user: it owns the tables, the triggers and the functions). After
 * migrating, the app makes sure two LOGIN roles exist for its database and connects through them:
 *
 *   <database>_api      the HTTP API and the pages
 *   <database>_workers  the background thread: external-task workers, mail intake, dispatchers, the audit
 *                       sealer and housekeeping
 *
 * Names come from the database name, so test databases and installations sharing one PostgreSQL server never
 * share a role. Passwords are derived from APP_SECRET with HMAC (nothing to store, every replica computes the
 * same one) and sent to the server as a SCRAM verifier computed here, so the clear password never appears in a
 * statement (nor in a server log with log_statement=all).
 *
 * The grants are applied at every start, after migrating, rather than in a migration: the role names depend on
 * the database name (unknown when a migration is written), and re-applying them picks up the tables a new
 * migration added. They are exactly (everything else revoked first, in one transaction):
 *   - CONNECT on the database, USAGE on schema public; no CREATE anywhere, no TRUNCATE, REFERENCES or TRIGGER,
 *     no ownership, so no ALTER/DROP and no DISABLE TRIGGER;
 *   - SELECT, INSERT, UPDATE on every table of schema public, DELETE only on the tables in DELETABLE;
 *   - on the append-only tables (APPEND_ONLY) SELECT and INSERT only, and audit_chain INSERT only for the workers
 *     (the sealer is the one writer of links);
 *   - USAGE on the sequences (serial ids); no UPDATE on them (setval);
 *   - no EXECUTE on our trigger functions (revoked from PUBLIC; triggers still fire, the check happens only when a
 *     trigger is created). No function of ours rewrites history; should one appear, it stays unexecutable.
 *
 * An operator may create the app's role themselves (APP_DATABASE_URL, deploy/README.md); it then gets the
 * union of both grant sets, and start-up refuses a role that is a superuser or owns the tables.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import postgres from 'postgres';

/** Tables the app appends to and reads, never changes: audit, chain, access log, anonymisation log. */
export const APPEND_ONLY = ['audit_log', 'audit_chain', 'personal_data_access', 'anonymisations'] as const;

/**
 * The tables the app deletes rows from (found by reading every delete in server/): sessions and login codes
 * that expire, lockout counters, replaced tokens, recovery codes and job-role holders, saved filters, extra
 * non-working days, the raw e-mails the retention purge removes (its trigger asks for app.retention_purge), and
 * the parts of uploads that were refused or broken off (a trigger keeps a stored blob's parts), and registrations'
 * Idempotency-Keys past their week.
 * A new delete elsewhere fails with "permission denied for table …" until its table is named here.
 */
export const DELETABLE = [
  'sessions',
  'consumer_sessions',
  'portal_login_codes',
  'staff_login_failures',
  'staff_password_tokens',
  'staff_recovery_codes',
  'job_role_holders',
  'inbox_saved_filters',
  'tenant_non_working_days',
  'mail_blobs',
  'blob_upload_parts',
  'registration_keys',
] as const;

export type AppRoleKind = 'api' | 'workers';

export interface AppDatabaseUrls {
  /** Where the API connects. */
  api: string;
  /** Where the background thread connects. */
  workers: string;
}

/** The database a connection URL names (PostgreSQL's default: the user's name). */
export function databaseOf(url: string): string {
  const u = new URL(url);
  return decodeURIComponent(u.pathname.replace(/^\//, '')) || decodeURIComponent(u.username) || 'postgres';
}

/** The two roles of one database; a long name is shortened with a hash so the 63-byte limit never truncates. */
export function appRoleNames(database: string): Record<AppRoleKind, string> {
  const base =
    database.length <= 48
      ? database
      : `${database.slice(0, 36)}_${createHash('sha256').update(database).digest('hex').slice(0, 10)}`;
  return { api: `${base}_api`, workers: `${base}_workers` };
}

/** The role's password: HMAC of APP_SECRET with a purpose label naming the database and the role. */
export function rolePassword(secret: string, database: string, role: string): string {
  return createHmac('sha256', secret)
    .update(`database-role-password\n${database}\n${role}`)
    .digest('base64url');
}

/** A SCRAM-SHA-256 verifier (RFC 5802/7677, PostgreSQL's stored form) for an ASCII password. */
export function scramVerifier(password: string, iterations = 4096, salt = randomBytes(16)): string {
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** The owner's URL with another user and password (same host, port, database and options). */
export function urlAs(ownerUrl: string, user: string, password: string): string {
  const u = new URL(ownerUrl);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Any fixed number: serialises grant rounds of replicas starting together (per database). */
const GRANTS_LOCK = 7_215_004_212;

type Sql = ReturnType<typeof postgres>;

/** Revokes everything from the roles and grants exactly what the app needs (see the header). */
async function applyGrants(owner: Sql, roles: Record<AppRoleKind, string>): Promise<void> {
  const database = (await owner<Array<{ db: string }>>`select current_database() as db`)[0]!.db;
  await owner.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${GRANTS_LOCK})`;
    const tables = (
      await tx<Array<{ name: string }>>`
        select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public' and c.relkind in ('r', 'p', 'v') order by 1`
    ).map((r) => r.name);
    const triggerFunctions = await tx<Array<{ signature: string }>>`
      select p.oid::regprocedure::text as signature from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'public' and p.prorettype = 'trigger'::regtype
         and pg_get_userbyid(p.proowner) = current_user`;
    for (const f of triggerFunctions)
      await tx.unsafe(`revoke execute on function ${f.signature} from public`);
    // Since PostgreSQL 15 the default; older servers let every role create in public.
    await tx.unsafe('revoke create on schema public from public');
    for (const kind of ['api', 'workers'] as const) {
      const role = ident(roles[kind]);
      await tx.unsafe(`revoke all on all tables in schema public from ${role}`);
      await tx.unsafe(`revoke all on all sequences in schema public from ${role}`);
      await tx.unsafe(`revoke all on schema public from ${role}`);
      await tx.unsafe(`grant connect on database ${ident(database)} to ${role}`);
      await tx.unsafe(`grant usage on schema public to ${role}`);
      await tx.unsafe(`grant usage on all sequences in schema public to ${role}`);
      for (const table of tables) {
        const privileges = (APPEND_ONLY as readonly string[]).includes(table)
          ? table === 'audit_chain' && kind === 'api'
            ? ['select']
            : ['select', 'insert']
          : [
              'select',
              'insert',
              'update',
              ...((DELETABLE as readonly string[]).includes(table) ? ['delete'] : []),
            ];
        await tx.unsafe(`grant ${privileges.join(', ')} on table ${ident(table)} to ${role}`);
      }
    }
    await applyTenantPolicies(tx);
  });
}

/**
 * The policy on every tenant table. The version is in the name: a changed rule gets a new name, and a start
 * replaces the old policy; an unchanged one is left alone (re-creating it would lock every table at every start).
 */
export const TENANT_POLICY = 'tenant_scope_v1';

/**
 * Row-level security on every table with a `tenant_id` column (server/db/tenant-scope.ts says where the settings
 * come from). ENABLE, not FORCE: the owner (migrations, the test's checks) is not filtered, the app's roles are.
 * `nullif(…, '')::uuid` keeps the comparison an indexable equality on tenant_id; with nothing set it is null and
 * no row matches. WITH CHECK applies the same rule to inserted and updated rows, so no scope writes another
 * tenant's row either.
 */
async function applyTenantPolicies(tx: postgres.TransactionSql): Promise<void> {
  const tables = await tx<Array<{ name: string; enabled: boolean }>>`
    select c.relname as name, c.relrowsecurity as enabled from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
     where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`;
  const rule =
    "current_setting('app.all_tenants', true) = 'on' " +
    "or tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid";
  const existing = await tx<Array<{ table: string; policy: string }>>`
    select c.relname as table, p.polname as policy
      from pg_policy p join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and p.polname like 'tenant\\_scope%'`;
  for (const { name, enabled } of tables) {
    const mine = existing.filter((e) => e.table === name);
    for (const old of mine.filter((e) => e.policy !== TENANT_POLICY))
      await tx.unsafe(`drop policy ${ident(old.policy)} on ${ident(name)}`);
    if (!mine.some((e) => e.policy === TENANT_POLICY))
      await tx.unsafe(
        `create policy ${TENANT_POLICY} on ${ident(name)} using (${rule}) with check (${rule})`,
      );
    if (!enabled) await tx.unsafe(`alter table ${ident(name)} enable row level security`);
  }
}

/** Refuses an operator-given app role that could rewrite history. */
async function checkOperatorRole(owner: Sql, role: string): Promise<void> {
  const [r] = await owner<Array<{ super: boolean; owns: boolean; bypass: boolean }>>`
    select r.rolsuper as super, r.rolbypassrls as bypass,
           exists (select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
                    where n.nspname = 'public' and pg_has_role(${role}, c.relowner, 'MEMBER')) as owns
      from pg_roles r where r.rolname = ${role}`;
  if (!r) throw new Error(`APP_DATABASE_URL names the role "${role}", which does not exist`);
  if (r.super || r.owns || r.bypass)
    throw new Error(
      `APP_DATABASE_URL must name a role without ownership of the tables, superuser rights or BYPASSRLS; "${role}" ${r.super ? 'is a superuser' : r.owns ? 'owns (or is a member of the owner of) the tables' : 'bypasses row-level security'}. See deploy/README.md.`,
    );
}

/**
 * Makes sure the app's roles exist with their grants and returns the URLs the API and the workers connect with.
 * `ownerUrl` is DATABASE_URL (the owner that ran the migrations); `appUrl` is APP_DATABASE_URL when an operator
 * gives their own role (used by both the API and the workers).
 */
export async function ensureAppRoles(
  ownerUrl: string,
  secret: string,
  appUrl?: string,
): Promise<AppDatabaseUrls> {
  const owner = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    if (appUrl) {
      const role = decodeURIComponent(new URL(appUrl).username);
      await checkOperatorRole(owner, role);
      await applyGrants(owner, { api: role, workers: role });
      return { api: appUrl, workers: appUrl };
    }
    const database = databaseOf(ownerUrl);
    const roles = appRoleNames(database);
    const [me] = await owner<Array<{ super: boolean; createrole: boolean }>>`
      select rolsuper as super, rolcreaterole as createrole from pg_roles where rolname = current_user`;
    if (!me?.super && !me?.createrole)
      throw new Error(
        `The DATABASE_URL role cannot create or update the app's roles ${roles.api} and ${roles.workers} (it needs ` +
          'CREATEROLE). Create a login role for the app yourself and give it as APP_DATABASE_URL (deploy/README.md).',
      );
    const urls = {} as AppDatabaseUrls;
    for (const kind of ['api', 'workers'] as const) {
      const role = roles[kind];
      const password = rolePassword(secret, database, role);
      const verifier = scramVerifier(password);
      const [exists] = await owner`select 1 from pg_roles where rolname = ${role}`;
      const options = `login nosuperuser nocreatedb nocreaterole noinherit noreplication nobypassrls password '${verifier}'`;
      try {
        await owner.unsafe(`${exists ? 'alter' : 'create'} role ${ident(role)} with ${options}`);
      } catch (err) {
        // Another replica (same database) created it between our look and our create: set the password instead.
        if ((err as { code?: string }).code !== '42710') throw err;
        await owner.unsafe(`alter role ${ident(role)} with ${options}`);
      }
      urls[kind] = urlAs(ownerUrl, role, password);
    }
    await applyGrants(owner, roles);
    return urls;
  } finally {
    await owner.end();
  }
}

/** Drops the roles of a database that is gone (tests drop their databases; nothing else needs this). */
export async function dropAppRoles(adminUrl: string, database: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    for (const role of Object.values(appRoleNames(database)))
      await admin.unsafe(`drop role if exists ${ident(role)}`);
  } finally {
    await admin.end();
  }
}
