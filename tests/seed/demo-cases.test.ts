import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cases, type Case } from '../../server/db/schema/index.ts';
import { createMailer } from '../../server/mail/mailer.ts';
import { DEMO_CASE_STAGES, DEMO_PORTAL_EMAIL, seedDemoCases } from '../../server/seed/demo-cases.ts';
import { DEMO_PASSWORD, DEMO_USERS, TASK_WORKER_ROLES } from '../../server/seed/demo.ts';
import { loginConsumer } from '../api/portal-helpers.ts';
import { createTestContext, silentLog, type TestContext } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';

/**
 * The demo's cases, seeded through the real registration, engine, workers and mail server: each stands where its
 * scenario says (engine activities, case record, postal register, portal), and a second run adds nothing.
 */
// One story in steps: each test goes on from the state the one before left, so they keep their order here (the
// test files themselves run in any order).
describe('demo cases at every stage', { shuffle: false }, () => {
  let t: TestContext;
  // The GDPR request's acknowledgement goes by e-mail, as from the privacy API and npm start.
  const mailer = createMailer(inject('smtpUrl'), 'Reclamații <noreply@reclamatii.local>');

  beforeAll(async () => {
    t = await createTestContext({ workers: true });
  });
  afterAll(async () => {
    mailer.close();
    await t?.close();
  });

  const caseRow = async (number: string): Promise<Case> =>
    (
      await t.db
        .select()
        .from(cases)
        .where(and(eq(cases.tenantId, t.demoTenantId), eq(cases.number, number)))
    )[0]!;

  /**
   * Where the case waits now: the active activities of its instance and its called sub-processes (the call
   * activities that wait for those, `handling` and `verify`, left out, and the join of the parallel verifications,
   * `verified`, where a branch already done waits for the others).
   */
  async function activities(number: string): Promise<string[]> {
    const out: string[] = [];
    for (const i of await t.engine.findProcessInstances({ businessKey: number, tenantId: t.demoTenantId }))
      out.push(...(await t.engine.activeActivityIds(i.id)));
    return out.filter((a) => a !== 'handling' && a !== 'verify' && a !== 'verified').sort();
  }

  const rows = async <T>(q: ReturnType<typeof sql>) => (await t.db.execute(q)) as unknown as T[];

  it('seeds every scenario once, each at its stage, also after a stopped run; then a run is a quick no-op', async () => {
    const deps = { db: t.db, engine: t.engine, secret: inject('appSecret'), log: silentLog, mailer };
    const started = Date.now();
    // Stopped midway, as by Ctrl-C during the first npm start (once staff have completed a few tasks): the next
    // run finishes what it began.
    const ac = new AbortController();
    const stopped = seedDemoCases(deps, t.demoTenantId, { signal: ac.signal });
    await waitFor(
      async () => {
        const [done] = await rows<{ n: number }>(
          sql`select count(*)::int as n from audit_log where tenant_id = ${t.demoTenantId} and action = 'task.completed'`,
        );
        return done!.n >= 8;
      },
      { timeoutMs: 60_000, stepMs: 50 },
    );
    ac.abort();
    await expect(stopped).rejects.toThrow('stopped');
    const first = await seedDemoCases(deps, t.demoTenantId);
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `demo cases seeded in ${seconds.toFixed(1)} s (${Object.keys(first.resumed).length} begun by the stopped run)`,
    );
    expect(first.busy).toBe(false);
    expect(Object.keys(first.resumed).length).toBeGreaterThan(0);
    // Finished by the stopped run, begun by it and finished now, or new: each scenario once.
    const parts = [first.present, first.resumed, first.created].map(Object.keys);
    expect(parts.flat().sort()).toEqual(Object.keys(DEMO_CASE_STAGES).sort());
    const n = { ...first.present, ...first.resumed, ...first.created } as Record<
      keyof typeof DEMO_CASE_STAGES,
      string
    >;
    expect(new Set(Object.values(n)).size).toBe(Object.keys(n).length);
    const markers = await rows<{ n: number }>(
      sql`select count(*)::int as n from audit_log where tenant_id = ${t.demoTenantId} and action = 'demo.scenario_seeded'`,
    );
    expect(markers[0]!.n).toBe(Object.keys(n).length);

    // Channels and categories vary (the supervisor's charts).
    const { 'gdpr-request': gdprNumber, ...caseNumbers } = n;
    const all = await Promise.all(Object.values(caseNumbers).map(caseRow));
    expect(new Set(all.map((c) => c.channel))).toEqual(new Set(['email', 'call_center', 'portal']));
    expect(new Set(all.map((c) => c.category)).size).toBeGreaterThanOrEqual(6);

    // E-mail: the registration check, the classification with the consumer's reply, the identification.
    expect(await activities(n['email-check'])).toEqual(['checkEmail']);
    expect(await activities(n['email-triage'])).toEqual(['triage']);
    const replies = await rows<{ kind: string; correlated: boolean }>(
      sql`select kind, correlated from inbound_messages where case_id = ${(await caseRow(n['email-triage'])).id} order by arrived_at`,
    );
    expect(replies).toEqual([
      { kind: 'complaint', correlated: false },
      { kind: 'reply', correlated: true },
    ]);
    expect(await activities(n['email-identify'])).toEqual(['identify']);
    const identify = await caseRow(n['email-identify']);
    expect(identify.customerId).toBeNull();
    const candidates = await rows<{ n: number }>(
      sql`select count(*)::int as n from identification_candidates where case_id = ${identify.id}`,
    );
    expect(candidates[0]!.n).toBeGreaterThanOrEqual(2);

    // The request to the distribution operator went out and waits for its answer.
    expect(await activities(n['operator-waiting'])).toContain('waitAnswer');
    const od = await rows<{ sent: boolean; answered: boolean }>(
      sql`select sent_at is not null as sent, answered_at is not null as answered from operator_requests
          where case_id = ${(await caseRow(n['operator-waiting'])).id}`,
    );
    expect(od).toEqual([{ sent: true, answered: false }]);

    expect(await activities(n.approval)).toEqual(['approveAnswer']);

    // By post: both letters in the register, the answer dispatched and waiting for its proof of delivery.
    expect(await activities(n.postal)).toEqual(['postalDispatch']);
    const postal = await caseRow(n.postal);
    expect(postal).toMatchObject({ contactEmail: null, status: 'answer_sent' });
    const letters = await rows<{ kind: string; dispatched: boolean; delivered: boolean }>(
      sql`select d.kind, p.dispatched_at is not null as dispatched, p.delivered_at is not null as delivered
          from postal_dispatches p join case_documents d on d.id = p.document_id
          where p.case_id = ${postal.id} order by d.kind`,
    );
    expect(letters).toEqual([
      { kind: 'acknowledgement_letter', dispatched: true, delivered: true },
      { kind: 'answer_letter', dispatched: true, delivered: false },
    ]);

    // Late: escalated, breach recorded, compensation owed and waiting to be granted.
    expect(await activities(n['late-compensation'])).toEqual(['escalation', 'grantCompensation']);
    const late = await caseRow(n['late-compensation']);
    expect(late.breachedAt).not.toBeNull();
    expect(late.delayDays).toBeGreaterThan(0);
    expect(late.compensationLei).toBe(100 + 50 * (late.delayDays! - 1));

    expect(await caseRow(n.duplicate)).toMatchObject({ status: 'filed', filedReason: 'duplicate' });
    expect(await caseRow(n['resolved-on-call'])).toMatchObject({ status: 'closed' });
    for (const k of ['duplicate', 'resolved-on-call', 'portal-closed'] as const)
      expect(await activities(n[k]), k).toEqual([]);

    // Portal: answered by e-mail and closed, contested by a linked case (IL-34), the gas case with information.
    const closed = await caseRow(n['portal-closed']);
    expect(closed).toMatchObject({ status: 'closed', channel: 'portal' });
    expect(closed.answerSentAt).not.toBeNull();
    const contest = await caseRow(n['portal-contest']);
    expect(contest).toMatchObject({ contestsCaseId: closed.id, category: 'solutionare_plangeri' });
    expect(await activities(n['portal-contest'])).toEqual(['reviewPrevious']);
    expect(await activities(n['portal-gas'])).toEqual(['checkGas']);

    // Metering, contracts and legal have work of their own: the meter check, the contract check, an authority's
    // referral waiting for the point of view (beside its billing check) and a GDPR request at the DPO's task.
    expect(await activities(n['meter-check'])).toEqual(['checkMeter']);
    expect(await activities(n['contract-check'])).toEqual(['checkContract']);
    // pointOfView twice: the call activity of the handling process and the CJ's task in verify-authority.
    expect(await activities(n['authority-referral'])).toEqual(['checkInvoice', 'pointOfView', 'pointOfView']);
    expect(await caseRow(n['authority-referral'])).toMatchObject({
      source: 'authority',
      authorityName: 'ANPC',
      authorityReference: 'ANPC-4417/2026',
    });
    expect(gdprNumber).toMatch(/^DEMO-GDPR-\d{4}-\d{6}$/);
    expect(await activities(gdprNumber)).toEqual(['dataSubjectRequest']);
    const info = await rows<{ kind: string; correlated: boolean | null }>(
      sql`select kind, correlated from portal_submissions where case_id = ${(await caseRow(n['portal-gas'])).id} order by created_at`,
    );
    expect(info.map((i) => i.kind)).toEqual(['complaint', 'information']);
    expect(info[1]!.correlated).toBe(true);

    // The consumer's account, logged in with a real e-mailed code, sees both places and the three cases.
    const consumer = await loginConsumer(t, DEMO_PORTAL_EMAIL);
    const places = await t.app.inject({ method: 'GET', url: '/api/portal/places', headers: consumer });
    expect(places.statusCode, places.body).toBe(200);
    expect(
      places
        .json<Array<{ placeCode: string }>>()
        .map((p) => p.placeCode)
        .sort(),
    ).toEqual(['DEG2210934', 'RO001E512340001']);
    const mine = await t.app.inject({ method: 'GET', url: '/api/portal/cases', headers: consumer });
    expect(mine.statusCode, mine.body).toBe(200);
    const listed = mine.json<Array<{ number: string; placeCode: string | null }>>();
    expect(listed.map((c) => c.number).sort()).toEqual(
      [n['portal-closed'], n['portal-contest'], n['portal-gas']].sort(),
    );
    expect(new Set(listed.map((c) => c.placeCode))).toEqual(new Set(['RO001E512340001', 'DEG2210934']));

    // Again: nothing new, one quick check.
    const count = async () =>
      (
        await rows<{ n: number }>(
          sql`select count(*)::int as n from cases where tenant_id = ${t.demoTenantId}`,
        )
      )[0]!.n;
    const before = await count();
    const again = Date.now();
    const second = await seedDemoCases(deps, t.demoTenantId);
    const secondMs = Date.now() - again;
    console.log(`second run: ${secondMs} ms`);
    expect(second.created).toEqual({});
    expect(second.resumed).toEqual({});
    expect(second.present).toEqual(n);
    expect(await count()).toBe(before);
    expect(secondMs).toBeLessThan(2000);
  }, 300_000);

  it('every demo login that works tasks finds open work in its team inbox at once; legal an open GDPR request', async () => {
    // The call-center agent works from the console, the designer and the admin work no tasks.
    const workers = DEMO_USERS.filter(
      (u) => u.email !== 'agent@demo.local' && u.roles.some((r) => TASK_WORKER_ROLES.includes(r)),
    );
    expect(workers.map((u) => u.email)).toEqual(
      expect.arrayContaining(['metering@demo.local', 'contracts@demo.local', 'legal@demo.local']),
    );
    const headersOf = async (email: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email, password: DEMO_PASSWORD },
      });
      expect(res.statusCode, `${email}: ${res.body}`).toBe(200);
      return { authorization: `Bearer ${res.json<{ token: string }>().token}` };
    };
    const empty: string[] = [];
    for (const u of workers) {
      const headers = await headersOf(u.email);
      // The inbox is a projection of the engine's tasks: given a moment to catch up.
      const seen = await waitFor(
        async () => {
          const res = await t.app.inject({ method: 'GET', url: '/api/tasks?scope=groups', headers });
          expect(res.statusCode, res.body).toBe(200);
          return res.json<{ items: unknown[] }>().items.length > 0;
        },
        { timeoutMs: 15_000, stepMs: 250 },
      ).then(
        () => true,
        () => false,
      );
      if (!seen) empty.push(u.email);
    }
    expect(empty).toEqual([]);

    const legal = await headersOf('legal@demo.local');
    const open = await t.app.inject({
      method: 'GET',
      url: '/api/privacy/requests?status=open',
      headers: legal,
    });
    expect(open.statusCode, open.body).toBe(200);
    expect(open.json<{ items: Array<{ status: string }> }>().items.length).toBeGreaterThan(0);
  }, 180_000);

  /** `npm run demo:seed -- --tenant <code>` against this test's database, engine and mail server. */
  async function cli(tenant: string) {
    const env = {
      ...process.env,
      DATABASE_URL: t.databaseUrl,
      ENGINE_URL: inject('engineUrl'),
      ENGINE_USER: inject('engineUser'),
      ENGINE_PASSWORD: inject('enginePassword'),
      SMTP_URL: inject('smtpUrl'),
      APP_SECRET: inject('appSecret'),
    };
    return promisify(execFile)('npx', ['tsx', 'server/seed/demo-seed-cli.ts', '--tenant', tenant], {
      env,
    }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
  }

  it('the command refuses an unknown tenant in one sentence and finds the seeded one complete', async () => {
    const unknown = await cli('NOPE');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe('There is no tenant with the code NOPE.');
    const demo = await cli('demo');
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toContain('Demo cases of DEMO were already there; nothing done.');
    expect(demo.stdout.trim().split('\n')).toHaveLength(1 + Object.keys(DEMO_CASE_STAGES).length);
  }, 60_000);
});
