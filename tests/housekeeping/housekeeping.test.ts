import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { auditChainKey, sealAll } from '../../server/audit/audit-chain.ts';
import { sessionIdOf } from '../../server/auth/tokens.ts';
import { createDb } from '../../server/db/client.ts';
import { loadConfig } from '../../server/config.ts';
import {
  housekeepingSettings,
  startHousekeeping,
  sweepOnce,
  type SweepCounts,
} from '../../server/housekeeping/housekeeping.ts';
import {
  startTaskEventConsumer,
  type TaskEventConsumer,
} from '../../server/task-read-model/task-event-consumer.ts';
import { createCase } from '../factories/index.ts';
import { createTestContext, silentLog, type TestContext } from '../helpers/test-context.ts';
import { holdsFor, waitFor } from '../helpers/wait.ts';
import {
  freshEmail,
  freshIp,
  loginConsumer,
  requestCode,
  verifyCode,
  waitForCode,
} from '../api/portal-helpers.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const RETENTION_MS = 7 * DAY_MS;

/**
 * The housekeeping sweep on a real database and the real engine's database (shared by every test file of the
 * run, as one engine database can serve several installations).
 */
describe('housekeeping', () => {
  let t: TestContext;
  let consumer: TaskEventConsumer;
  let engineSql: ReturnType<typeof postgres>;
  let officerId: string;

  const rows = async <T>(q: ReturnType<typeof sql>) => (await t.db.execute(q)) as unknown as T[];
  const setCursor = (id: number) =>
    rows(sql`update task_event_cursor set last_event_id = ${id} where id = 1`);
  const cursor = async () =>
    Number(
      (await rows<{ last_event_id: string }>(sql`select last_event_id from task_event_cursor`))[0]!
        .last_event_id,
    );
  const tokenOf = (h: { authorization: string }) => h.authorization.replace(/^Bearer /, '');
  const legalRecord = async () =>
    (
      await rows<Record<string, string>>(sql`
        select (select count(*) from audit_log) as audit, (select count(*) from audit_chain) as chain,
               (select count(*) from cases) as cases, (select count(*) from case_events) as events,
               (select count(*) from case_messages) as messages, (select count(*) from case_documents) as documents,
               (select count(*) from portal_submissions) as submissions`)
    )[0];
  /** Expired staff sessions of the officer, made in bulk (more than one batch). */
  const expiredStaffSessions = (n: number) =>
    t.db.execute(sql`
      insert into sessions (id, user_id, tenant_id, expires_at, created_at)
      select 'expired-' || gen_random_uuid(), ${officerId}, ${t.demoTenantId}, now() - interval '1 minute',
             now() - interval '9 hours'
        from generate_series(1, ${n})`);
  const countExpiredStaff = async () =>
    Number(
      (await rows<{ n: string }>(sql`select count(*) as n from sessions where expires_at < now()`))[0]!.n,
    );

  beforeAll(async () => {
    t = await createTestContext({ workers: true, taskEvents: false });
    // Safety poll off and holes awaited for as long as the test needs: the test moves the cursor itself.
    consumer = startTaskEventConsumer(t.db, inject('engineDatabaseUrl'), silentLog, {
      pollMs: 600_000,
      gapTimeoutMs: 600_000,
    });
    await consumer.ready;
    await consumer.flush();
    engineSql = postgres(inject('engineDatabaseUrl'), { max: 3, onnotice: () => {} });
    officerId = (await rows<{ id: string }>(sql`select id from users where email = 'officer@demo.local'`))[0]!
      .id;
  });
  afterAll(async () => {
    await consumer?.stop();
    await engineSql?.end();
    await t?.close();
  });

  it('removes expired staff sessions in batches; live ones stay and still work', async () => {
    const expired = await t.login('officer@demo.local');
    const live = await t.login('officer@demo.local');
    await t.db.execute(
      sql`update sessions set expires_at = now() - interval '1 second' where id = ${sessionIdOf(tokenOf(expired))}`,
    );
    await expiredStaffSessions(12_000);

    const counts = await sweepOnce(t.workersDb, undefined);
    expect(counts).toEqual<SweepCounts>({
      staffSessions: 12_001,
      consumerSessions: 0,
      loginCodes: 0,
      staffLoginFailures: 0,
      abandonedUploadParts: 0,
      registrationKeys: 0,
      taskEvents: null,
    });
    expect(await countExpiredStaff()).toBe(0);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: live })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: expired })).statusCode).toBe(
      401,
    );
    expect((await rows(sql`select 1 from sessions where id = ${sessionIdOf(tokenOf(live))}`)).length).toBe(1);
  });

  it('removes failed staff logins past the lockout window; a locked address stays locked', async () => {
    // Five tries fifteen minutes ago no longer lock anyone.
    await t.db.execute(sql`
      insert into staff_login_failures (email_hash, at)
      select 'an-address-long-ago', now() - interval '16 minutes' from generate_series(1, 5)`);
    // Five wrong passwords now lock this address.
    const locked = `locked-${randomUUID()}@demo.local`;
    const ip = freshIp();
    const tryLogin = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: locked, password: 'greșită-greșită' },
        // Its own client address: the route's per-address request limit is not what is tested here.
        remoteAddress: ip,
      });
    for (let i = 0; i < 5; i++) expect((await tryLogin()).statusCode).toBe(401);
    expect((await tryLogin()).statusCode).toBe(429);

    const counts = await sweepOnce(t.workersDb, undefined);
    expect(counts?.staffLoginFailures).toBe(5);
    expect(
      (await rows(sql`select 1 from staff_login_failures where email_hash = 'an-address-long-ago'`)).length,
    ).toBe(0);
    const still = await tryLogin();
    expect(still.statusCode).toBe(429);
    expect(still.json<{ code: string }>().code).toBe('AUTH_LOGIN_LOCKED');
  });

  it('removes expired consumer sessions and spent login codes past the rate-limit windows; live ones stay and work', async () => {
    const gone = await loginConsumer(t);
    const kept = await loginConsumer(t);
    await t.db.execute(
      sql`update consumer_sessions set expires_at = now() - interval '1 second'
           where id = ${sessionIdOf(tokenOf(gone))}`,
    );
    // A code asked for and not yet entered.
    const pendingEmail = freshEmail();
    expect((await requestCode(t, pendingEmail, freshIp())).statusCode).toBe(202);

    const code = (email: string, created: string, expires: string, consumed: string | null) =>
      rows<{ id: string }>(sql`
        insert into portal_login_codes (tenant_id, email, code_hash, ip_hash, expires_at, consumed_at, created_at)
        values (${t.demoTenantId}, ${email}, 'not-a-code', 'not-an-ip',
                now() - ${expires}::interval, now() - ${consumed}::interval, now() - ${created}::interval)
        returning id`).then((r) => r[0]!.id);
    const oldUsed = await code(freshEmail(), '2 hours', '110 minutes', '119 minutes');
    const oldExpired = await code(freshEmail(), '2 hours', '110 minutes', null);
    // Expired, but still counts for the hourly limit per client address.
    const recentExpired = await code(freshEmail(), '20 minutes', '10 minutes', null);
    const allCodes = async () =>
      (await rows<{ id: string }>(sql`select id from portal_login_codes`)).map((r) => r.id);
    const before = await allCodes();

    const counts = await sweepOnce(t.workersDb, undefined);
    expect(counts).toMatchObject({ consumerSessions: 1, loginCodes: 2 });
    const after = await allCodes();
    expect(after).not.toContain(oldUsed);
    expect(after).not.toContain(oldExpired);
    expect(after).toContain(recentExpired);
    // Everything else (the two codes used a moment ago by the logins, the pending one) stays.
    expect(after.sort()).toEqual(before.filter((id) => id !== oldUsed && id !== oldExpired).sort());

    expect((await t.app.inject({ method: 'GET', url: '/api/portal/me', headers: kept })).statusCode).toBe(
      200,
    );
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/portal/me',
          headers: { authorization: gone.authorization },
        })
      ).statusCode,
    ).toBe(401);
    // The pending code still opens a session.
    const s = await verifyCode(t, pendingEmail, await waitForCode(pendingEmail));
    expect(s.statusCode).toBe(201);
  });

  it('prunes old task events this database has passed; newer ones, ones above the cursor and other installations\u2019 stay', async () => {
    // Real engine events: a complaint whose analysis task reaches the read model.
    const agent = await t.login('agent@demo.local');
    const { number } = await createCase(t, {
      as: agent,
      subject: 'Factură dublă',
      body: 'Am primit aceeași factură de două ori în aceeași lună, vă rog verificați.',
    });
    const task = await waitFor(async () => {
      await consumer.flush();
      return (
        await rows<{ id: string }>(sql`select id from tasks where case_number = ${number} and state = 'open'`)
      )[0];
    });
    const realIds = (
      await engineSql<
        Array<{ id: string }>
      >`select id from task_event_outbox where tenant_id = ${t.demoTenantId}`
    ).map((r) => Number(r.id));
    expect(realIds.length).toBeGreaterThan(0);
    // Other test files' consumers start at cursor 0 and read this shared outbox from its first id: a row pruned
    // here would be a hole to them (waited for 30 s, holding their cursor back). Every row this test deletes is
    // put back afterwards, with its id, as a recent row (so later sweeps leave it), before it can matter.
    const snapshot = new Map<number, Record<string, unknown>>();
    const remember = async (ids: number[]) => {
      for (const r of await engineSql<Array<Record<string, unknown>>>`
        select * from task_event_outbox where id = any(${ids}::bigint[])`)
        snapshot.set(Number(r.id), r);
    };
    let releaseSlow: () => void = () => {};
    let slow: Promise<unknown> = Promise.resolve();
    try {
      await remember(realIds);
      await engineSql`update task_event_outbox set created_at = now() - interval '8 days' where id = any(${realIds}::bigint[])`;

      const insert = async (
        sqlOrTx: postgres.Sql | postgres.TransactionSql,
        tenantId: string | null,
        ageDays: number,
      ) =>
        Number(
          (
            await sqlOrTx<Array<{ id: string }>>`
              insert into task_event_outbox (event_type, task_id, tenant_id, process_instance_id, task_definition_key,
                                             name, created_at)
              values ('create', ${'hk-' + randomUUID()}, ${tenantId}, 'pi-housekeeping', 'hkTask', 'Sarcină de test',
                      now() - ${ageDays} * interval '1 day')
              returning id`
          )[0]!.id,
        );
      const recent = await insert(engineSql, t.demoTenantId, 0);
      const untenanted = await insert(engineSql, null, 8);
      const otherInstallation = await insert(engineSql, randomUUID(), 8);
      await remember([untenanted]);
      // A hole: an engine transaction that took its id and has not committed, and a later one that has.
      const slowHeld = new Promise<void>((r) => (releaseSlow = r));
      let slowId = 0;
      slow = engineSql.begin(async (tx) => {
        slowId = await insert(tx, t.demoTenantId, 8);
        await slowHeld;
      });
      await waitFor(async () => slowId > 0, { timeoutMs: 5_000, stepMs: 10 });
      const afterHole = await insert(engineSql, t.demoTenantId, 8);
      await remember([afterHole]);
      // Where the consumer stands while our hole is open: just below it. Other test files' engine transactions
      // that rolled back (engines killed on purpose) leave holes of their own below ours, which this consumer
      // would wait out for its whole gap timeout; so the cursor is put where it stands once those are given up
      // (how the consumer waits at a hole is tested in tests/api/inbox-consumer.test.ts). It must stay there:
      // our hole is still open.
      await setCursor(slowId - 1);
      await consumer.flush();
      expect(await cursor()).toBe(slowId - 1);

      await sealAll(t.workersDb, auditChainKey(inject('appSecret')));
      const before = await legalRecord();
      expect(Number(before!.chain)).toBeGreaterThan(0);
      const ids = async () =>
        (
          await engineSql<Array<{ id: string }>>`select id from task_event_outbox
            where id = any(${[...realIds, recent, untenanted, otherInstallation, slowId, afterHole]}::bigint[])`
        ).map((r) => Number(r.id));

      const first = await sweepOnce(t.workersDb, engineSql, { taskEventRetentionMs: RETENTION_MS });
      expect(first?.taskEvents).toBe(realIds.length + 1);
      expect((await ids()).sort((a, b) => a - b)).toEqual([recent, otherInstallation, afterHole]);
      // Audit log and its chain, cases, messages, documents, submissions: not one row less.
      expect(await legalRecord()).toEqual(before);
      // The read model keeps what it had applied.
      expect((await rows(sql`select 1 from tasks where id = ${task.id} and state = 'open'`)).length).toBe(1);
      const supervisor = await t.login('supervisor@demo.local');
      const inbox = await t.app.inject({
        method: 'GET',
        url: '/api/tasks?view=all&limit=100',
        headers: supervisor,
      });
      expect(inbox.statusCode).toBe(200);
      expect(inbox.json<{ items: Array<{ id: string }> }>().items.map((i) => i.id)).toContain(task.id);

      // The hole fills; the consumer passes it and the later event; the next sweep takes both.
      releaseSlow();
      await slow;
      await remember([slowId]);
      await waitFor(async () => {
        await consumer.flush();
        return (await cursor()) >= slowId;
      });
      // Foreign holes between ours and afterHole would hold it again for the gap timeout (see above).
      if ((await cursor()) < afterHole) await setCursor(afterHole);
      const second = await sweepOnce(t.workersDb, engineSql, { taskEventRetentionMs: RETENTION_MS });
      expect(second?.taskEvents).toBe(2);
      expect((await ids()).sort((a, b) => a - b)).toEqual([recent, otherInstallation]);
    } finally {
      releaseSlow();
      await slow;
      const present = new Set(
        (
          await engineSql<Array<{ id: string }>>`
            select id from task_event_outbox where id = any(${[...snapshot.keys()]}::bigint[])`
        ).map((r) => Number(r.id)),
      );
      const gone = [...snapshot.values()].filter((r) => !present.has(Number(r.id)));
      if (gone.length) {
        await engineSql`insert into task_event_outbox ${engineSql(gone.map((r) => ({ ...r, created_at: new Date() })))}`;
        await engineSql`notify task_events`;
      }
    }
  });

  it("forgets registrations' Idempotency-Keys after a week; a newer key still answers its retry", async () => {
    const agent = await t.login('agent@demo.local');
    const register = (key: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/complaints',
        headers: { ...agent, 'idempotency-key': key },
        payload: {
          category: 'facturare',
          subject: 'Factură',
          body: 'Factura este prea mare.',
          contactName: 'Ion Pop',
          contactEmail: 'ion.pop@example.test',
        },
      });
    expect((await register('old-key-0001')).statusCode).toBe(201);
    expect((await register('new-key-0001')).statusCode).toBe(201);
    await t.db.execute(
      sql`update registration_keys set created_at = now() - interval '8 days' where key = 'old-key-0001'`,
    );
    const counts = await sweepOnce(t.workersDb, undefined);
    expect(counts?.registrationKeys).toBe(1);
    const left = await rows<{ key: string }>(sql`select key from registration_keys order by key`);
    expect(left.map((r) => r.key)).toEqual(['new-key-0001']);
    expect((await register('new-key-0001')).headers['idempotent-replayed']).toBe('true');
  });

  it('two sweepers at once: one sweeps, neither fails, every expired row goes once', async () => {
    await expiredStaffSessions(12_000);
    const second = createDb(t.databaseUrl, { max: 3 });
    const secondEngine = postgres(inject('engineDatabaseUrl'), { max: 1, onnotice: () => {} });
    try {
      const results = await Promise.all([
        sweepOnce(t.workersDb, engineSql, { taskEventRetentionMs: RETENTION_MS }),
        sweepOnce(second.db, secondEngine, { taskEventRetentionMs: RETENTION_MS }),
      ]);
      const swept = results.filter((r): r is SweepCounts => r !== null);
      expect(swept.length).toBeGreaterThanOrEqual(1);
      expect(swept.reduce((n, r) => n + r.staffSessions, 0)).toBe(12_000);
      expect(await countExpiredStaff()).toBe(0);

      // While another replica holds the lock, a sweep skips its round and deletes nothing.
      await expiredStaffSessions(3);
      const holder = await second.sql.reserve();
      try {
        await holder`select pg_advisory_lock(hashtext('housekeeping'), 0)`;
        expect(await sweepOnce(t.workersDb, engineSql)).toBeNull();
        expect(await countExpiredStaff()).toBe(3);
      } finally {
        await holder`select pg_advisory_unlock(hashtext('housekeeping'), 0)`;
        holder.release();
      }
      expect((await sweepOnce(t.workersDb, engineSql))?.staffSessions).toBe(3);
    } finally {
      await secondEngine.end();
      await second.sql.end();
    }
  });

  it('runs every interval on two replicas at once and stops cleanly', async () => {
    const second = createDb(t.databaseUrl, { max: 3 });
    const rounds: Array<SweepCounts | null | Error> = [];
    const opts = {
      intervalMs: 100,
      taskEventRetentionMs: RETENTION_MS,
      onRound: (r: SweepCounts | null | Error) => rounds.push(r),
    };
    const logged: object[] = [];
    const log = { info: (o: object) => logged.push(o), warn: (o: object) => logged.push(o) };
    const a = startHousekeeping(t.workersDb, inject('engineDatabaseUrl'), log, opts);
    const b = startHousekeeping(second.db, inject('engineDatabaseUrl'), log, opts);
    try {
      await expiredStaffSessions(10);
      await waitFor(async () => (await countExpiredStaff()) === 0, { timeoutMs: 10_000, stepMs: 50 });
      await waitFor(async () => rounds.length >= 6, { timeoutMs: 10_000, stepMs: 50 });
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await second.sql.end();
    }
    expect(rounds.filter((r) => r instanceof Error)).toEqual([]);
    // Counts only: nothing in the log names a person, a session or an address.
    for (const entry of logged)
      expect(Object.keys(entry).sort()).toEqual(
        [
          'abandonedUploadParts',
          'consumerSessions',
          'registrationKeys',
          'loginCodes',
          'ms',
          'staffLoginFailures',
          'staffSessions',
          'taskEvents',
        ].sort(),
      );
    // Stopped means no further round: four intervals (100 ms each) pass without one.
    const n = rounds.length;
    await holdsFor(() => rounds.length === n, 400, { what: 'no round after stop' });
    expect(rounds.length).toBe(n);
  });
});

describe('housekeeping settings', () => {
  it('sweeps every 15 minutes and keeps task events 7 days unless told otherwise', () => {
    expect(housekeepingSettings(loadConfig({}))).toEqual({
      intervalMs: 15 * 60_000,
      taskEventRetentionMs: 7 * DAY_MS,
    });
    expect(
      housekeepingSettings(
        loadConfig({ HOUSEKEEPING_INTERVAL_MINUTES: '5', TASK_EVENT_RETENTION_DAYS: '30' }),
      ),
    ).toEqual({ intervalMs: 5 * 60_000, taskEventRetentionMs: 30 * DAY_MS });
  });

  it('refuses a retention of zero days (events the consumer may still be waiting for)', () => {
    expect(() => loadConfig({ TASK_EVENT_RETENTION_DAYS: '0' })).toThrow(
      'TASK_EVENT_RETENTION_DAYS must be a positive integer, got "0"',
    );
  });
});
