import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, staffPage } from '../helpers/browser.ts';
import { waitFor } from '../helpers/wait.ts';
import {
  clonePorts,
  listenerPid,
  makeClone,
  npmStart,
  readmeShellBlocks,
  removeClone,
  REPO,
  runBlock,
  stopGroup,
  type Running,
} from './system.ts';

const ports = await clonePorts();
const BASE = `http://localhost:${ports.PORT}`;
/** The README's screenshots, made by this walk through its tour. */
const SHOTS = path.join(REPO, 'docs', 'screenshots');

/**
 * The first hour of a newcomer, on this machine as CI runs it (as root): the committed tree in a mode-700 folder
 * whose path has a space, `npm start` with nothing but Node and a JDK (embedded PostgreSQL, engine, mail server),
 * the README's tour walked in a real browser (its shell blocks run as written, ports moved), a kill -9 and two
 * more starts on the same data.
 */
describe('a fresh clone in a mode-700 folder', () => {
  let clone: { root: string; dir: string };
  let run: Running | undefined;
  let browser: Browser;
  const blocksRun = new Set<string>();
  const blocks = readmeShellBlocks();
  const block = (needle: string) => {
    const b = blocks.find((x) => x.includes(needle));
    if (!b) throw new Error(`README has no shell block with "${needle}"`);
    return b;
  };
  const runReadme = (needle: string) => {
    const b = block(needle);
    const r = runBlock(clone.dir, ports, b);
    expect(r.status, `README block failed:\n${b}\n---\n${r.output}`).toBe(0);
    blocksRun.add(b);
    return r.output;
  };

  async function api<T>(method: string, url: string, token?: string, body?: unknown): Promise<T> {
    const res = await fetch(`${BASE}${url}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }
  const login = async (email: string) =>
    (await api<{ token: string }>('POST', '/api/auth/login', undefined, { email, password: 'Demo-2026!' }))
      .token;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    clone = makeClone();
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    if (run) await stopGroup(run);
    if (clone) removeClone(clone.root, clone.dir);
  }, 120_000);

  it('npm start comes up and says what it does, one line per component', { timeout: 600_000 }, async () => {
    // Each test starts the system unless an earlier one left it running (the tests run in any order).
    run ??= await npmStart(clone.dir, ports);
    const out = run.output();
    console.log(
      out
        .split('\n')
        .filter((l) => !l.startsWith('{'))
        .join('\n'),
    );
    for (const component of [
      'PostgreSQL 16, embedded',
      'engine build',
      'process engine, Operaton',
      'mail server',
      'database migrations',
      'demo',
      'web pages and API',
    ])
      expect(out, out).toMatch(new RegExp(`✓ ${component}.* \\d+(\\.\\d)? m?s\\n`));
    if (process.getuid?.() === 0)
      expect(out).toContain('PostgreSQL runs as the postgres user, which cannot reach');
    expect(out).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace
  });

  it(
    'the README tour: the e-mail becomes a case whose first task is in registry@demo.local’s inbox',
    { timeout: 600_000 },
    async () => {
      run ??= await npmStart(clone.dir, ports);
      runReadme('smtp://127.0.0.1:2525');
      const registry = await login('registry@demo.local');
      type Task = { id: string; name: string; case: { number: string; subject: string } | null };
      const first = await waitFor(
        async () =>
          (await api<{ items: Task[] }>('GET', '/api/tasks?scope=groups&pageSize=100', registry)).items.find(
            (t) => t.case?.subject === 'Factura din octombrie',
          ),
        60_000,
      );
      expect(first.name).toBe('Verificarea înregistrării primite pe e-mail');
      const number = first.case!.number;

      // The walk the README describes, step by step, in the browser; its screenshots are the README's.
      const open = async (page: Page, taskName: string) => {
        await waitFor(
          async () => {
            await page.goto(`${BASE}/inbox?scope=groups`);
            const row = page.getByRole('row').filter({ hasText: number }).filter({ hasText: taskName });
            if ((await row.count()) === 0) return false;
            await row.first().getByRole('link', { name: taskName }).click();
            await page.waitForURL(/\/inbox\/tasks\//);
            return true;
          },
          { timeoutMs: 60_000, stepMs: 500 },
        );
      };
      const finish = async (page: Page, fill: () => Promise<void>, shot?: string) => {
        await page.getByRole('button', { name: 'Preiau sarcina' }).click();
        await page.getByRole('button', { name: 'Finalizez sarcina' }).waitFor();
        await fill();
        if (shot) await page.screenshot({ path: path.join(SHOTS, shot), fullPage: true });
        await page.getByRole('button', { name: 'Finalizez sarcina' }).click();
        await page.waitForURL(/\/inbox(\?|$)/);
      };
      const violations: Record<string, string[]> = {};

      const reg = await staffPage(browser, BASE, 'registry@demo.local');
      await reg.goto(`${BASE}/inbox?scope=groups`);
      await reg.screenshot({ path: path.join(SHOTS, '1-registry-inbox.png'), fullPage: true });
      violations.inbox = await axeViolations(reg);
      await open(reg, 'Verificarea înregistrării primite pe e-mail');
      await finish(
        reg,
        () =>
          reg.getByLabel('Notă').fill('Reclamație privind factura; locul de consum identificat după POD.'),
        '2-registry-email-task.png',
      );

      const officer = await staffPage(browser, BASE, 'officer@demo.local');
      await open(officer, 'Clasificarea și admisibilitatea reclamației');
      await finish(officer, async () => {
        await officer.getByLabel('Admisibilă — se analizează').check();
      });
      await open(officer, 'Verificarea facturii contestate');
      await finish(officer, async () => {
        await officer
          .getByLabel('Rezultatul verificării')
          .fill('Consumul a fost estimat; indexul real este mai mic.');
        await officer.getByLabel('Prețul aplicat').check();
      });
      await open(officer, 'Analiza reclamației și nota de constatare');
      await finish(officer, () =>
        officer
          .getByLabel('Constatări (nota de constatare)')
          .fill('Factura din octombrie a fost emisă pe index estimat.'),
      );
      await open(officer, 'Redactarea răspunsului către client');
      await finish(
        officer,
        () =>
          officer
            .getByLabel('Răspunsul către client')
            .fill(
              'Am refăcut factura din octombrie pe indexul real; diferența se scade din factura următoare.',
            ),
        '3-officer-answer.png',
      );

      const supervisor = await staffPage(browser, BASE, 'supervisor@demo.local');
      await open(supervisor, 'Aprobarea răspunsului');
      await finish(supervisor, () => supervisor.getByLabel('Aprob').check(), '4-supervisor-approval.png');

      // The consumer's mailbox, as the README reads it: the acknowledgement and the answer.
      const mail = await waitFor(
        async () => {
          const out = runReadme('npm run mail');
          return out.includes(`Răspuns la reclamația nr. ${number}`) ? out : null;
        },
        { timeoutMs: 60_000, stepMs: 1000 },
      );
      expect(mail).toContain(`a fost înregistrată cu nr. ${number}`);

      await supervisor.goto(`${BASE}/supervisor`);
      await supervisor.screenshot({ path: path.join(SHOTS, '5-supervisor-view.png'), fullPage: true });
      violations.supervisor = await axeViolations(supervisor);
      const designer = await staffPage(browser, BASE, 'designer@demo.local');
      await designer.goto(`${BASE}/designer`);
      await designer.getByRole('link', { name: 'Editează v1 Soluționarea reclamației' }).click();
      await designer.locator('[data-element-id="triage"]').waitFor();
      // The heatmap: the demo's cases wait in several activities of the complaint process.
      await expect
        .poll(() => designer.locator('.designer-badge.waiting').count(), { timeout: 30_000 })
        .toBeGreaterThan(1);
      await designer.screenshot({ path: path.join(SHOTS, '6-designer-heatmap.png'), fullPage: true });
      expect(violations).toEqual({ inbox: [], supervisor: [] });

      // Every other shell block runs as written; not the ones that start a system and stay (npm start, the
      // cluster) or run a suite (npm test, the chaos test, which CI runs after npm test on the cluster's code).
      for (const b of blocks)
        if (!/^npm (ci|test|run (cluster|test:chaos))\b/m.test(b) && !blocksRun.has(b))
          runReadme(b.split('\n')[0]!.slice(0, 40));
    },
  );

  it(
    'after a kill -9 of the app, npm start comes up again on the same data, twice',
    { timeout: 600_000 },
    async () => {
      run ??= await npmStart(clone.dir, ports);
      // A complaint registered just before the crash must be there after it.
      const subject = `Inainte de kill ${Date.now()}`;
      const sent = runBlock(
        clone.dir,
        ports,
        `printf 'From: Ion Pop <ion.pop@example.test>\\r\\nTo: demo@reclamatii.local\\r\\nSubject: ${subject}\\r\\n\\r\\nContorul RO005E512345678 nu a fost citit.\\r\\n' | curl -sS smtp://127.0.0.1:2525 --mail-from ion.pop@example.test --mail-rcpt demo@reclamatii.local -T -`,
      );
      expect(sent.status, sent.output).toBe(0);
      const find = async () => {
        const officer = await login('officer@demo.local');
        const r = await api<{ items: Array<{ number: string; subject: string }> }>(
          'GET',
          `/api/complaints?q=${encodeURIComponent(subject)}`,
          officer,
        );
        return r.items.find((c) => c.subject === subject);
      };
      const before = await waitFor(find, { timeoutMs: 60_000, stepMs: 500 });

      const pid = listenerPid(ports.PORT);
      expect(pid).not.toBeNull();
      process.kill(pid!, 'SIGKILL');
      await run.exited;
      run = undefined;
      for (let i = 0; i < 2; i++) {
        run = await npmStart(clone.dir, ports);
        expect(run.output()).not.toContain('initialising the database cluster');
        expect((await find())?.number).toBe(before.number);
        if (i === 0) {
          // A second npm start on the same folder says the system is running and leaves it alone (it used to take
          // the running PostgreSQL for a leftover and stop it).
          const second = await npmStart(clone.dir, ports, 120_000).then(
            () => 'came up',
            (err: Error) => err.message,
          );
          expect(second).toContain('The system is already running from');
          expect((await find())?.number).toBe(before.number);
        }
        await stopGroup(run);
        run = undefined;
        // Ctrl-C stops everything npm start started: nothing listens on its ports any more.
        expect(
          [ports.EMBEDDED_PG_PORT, ports.EMBEDDED_ENGINE_PORT, ports.EMBEDDED_SMTP_PORT, ports.PORT].map(
            listenerPid,
          ),
        ).toEqual([null, null, null, null]);
      }
    },
  );
});
