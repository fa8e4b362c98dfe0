import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { recordQuarantine } from '../../server/intake/mail/inbound.repo.ts';
import { seedDemoCases } from '../../server/seed/demo-cases.ts';
import { DEMO_PORTAL_EMAIL } from '../../server/seed/demo-scenarios.ts';
import { seedCustomers } from '../../server/seed/tenant-setup.ts';
import { createUser } from '../factories/index.ts';
import { freshIp, loginConsumer } from '../api/portal-helpers.ts';
import { createTestContext, PASSWORD, silentLog, type TestContext } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';

/**
 * The tenant attack suite (issue 13, item 12). Both demo tenants get every demo case (the real seeding: intake,
 * call center, portal, workers, engine), so each holds cases, documents, attachments, portal files, tasks,
 * postal dispatches, operator requests, saved filters, quarantined mail and users. Then every route of the app,
 * walked from fastify's own route table (a route added tomorrow is attacked without anyone listing it), is
 * called by every DEMO staff role and the DEMO consumer with ACME's identifiers in its path, query and body,
 * alone and mixed with DEMO's own (own case, foreign document).
 *
 * What must hold, for every call:
 *  - the answer is exactly the answer to the same call with an identifier that does not exist (same status,
 *    same error code): another tenant's data is not even shown to exist;
 *  - no ACME personal data or identifier that the call did not send appears in the answer;
 *  - nothing of ACME's changes (a digest of every ACME row of every tenant table, before and after);
 *  - never a 5xx.
 */

type Kind =
  | 'case'
  | 'document'
  | 'attachment'
  | 'portalFile'
  | 'task'
  | 'user'
  | 'quarantine'
  | 'postalDispatch'
  | 'savedFilter'
  | 'definition'
  | 'incident'
  | 'customer'
  | 'place'
  | 'roleGrant';

/**
 * The kind of identifier each path parameter names. A parameter missing here fails the suite: whoever adds a
 * route with a new parameter says what it identifies (or that it is no identifier of tenant data).
 */
function kindOfParam(url: string, param: string): Kind | 'notAnId' {
  if (param === 'number' || param === 'caseNumber') return 'case';
  if (param === 'documentId') return 'document';
  if (param === 'attachmentId') return 'attachment';
  if (param === 'fileId') return 'portalFile';
  if (param === 'taskId') return 'task';
  if (param === 'filterId') return 'savedFilter';
  if (param === 'definitionId') return 'definition';
  if (param === 'incidentId') return 'incident';
  if (param === 'grantId') return 'roleGrant';
  if (param === 'dispatchId') return 'postalDispatch';
  if (param === 'id') {
    if (url.startsWith('/api/tasks/')) return 'task';
    if (url.startsWith('/api/users/')) return 'user';
    if (url.startsWith('/api/quarantine/')) return 'quarantine';
    if (url.startsWith('/api/postal-dispatches/')) return 'postalDispatch';
  }
  // Names within the caller's own tenant (a rule's category, a job role's code, a holiday, a step of an
  // instruction, an operator reference under a case number), or a supplier's public code (the one a consumer
  // signs in to, the one whose published report anyone may read).
  if (['category', 'code', 'day', 'index', 'ref', 'tenantCode', 'tenant'].includes(param)) return 'notAnId';
  throw new Error(`${url}: the attack suite does not know what :${param} identifies; add it to kindOfParam`);
}

/** Body and query fields that carry identifiers of tenant data. */
function kindOfField(name: string): Kind | null {
  if (/^(caseNumber|number|contestedNumber|linkedCaseNumber|duplicateOf)$/.test(name)) return 'case';
  if (name === 'customerId') return 'customer';
  if (name === 'placeId') return 'place';
  if (/^(userId|assigneeId|assignee|delegateId|holderId)$/.test(name)) return 'user';
  if (name === 'taskId') return 'task';
  if (name === 'documentId') return 'document';
  return null;
}

/** Routes the suite does not call, each with its reason. */
const NOT_ATTACKED: Array<[string, string, string]> = [
  ['POST', '/api/auth/logout', 'ends the attacker’s own session; carries no identifier'],
  ['DELETE', '/api/portal/session', 'ends the attacker’s own session; carries no identifier'],
  ['POST', '/api/auth/login', 'public; its isolation is the login tests’ subject'],
  ['POST', '/api/account/password-link', 'public; sends a link to an address, no tenant data'],
  ['POST', '/api/account/password', 'public; takes a one-time token, no tenant data'],
  ['POST', '/api/account/own-password', 'changes the attacker’s own password'],
];

/** Values of the parameters that name things within the caller's own tenant. */
const OWN_NAMES: Record<string, string> = {
  category: 'facturare',
  code: 'RSP',
  day: '2026-12-28',
  index: '0',
  ref: 'OD1',
  tenantCode: 'DEMO',
};

interface Pool {
  values: Record<Kind, string[]>;
  /** ACME strings that must never appear in a DEMO caller's answer. */
  secrets: string[];
}

/** A value of the same shape that identifies nothing. */
function nonexistent(kind: Kind, like: string): string {
  if (kind === 'case') return like.replace(/\d{6}$/, '999999');
  if (/^\d+$/.test(like)) return String(9_000_000_000 + Number(like));
  if (/^[0-9a-f-]{36}$/.test(like)) return randomUUID();
  return `${like.slice(0, -6)}zzzzzz`;
}

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  minItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  format?: string;
  pattern?: string;
};

/** A value the schema accepts, with identifier fields taken from `pick`. */
function sample(
  schema: JsonSchema | undefined,
  name: string,
  pick: (k: Kind) => string | undefined,
): unknown {
  if (!schema) return undefined;
  const kind = kindOfField(name);
  if (kind) {
    const v = pick(kind);
    if (v !== undefined) return schema.type === 'integer' || schema.type === 'number' ? Number(v) : v;
  }
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf) {
    const first = schema.anyOf.find((s) => s.type !== 'null') ?? schema.anyOf[0];
    return sample(first, name, pick);
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, s] of Object.entries(schema.properties ?? {})) {
        const required = schema.required?.includes(k);
        if (required || kindOfField(k)) {
          const v = sample(s, k, pick);
          if (v !== undefined) out[k] = v;
        }
      }
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 0) }, () =>
        sample(schema.items, name, pick),
      );
    case 'integer':
    case 'number':
      return Math.max(1, schema.minimum ?? 1);
    case 'boolean':
      return true;
    case 'string': {
      if (schema.format === 'date') return '2026-12-15';
      if (schema.format === 'date-time') return '2026-12-15T10:00:00.000Z';
      if (schema.format === 'email') return 'atacator@exemplu.test';
      if (schema.format === 'uuid') return randomUUID();
      const text = 'Text de test suficient de lung pentru orice câmp obligatoriu al formularului.';
      return text.slice(0, Math.max(schema.minLength ?? 1, Math.min(schema.maxLength ?? 40, 40)));
    }
    default:
      return undefined;
  }
}

interface Call {
  method: string;
  url: string;
  payload?: unknown;
}

/** The calls one route gets: every mix of ACME's and the caller's own identifiers, at least one ACME's. */
function callsFor(route: RouteOptions, method: string, acme: Pool, demo: Pool) {
  const params = [...route.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
  const kinds = params.map((p) => kindOfParam(route.url, p));
  const schema = (route.schema ?? {}) as { body?: JsonSchema; querystring?: JsonSchema };
  const out: Array<{ attack: Call; control: Call; sent: string[] }> = [];
  const idKinds = kinds.filter((k): k is Kind => k !== 'notAnId');
  const bodyHasIds = JSON.stringify(sample(schema.body, '', () => 'X') ?? {}).includes('"X"');
  const queryHasIds = JSON.stringify(sample(schema.querystring, '', () => 'X') ?? {}).includes('"X"');
  if (!idKinds.length && !bodyHasIds && !queryHasIds) return out;

  // Which identifiers are ACME's: each id-param alone, all of them, and the body/query fields.
  const masks: boolean[][] = [];
  const idx = kinds.map((k, i) => (k === 'notAnId' ? -1 : i)).filter((i) => i >= 0);
  for (const i of idx) masks.push(kinds.map((_, j) => j === i));
  if (idx.length > 1) masks.push(kinds.map((k) => k !== 'notAnId'));
  if (!idx.length) masks.push(kinds.map(() => false));

  for (const mask of masks) {
    for (const fieldsForeign of bodyHasIds || queryHasIds ? [true, false] : [false]) {
      if (!mask.some(Boolean) && !fieldsForeign) continue;
      const sent: string[] = [];
      const build = (foreign: 'acme' | 'none'): Call => {
        let url = route.url;
        params.forEach((p, i) => {
          const k = kinds[i]!;
          let v: string;
          if (k === 'notAnId') v = OWN_NAMES[p] ?? 'x';
          else if (mask[i]) {
            const a = acme.values[k][0]!;
            v = foreign === 'acme' ? a : nonexistent(k, a);
            if (foreign === 'acme') sent.push(a);
          } else v = demo.values[k][0]!;
          url = url.replace(`:${p}`, encodeURIComponent(v ?? 'x'));
        });
        const pick = (k: Kind) => {
          const own = demo.values[k]?.[0];
          if (!fieldsForeign) return own;
          const a = acme.values[k]?.[0];
          if (!a) return own;
          if (foreign === 'acme') sent.push(a);
          return foreign === 'acme' ? a : nonexistent(k, a);
        };
        const query = sample(schema.querystring, '', pick) as Record<string, unknown> | undefined;
        const qs = query && Object.keys(query).length ? `?${new URLSearchParams(query as never)}` : '';
        const payload = ['POST', 'PUT', 'PATCH'].includes(method)
          ? (sample(schema.body, '', pick) ?? {})
          : undefined;
        return { method, url: url + qs, payload };
      };
      out.push({ attack: build('acme'), control: build('none'), sent });
    }
  }
  return out;
}

describe('tenant isolation: every route, every role', () => {
  let t: TestContext;
  let acme: Pool;
  let demo: Pool;
  const rows = async <T>(q: ReturnType<typeof sql>) => (await t.db.execute(q)) as unknown as T[];
  /** Signs in from an address of its own (the login limit per client address is not this suite's subject). */
  const login = async (email: string) => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password: PASSWORD },
      remoteAddress: freshIp(),
    });
    expect(r.statusCode, r.body).toBe(200);
    return { authorization: `Bearer ${r.json<{ token: string }>().token}` };
  };

  /** Digest of every ACME row of every table with a tenant_id: any change to ACME's data shows. */
  const acmeDigest = async () => {
    const tables = await rows<{ table_name: string }>(sql`
      select table_name from information_schema.columns
       where table_schema = 'public' and column_name = 'tenant_id'
         and table_name not in ('sessions', 'consumer_sessions', 'staff_login_failures', 'portal_login_codes',
                                'portal_link_attempts')
       order by table_name`);
    const out: Record<string, string> = {};
    for (const { table_name } of tables) {
      const [r] = await rows<{ d: string | null }>(
        sql.raw(`select md5(string_agg(x::text, '|' order by x::text)) as d from "${table_name}" x
                  where tenant_id = '${t.acmeTenantId}'`),
      );
      out[table_name] = r?.d ?? '';
    }
    return out;
  };

  async function poolOf(tenantId: string): Promise<Pool> {
    const col = async (q: ReturnType<typeof sql>) => (await rows<{ v: string }>(q)).map((r) => String(r.v));
    const values: Record<Kind, string[]> = {
      case: await col(sql`select c.number as v from cases c where c.tenant_id = ${tenantId}
                            order by (select count(*) from case_documents d where d.case_id = c.id) desc, c.number`),
      document: [],
      attachment: await col(
        sql`select id as v from inbound_attachments where tenant_id = ${tenantId} order by id`,
      ),
      portalFile: await col(sql`select id as v from portal_files where tenant_id = ${tenantId} order by id`),
      task: await col(sql`select id as v from tasks where tenant_id = ${tenantId} order by state, id`),
      user: await col(sql`select id as v from users where tenant_id = ${tenantId} order by email`),
      quarantine: await col(
        sql`select id as v from mail_quarantine where tenant_id = ${tenantId} order by id`,
      ),
      postalDispatch: await col(
        sql`select id as v from postal_dispatches where tenant_id = ${tenantId} order by id`,
      ),
      savedFilter: await col(sql`select id as v from inbox_saved_filters where tenant_id = ${tenantId}`),
      customer: await col(
        sql`select id as v from customers where tenant_id = ${tenantId} order by customer_code`,
      ),
      place: await col(sql`select id as v from places where tenant_id = ${tenantId} order by id`),
      // Asked of the engine with the test's own credentials: EngineClient exposes no raw request.
      definition: (
        (await (
          await fetch(`${t.engineRest.url}/process-definition?tenantIdIn=${tenantId}&latestVersion=true`, {
            headers: { authorization: t.engineRest.authorization, accept: 'application/json' },
          })
        ).json()) as Array<{ id: string }>
      ).map((d) => d.id),
      incident: [randomUUID()],
      roleGrant: await col(sql`select id as v from role_grant_requests where tenant_id = ${tenantId}`),
    };
    // The first document is one of the first case's, so the all-ACME call names a real pair.
    values.document = await col(sql`select d.id as v from case_documents d join cases c on c.id = d.case_id
                                      where d.tenant_id = ${tenantId}
                                      order by (c.number = ${values.case[0]!}) desc, d.id`);
    for (const [k, v] of Object.entries(values))
      if (!v.length) throw new Error(`no ${k} in tenant ${tenantId}: the attack would prove nothing for it`);
    const secrets = [
      ...(await col(sql`select name as v from customers where tenant_id = ${tenantId}`)),
      ...(await col(sql`select customer_code as v from customers where tenant_id = ${tenantId}`)),
      ...(await col(
        sql`select email as v from customers where tenant_id = ${tenantId} and email is not null`,
      )),
      ...(await col(sql`select place_code as v from places where tenant_id = ${tenantId}`)),
      ...(await col(sql`select email as v from users where tenant_id = ${tenantId}`)),
      ...(await col(
        sql`select subject as v from cases where tenant_id = ${tenantId} and subject is not null`,
      )),
      ...values.case,
      ...values.task,
      ...values.customer,
      ...values.place,
      ...values.definition,
    ].filter((s) => s.length >= 6);
    return { values, secrets };
  }

  beforeAll(async () => {
    t = await createTestContext({ workers: true });
    // ACME gets one member of staff holding every job role, so the demo seeding can take its cases through.
    const jobRoles = (
      await rows<{ code: string }>(sql`select code from job_roles where tenant_id = ${t.acmeTenantId}`)
    ).map((r) => r.code);
    await createUser(t, {
      tenantId: t.acmeTenantId,
      email: 'sef@acme.local',
      name: 'Șef Acme',
      roles: ['agent', 'officer', 'supervisor', 'admin', 'designer'],
      jobRoles,
    });
    // ACME gets DEMO's customers too (same codes, same names: two suppliers may well share them), so the same
    // demo cases can be made in both; every lookup by code must still stay within its tenant.
    await seedCustomers(t.db, t.acmeTenantId, 'DEMO');
    const deps = { db: t.db, engine: t.engine, secret: inject('appSecret'), log: silentLog };
    const reports = await Promise.all([
      seedDemoCases(deps, t.demoTenantId, { stepTimeoutMs: 180_000 }),
      seedDemoCases(deps, t.acmeTenantId, { stepTimeoutMs: 180_000 }),
    ]);
    expect(reports.every((r) => !r.busy)).toBe(true);
    for (const [tenantId, code] of [
      [t.demoTenantId, 'DEMO'],
      [t.acmeTenantId, 'ACME'],
    ] as const) {
      await recordQuarantine(t.db, {
        tenantId,
        messageId: `<carantina-${code}@exemplu.test>`,
        subject: `Mesaj în carantină ${code}`,
        fromAddress: `expeditor.${code.toLowerCase()}@exemplu.test`,
        reason: 'unreadable',
        folder: 'Quarantine',
        arrivedAt: new Date(),
      });
    }
    // A saved inbox filter of each tenant, made through the API by its own staff.
    for (const email of ['officer@demo.local', 'sef@acme.local']) {
      const h = await login(email);
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/tasks/saved-filters',
        headers: h,
        payload: { name: 'Facturare', filters: { category: 'facturare' } },
      });
      expect(r.statusCode, r.body).toBeLessThan(300);
    }
    // A designer grant waiting for a second admin, in each tenant (the two-person rule).
    for (const [admin, target] of [
      ['admin@demo.local', 'officer@demo.local'],
      ['sef@acme.local', `officer-`],
    ]) {
      const h = await login(admin!);
      const users = await t.app.inject({ method: 'GET', url: '/api/users', headers: h });
      const user = users
        .json<{ items: Array<{ id: string; email: string; roles: string[] }> }>()
        .items.find((u) => u.email.startsWith(target!));
      const r = await t.app.inject({
        method: 'PATCH',
        url: `/api/users/${user!.id}`,
        headers: h,
        payload: { roles: [...user!.roles, 'designer'] },
      });
      expect(r.statusCode, r.body).toBeLessThan(300);
    }
    acme = await poolOf(t.acmeTenantId);
    demo = await poolOf(t.demoTenantId);
    // What both tenants hold alike (the shared customers' names and codes) is no leak when DEMO shows it.
    const own = new Set(demo.secrets);
    acme.secrets = acme.secrets.filter((s) => !own.has(s));
  }, 900_000);

  afterAll(async () => {
    await t?.close();
  });

  it('answers another tenant’s identifiers as if they did not exist, leaks none of its data, changes nothing', async () => {
    const roles: Array<[string, { authorization: string }]> = [];
    for (const email of [
      'agent@demo.local',
      'officer@demo.local',
      'registry@demo.local',
      'finance@demo.local',
      'legal@demo.local',
      'supervisor@demo.local',
      'designer@demo.local',
      'admin@demo.local',
    ])
      roles.push([email, await login(email)]);
    roles.push(['portal consumer', await loginConsumer(t, DEMO_PORTAL_EMAIL)]);

    // Quiet before the attack: nothing of ACME's is still moving (workers, timers, the read model).
    let before = await acmeDigest();
    before = await waitFor(
      async () => {
        const now = await acmeDigest();
        const same = JSON.stringify(now) === JSON.stringify(before);
        before = now;
        return same ? now : null;
      },
      { timeoutMs: 120_000, stepMs: 1000 },
    );

    const skipped = new Set(NOT_ATTACKED.map(([m, u]) => `${m} ${u}`));
    const failures: string[] = [];
    let attacks = 0;
    let notFound = 0;
    const attacked = new Set<string>();
    for (const route of t.app.routeTable) {
      if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) continue;
      for (const method of [route.method].flat()) {
        if (method === 'HEAD' || skipped.has(`${method} ${route.url}`)) continue;
        for (const { attack, control, sent } of callsFor(route, method, acme, demo)) {
          attacked.add(`${method} ${route.url}`);
          for (const [who, headers] of roles) {
            const a = await t.app.inject({ ...attack, headers } as never);
            const c = await t.app.inject({ ...control, headers } as never);
            attacks++;
            const codeOf = (r: typeof a) => {
              try {
                return (r.json() as { code?: string }).code ?? '';
              } catch {
                return '';
              }
            };
            const label = `${who}: ${attack.method} ${attack.url} ${attack.payload ? JSON.stringify(attack.payload) : ''}`;
            if (a.statusCode >= 500) failures.push(`${label} → ${a.statusCode} ${a.body.slice(0, 200)}`);
            if (a.statusCode !== c.statusCode || codeOf(a) !== codeOf(c))
              failures.push(
                `${label} → ${a.statusCode} ${codeOf(a)}, but ${c.statusCode} ${codeOf(c)} for an identifier that does not exist`,
              );
            if (a.statusCode === 404) notFound++;
            const leaked = acme.secrets.filter((s) => !sent.includes(s) && a.body.includes(s));
            if (leaked.length)
              failures.push(`${label} → answer holds ACME data: ${leaked.slice(0, 3).join(', ')}`);
          }
        }
      }
    }
    expect(failures, failures.slice(0, 30).join('\n')).toEqual([]);
    // The suite is not empty: the routes that take identifiers were attacked, and most answers were 404.
    expect(attacked.has('GET /api/complaints/:number')).toBe(true);
    expect(attacked.has('GET /api/portal/cases/:number')).toBe(true);
    expect(attacked.has('POST /api/tasks/:id/complete')).toBe(true);
    expect(attacks).toBeGreaterThan(300);
    expect(notFound).toBeGreaterThan(attacks / 4);
    expect(await acmeDigest()).toEqual(before);
  }, 600_000);

  it('the same calls with the caller’s own identifiers do reach data (the attack is not answered 404 for everything)', async () => {
    const officer = await login('supervisor@demo.local');
    const own = await t.app.inject({
      method: 'GET',
      url: `/api/complaints/${demo.values.case[0]}`,
      headers: officer,
    });
    expect(own.statusCode).toBe(200);
    const foreign = await t.app.inject({
      method: 'GET',
      url: `/api/complaints/${acme.values.case[0]}`,
      headers: officer,
    });
    expect(foreign.statusCode).toBe(404);
    const ownDoc = await t.app.inject({
      method: 'GET',
      url: `/api/complaints/${demo.values.case[0]}/documents/${demo.values.document[0]}`,
      headers: officer,
    });
    expect(ownDoc.statusCode).toBe(200);
  });
});
