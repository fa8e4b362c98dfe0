/**
 * `npm run test:chaos`: the cluster (2 engine nodes, 2 API, 2 worker and 2 intake processes behind HAProxy, each
 * supervised) under a steady mixed load, while `kill -9` hits a random process at random moments. Then, once the
 * system has caught up, what must hold:
 *   - every registration that got a 2xx is exactly one case with exactly one process instance;
 *   - every e-mail sent is exactly one case;
 *   - every task an officer completed (2xx) was completed once (one completion record, one audit entry, ended in
 *     the engine);
 *   - every letter (e-mail to the consumer) was sent once: one Message-ID per case and kind; a copy of a message the
 *     mail server took just before a kill (sent again with its Message-ID) is reported apart as a redelivery;
 *   - no incident is left in the engine, and the audit chain verifies.
 * It prints `chaos: kills K, requests N, lost L, doubled D` (and the recovery times), writes the figures to
 * bench/results/, and exits 0 only when K >= 30, L = 0, D = 0 and every check held.
 *
 * What it mocks: nothing. The consumers (HTTP clients, mail senders, officers) are scripts; the mail server is
 * not killed (it stands for the outside world's mail system).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import postgres from 'postgres';
import { verifyCommand } from '../../server/audit/verify-audit-chain.ts';
import { REPO_ROOT } from '../../server/embedded/engine-process.ts';
import { startCluster, type Cluster } from '../../scripts/cluster/start-cluster.ts';
import { workNextTask, type ApiCaller } from '../helpers/tasks.ts';
import { pace, waitFor } from '../helpers/wait.ts';

const LOAD_SECONDS = Number(process.env.CHAOS_SECONDS ?? 120);
const MIN_KILLS = 30;
const MAX_SECONDS = Number(process.env.CHAOS_MAX_SECONDS ?? 420);
const PORT = Number(process.env.CHAOS_PORT ?? 8600);
const RECIPIENTS = 4; // consumer mailboxes the letters go to (read back at the end)

const log = (line: string) => console.log(`  ${new Date().toISOString().slice(11, 19)} ${line}`);

interface Figures {
  registrations: {
    sent: number;
    requests: number;
    ok: Array<{ key: string; number: string }>;
    retried: number;
    failed: number;
  };
  emails: { sent: string[] };
  completions: { ok: string[]; failed: number };
  kills: Array<{ at: number; name: string }>;
}

async function http(
  cluster: Cluster,
  method: string,
  url: string,
  auth: string | null,
  body?: unknown,
  extra: Record<string, string> = {},
) {
  const res = await fetch(`${cluster.url}${url}`, {
    method,
    headers: {
      ...extra,
      ...(auth ? { authorization: auth } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { status: res.status, json: () => JSON.parse(text) as Record<string, unknown>, text };
}

async function login(cluster: Cluster, email: string): Promise<string> {
  return waitFor(
    async () => {
      const r = await http(cluster, 'POST', '/api/auth/login', null, { email, password: 'Demo-2026!' });
      return r.status === 200 ? `Bearer ${String(r.json().token)}` : null;
    },
    { timeoutMs: 60_000, stepMs: 500, what: `a login as ${email}` },
  );
}

/**
 * Registrations through the balancer, as a call-center agent: each with an Idempotency-Key, retried with the same
 * key until it is answered 2xx (a killed API process, a balancer's 502), as a careful client does.
 */
async function registrations(cluster: Cluster, f: Figures, until: () => boolean, client: number) {
  let agent = await login(cluster, 'agent@demo.local');
  for (let i = 0; !until(); i++) {
    f.registrations.sent++;
    const key = `chaos-${client}-${i}-${randomBytes(6).toString('hex')}`;
    const payload = {
      category: 'facturare',
      subject: `Chaos ${client}-${i}: factura prea mare`,
      body: 'Factura din noiembrie este mai mare decât consumul meu obișnuit.',
      contactName: `Client chaos ${client}-${i}`,
      contactEmail: `chaos-${(client + i) % RECIPIENTS}@example.test`,
    };
    for (let attempt = 1; ; attempt++) {
      f.registrations.requests++;
      const r = await http(cluster, 'POST', '/api/complaints', agent, payload, {
        'idempotency-key': key,
      }).catch(() => null);
      if (r?.status === 201) {
        f.registrations.ok.push({ key, number: String(r.json().number) });
        if (attempt > 1) f.registrations.retried++;
        break;
      }
      if (r?.status === 401) agent = await login(cluster, 'agent@demo.local');
      if (attempt >= 30) {
        f.registrations.failed++;
        break;
      }
      await pace(Math.min(200 * attempt, 2_000));
    }
  }
}

/** E-mails to the tenant's complaint address, through the mail server (not killed: the outside world). */
async function emails(cluster: Cluster, f: Figures, until: () => boolean) {
  const transport = nodemailer.createTransport(cluster.smtpUrl);
  try {
    for (let i = 0; !until(); i++) {
      const messageId = `<chaos-${i}-${randomBytes(4).toString('hex')}@example.test>`;
      const from = `chaos-${i % RECIPIENTS}@example.test`;
      await transport.sendMail({
        envelope: { from, to: ['demo@reclamatii.local'] },
        raw: [
          `From: Client chaos ${i} <${from}>`,
          'To: demo@reclamatii.local',
          `Subject: Reclamatie chaos ${i}`,
          `Message-ID: ${messageId}`,
          `Date: ${new Date().toUTCString()}`,
          'Content-Type: text/plain; charset=utf-8',
          '',
          `Bună ziua, factura ${i} pentru locul de consum RO005E512345678 este prea mare.`,
          '',
        ].join('\r\n'),
      });
      f.emails.sent.push(messageId);
      await pace(700);
    }
  } finally {
    transport.close();
  }
}

/** An officer of the registry working the e-mail checks and identifications from the inbox: claim, then complete. */
async function officer(cluster: Cluster, f: Figures, until: () => boolean) {
  const api: ApiCaller = {
    app: {
      async inject({ method, url, headers, payload }) {
        const r = await http(cluster, method, url, headers.authorization, payload).catch(() => null);
        return r
          ? { statusCode: r.status, body: r.text, json: <T>() => r.json() as T }
          : { statusCode: 0, body: '', json: <T>() => ({}) as T };
      },
    },
  };
  let headers = { authorization: await login(cluster, 'registry@demo.local') };
  while (!until()) {
    const worked = await workNextTask(
      api,
      headers,
      // The registry's two steps of an e-mail complaint (IL-01, IL-05), oldest first as the inbox sorts them.
      ['checkEmail', 'identify'],
      { comment: 'Mesaj verificat (test de rezistență).' },
      'channel=email',
    );
    if (!worked) {
      // Nothing to do yet; or the inbox refused the session: log in again.
      const probe = await http(
        cluster,
        'GET',
        '/api/tasks?scope=groups&pageSize=1',
        headers.authorization,
      ).catch(() => null);
      if (probe?.status === 401) headers = { authorization: await login(cluster, 'registry@demo.local') };
      await pace(500);
    } else if (worked.outcome === 'completed') f.completions.ok.push(worked.taskId);
    else f.completions.failed++;
  }
}

/**
 * kill -9 to a random process every 3 to 7 s: any engine node, API, worker or intake process that is up, but not
 * the last one up of its kind, so the test is of failover and recovery (one of each kind down at a time), not of
 * an outage of a whole kind, which would only show how long the clients wait.
 */
async function chaosMonkey(cluster: Cluster, f: Figures, until: () => boolean) {
  while (!until()) {
    await pace(randomInt(3_000, 7_000));
    const up = cluster.processes.filter((p) => p.ready() && p.pid());
    const candidates = up.filter((p) => up.some((o) => o !== p && o.kind === p.kind));
    if (!candidates.length) continue;
    const victim = candidates[randomInt(candidates.length)]!;
    const pid = victim.pid();
    if (!pid) continue;
    try {
      process.kill(pid, 'SIGKILL');
      f.kills.push({ at: Date.now(), name: victim.name });
      log(`kill -9 ${victim.name} (pid ${pid})`);
    } catch {
      // it ended by itself in between
    }
  }
}

/** Message-IDs delivered to the consumers' mailboxes, with how often each arrived. */
async function deliveries(cluster: Cluster): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  for (let i = 0; i < RECIPIENTS; i++) {
    const c = new ImapFlow({
      host: cluster.imap.host,
      port: cluster.imap.port,
      secure: false,
      auth: { user: `chaos-${i}@example.test`, pass: 'x' },
      logger: false,
    });
    await c.connect();
    try {
      const lock = await c.getMailboxLock('INBOX');
      try {
        for await (const m of c.fetch('1:*', { envelope: true })) {
          const id = m.envelope?.messageId;
          if (id) seen.set(id, (seen.get(id) ?? 0) + 1);
        }
      } finally {
        lock.release();
      }
    } catch {
      // an empty mailbox
    } finally {
      await c.logout().catch(() => c.close());
    }
  }
  return seen;
}

async function main() {
  // Reachable by the postgres user the embedded PostgreSQL runs as when we are root (mkdtemp makes it 0700).
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'reclamatii-chaos-'));
  chmodSync(dataDir, 0o755);
  const started = Date.now();
  log(`starting the cluster (data in ${dataDir})`);
  const cluster = await startCluster({ engines: 2, api: 2, workers: 2, intake: 2, port: PORT, dataDir, log });
  try {
    await run(cluster, dataDir, started);
  } finally {
    await cluster.stop();
    if (process.exitCode === 0) rmSync(dataDir, { recursive: true, force: true });
    else log(`kept ${dataDir} (logs in logs/) to look at`);
  }
}

async function run(cluster: Cluster, dataDir: string, started: number) {
  log(
    `cluster up after ${((Date.now() - started) / 1000).toFixed(0)} s; load and kills for ${LOAD_SECONDS} s at least, until ${MIN_KILLS} kills (at most ${MAX_SECONDS} s)`,
  );
  const f: Figures = {
    registrations: { sent: 0, requests: 0, ok: [], retried: 0, failed: 0 },
    emails: { sent: [] },
    completions: { ok: [], failed: 0 },
    kills: [],
  };
  // At least LOAD_SECONDS, and on until MIN_KILLS kills happened (bounded by MAX_SECONDS).
  const began = Date.now();
  let stoppedAt = 0;
  const until = () => {
    if (stoppedAt) return true;
    const elapsed = (Date.now() - began) / 1000;
    if ((elapsed >= LOAD_SECONDS && f.kills.length >= MIN_KILLS) || elapsed >= MAX_SECONDS)
      stoppedAt = Date.now();
    return stoppedAt !== 0;
  };
  await Promise.all([
    registrations(cluster, f, until, 0),
    registrations(cluster, f, until, 1),
    emails(cluster, f, until),
    officer(cluster, f, until),
    chaosMonkey(cluster, f, until),
  ]);
  log('load stopped; waiting for every process to be back and the system to catch up');
  await Promise.all(cluster.processes.map((p) => p.whenReady(300_000)));

  const db = postgres(cluster.databaseUrl, { max: 2, onnotice: () => {} });
  const engineDb = postgres(cluster.engineDatabaseUrl, { max: 2, onnotice: () => {} });
  const problems: string[] = [];
  let lost = 0;
  let doubled = 0;
  try {
    // Caught up: every case started its process, every e-mail is registered, every completion reached the engine.
    const caughtUp = async () => {
      const [r] = await db<
        Array<{ unstarted: number; emails: number; pending: number }>
      >`select (select count(*)::int from cases where process_instance_id is null and status <> 'annulled') as unstarted,
               (select count(*)::int from inbound_messages where message_id = any(${f.emails.sent}) and case_id is not null) as emails,
               (select count(*)::int from task_completions where engine_completed_at is null) as pending`;
      return r!.unstarted === 0 && r!.emails >= f.emails.sent.length && r!.pending === 0;
    };
    await waitFor(caughtUp, { timeoutMs: 180_000, stepMs: 1_000, what: 'the system to catch up' }).catch(
      (err: unknown) => problems.push((err as Error).message),
    );
    const settled = Date.now();

    // Registrations with a 2xx: one case each, with one process instance.
    const cases = await db<Array<{ number: string; pi: string | null }>>`
      select number, process_instance_id as pi from cases where number = any(${f.registrations.ok.map((r) => r.number)})`;
    const instances = await engineDb<Array<{ key: string; n: number }>>`
      select business_key_ as key, count(*)::int as n from act_hi_procinst
      where proc_def_key_ = 'complaint' and super_process_instance_id_ is null group by business_key_`;
    const perKey = new Map(instances.map((r) => [r.key, r.n]));
    const regLost = f.registrations.ok
      .map((r) => r.number)
      .filter((n) => !cases.some((c) => c.number === n && c.pi));
    // One case per key: the retries of a registration never made a second one.
    const keys = await db<Array<{ key: string; n: number }>>`
      select k.key, count(*)::int as n from registration_keys k where k.key = any(${f.registrations.ok.map((r) => r.key)})
      group by k.key`;
    const keyless = f.registrations.ok.length - keys.length;
    if (keyless) problems.push(`${keyless} answered registrations without their key recorded`);
    lost += keyless;
    lost += regLost.length;
    if (regLost.length)
      problems.push(`registrations without a case or instance: ${regLost.slice(0, 5).join(', ')}`);
    const doubleStarts = [...perKey].filter(([, n]) => n > 1);
    doubled += doubleStarts.length;
    if (doubleStarts.length)
      problems.push(`cases with more than one instance: ${doubleStarts.slice(0, 5).join(' ')}`);
    const allCases = await db<Array<{ n: number; with: number }>>`
      select count(*)::int as n, count(process_instance_id)::int as with from cases where status <> 'annulled'`;

    // E-mails: each Message-ID one registered message, one case.
    const mails = await db<Array<{ id: string; n: number; cases: number }>>`
      select message_id as id, count(*)::int as n, count(distinct case_id)::int as cases from inbound_messages
      where message_id = any(${f.emails.sent}) group by message_id`;
    const mailLost = f.emails.sent.length - mails.filter((m) => m.cases === 1).length;
    const mailDoubled = mails.filter((m) => m.n > 1 || m.cases > 1).length;
    lost += mailLost;
    doubled += mailDoubled;
    if (mailLost) problems.push(`${mailLost} e-mails without a case`);
    if (mailDoubled) problems.push(`${mailDoubled} e-mails registered more than once`);

    // Completions: one record, one audit entry, ended in the engine.
    const completions = await db<Array<{ task: string; audits: number }>>`
      select c.task_id as task,
        (select count(*)::int from audit_log a where a.action = 'task.completed' and a.details->>'taskId' = c.task_id) as audits
      from task_completions c where c.task_id = any(${f.completions.ok})`;
    const ended = await engineDb<Array<{ id: string }>>`
      select id_ as id from act_hi_taskinst where id_ = any(${f.completions.ok}) and end_time_ is not null`;
    const completionLost = f.completions.ok.length - Math.min(completions.length, ended.length);
    const completionDoubled = completions.filter((c) => c.audits !== 1).length;
    lost += completionLost;
    doubled += completionDoubled;
    if (completionLost)
      problems.push(`${completionLost} completed tasks not recorded or not ended in the engine`);
    if (completionDoubled) problems.push(`${completionDoubled} tasks with more than one completion record`);

    // Letters: one outgoing message per case and kind (the table's key: one Message-ID each). A letter whose
    // Message-ID reached the mailbox twice was sent again after a kill between the mail server's 250 and our
    // commit: SMTP has no exactly-once, the copy is the same message (receivers that keep one per Message-ID, as
    // Gmail does, show one), so it is counted apart from the letters doubled, which would be two Message-IDs.
    const received = await deliveries(cluster);
    const redelivered = [...received].filter(([, n]) => n > 1).length;
    const twoLetters = await db<Array<{ n: number }>>`
      select count(*)::int as n from (
        select case_id, kind from case_messages where direction = 'out' group by case_id, kind having count(*) > 1) d`;
    doubled += twoLetters[0]!.n;
    if (twoLetters[0]!.n) problems.push(`${twoLetters[0]!.n} letters sent twice under two Message-IDs`);
    const letters = await db<Array<{ n: number }>>`
      select count(*)::int as n from case_messages where direction = 'out' and to_address like 'chaos-%@example.test'`;

    // Incidents, and the audit chain.
    const [incidents] = await engineDb<Array<{ n: number }>>`select count(*)::int as n from act_ru_incident`;
    if (incidents!.n) problems.push(`${incidents!.n} incidents left in the engine`);
    const audit = await verifyCommand(['--seal'], {
      ...process.env,
      DATABASE_URL: cluster.databaseUrl,
      APP_SECRET: cluster.secret,
      DATA_DIR: path.join(dataDir, 'processes', 'workers-1'),
    });
    if (!audit.ok) problems.push(`audit chain: ${audit.lines.join('; ')}`);

    const recoveries = cluster.processes
      .flatMap((p) => p.recoveries)
      .filter((r) => r.readyAt)
      .map((r) => r.readyAt! - r.endedAt)
      .sort((a, b) => a - b);
    const p95 = recoveries.length
      ? recoveries[Math.min(recoveries.length - 1, Math.floor(recoveries.length * 0.95))]!
      : 0;
    const byKind = new Map<string, number>();
    for (const k of f.kills) {
      const kind = k.name.replace(/-\d+$/, '');
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    }
    const requests =
      f.registrations.requests + f.emails.sent.length + f.completions.ok.length + f.completions.failed;

    // Then a rolling restart of every API and worker process, one at a time, under load: no request may fail.
    log('rolling restart of the API and worker processes under load');
    const rolling = await rollingRestartUnderLoad(cluster);
    if (rolling.failed)
      problems.push(`rolling restart: ${rolling.failed} failed requests (${rolling.failures.join(', ')})`);
    const result = {
      at: new Date().toISOString(),
      loadSeconds: LOAD_SECONDS,
      kills: f.kills.length,
      killsByKind: Object.fromEntries(byKind),
      requests,
      registrations: {
        sent: f.registrations.sent,
        requests: f.registrations.requests,
        ok: f.registrations.ok.length,
        retried: f.registrations.retried,
        failed: f.registrations.failed,
      },
      emails: f.emails.sent.length,
      completions: { ok: f.completions.ok.length, failed: f.completions.failed },
      cases: allCases[0],
      letters: letters[0]!.n,
      lettersDelivered: received.size,
      lettersRedelivered: redelivered,
      incidents: incidents!.n,
      auditChain: audit.lines,
      lost,
      doubled,
      recoveryMs: { count: recoveries.length, p50: recoveries[Math.floor(recoveries.length / 2)] ?? 0, p95 },
      loadRanSeconds: Math.round((stoppedAt - began) / 1000),
      settleSeconds: Math.round((settled - stoppedAt) / 1000),
      rollingRestart: {
        processes: rolling.processes,
        requests: rolling.requests,
        failed: rolling.failed,
        seconds: rolling.seconds,
      },
      problems,
    };
    mkdirSync(path.join(REPO_ROOT, 'bench', 'results'), { recursive: true });
    const file = path.join(REPO_ROOT, 'bench', 'results', `chaos-${result.at.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
    console.log(
      [
        '',
        `  registrations: ${f.registrations.sent} (${f.registrations.requests} requests), ${f.registrations.ok.length} answered 2xx, ${f.registrations.retried} of them after a retry with their key, ${f.registrations.failed} given up`,
        `  e-mails: ${f.emails.sent.length} sent; task completions: ${f.completions.ok.length} answered 2xx, ${f.completions.failed} failed`,
        `  cases: ${allCases[0]!.n}, all with one process instance: ${allCases[0]!.with === allCases[0]!.n ? 'yes' : 'no'}; letters: ${letters[0]!.n} recorded, ${received.size} delivered, ${redelivered} of them twice (same Message-ID)`,
        `  kills by kind: ${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')}; recovery (kill to ready) p50 ${result.recoveryMs.p50} ms, p95 ${p95} ms`,
        `  caught up ${result.settleSeconds} s after the load stopped; incidents ${incidents!.n}; audit chain: ${audit.ok ? 'verifies' : 'BROKEN'}`,
        `  rolling restart: ${rolling.processes} processes one at a time in ${rolling.seconds} s under load; requests ${rolling.requests}, failed ${rolling.failed}`,
        ...problems.map((p) => `  problem: ${p}`),
        `  figures written to ${path.relative(REPO_ROOT, file)}`,
        `chaos: kills ${f.kills.length}, requests ${requests}, lost ${lost}, doubled ${doubled}`,
      ].join('\n'),
    );
    process.exitCode =
      f.kills.length >= MIN_KILLS && lost === 0 && doubled === 0 && problems.length === 0 ? 0 : 1;
  } finally {
    await db.end({ timeout: 2 });
    await engineDb.end({ timeout: 2 });
  }
}

/**
 * Restarts the API and worker processes one at a time (each drains first: /readyz fails, the balancer takes it
 * out, it finishes what is in flight) while two clients register complaints and read the inbox without retrying:
 * every request must succeed.
 */
async function rollingRestartUnderLoad(cluster: Cluster) {
  let done = false;
  let requests = 0;
  const failures: string[] = [];
  const client = async (n: number) => {
    const agent = await login(cluster, 'agent@demo.local');
    for (let i = 0; !done; i++) {
      requests += 2;
      const r = await http(cluster, 'POST', '/api/complaints', agent, {
        category: 'facturare',
        subject: `Repornire ${n}-${i}`,
        body: 'Factura din noiembrie este prea mare.',
        contactName: `Client repornire ${n}-${i}`,
        contactEmail: `chaos-${n}@example.test`,
      }).catch((err: unknown) => ({ status: 0, text: (err as Error).message }));
      if (r.status !== 201) failures.push(`POST ${r.status}`);
      const inbox = await http(cluster, 'GET', '/api/tasks?scope=groups&pageSize=5', agent).catch(
        (err: unknown) => ({ status: 0, text: (err as Error).message }),
      );
      if (inbox.status !== 200) failures.push(`GET ${inbox.status}`);
    }
  };
  const started = Date.now();
  const clients = [client(0), client(1)];
  try {
    await cluster.rollingRestart();
  } finally {
    done = true;
    await Promise.all(clients);
  }
  return {
    processes: cluster.processes.filter((p) => p.kind === 'api' || p.kind === 'workers').length,
    requests,
    failed: failures.length,
    failures: failures.slice(0, 10),
    seconds: Math.round((Date.now() - started) / 1000),
  };
}

main().catch((err: unknown) => {
  console.error(`chaos test failed to run: ${(err as Error).stack ?? err}`);
  process.exit(1);
});
