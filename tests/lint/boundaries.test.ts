/**
 * The boundaries of design.md are checked by `npm run lint` (issue 14 item 1): dependency-cruiser with
 * .dependency-cruiser.cjs, eslint's rules against fetch outside server/engine and against an EngineClient built
 * outside the composition roots, against SQL as text, and the table-owner check. This file proves each check fails
 * on the mistake it exists for, on small fixture files: a route or a script that imports a repository (the health
 * module's too), a module that imports another module's repository, a file outside server/engine that calls the
 * engine (a fetch in server/, server/codes included, the pages or the scripts, under any name; the fetch SvelteKit
 * hands a load function; node's own HTTP client) or imports its transport, a second engine client, a service or a
 * script that builds a query, SQL passed as text or through sql.raw, two modules that import each other, the
 * composition (main.ts, app.ts, background/) reaching past a module's index.ts, a page that imports server code, a
 * folder under server/ the rules do not name, and a write to another module's table. The fixtures live in a temporary folder under .data/ (ignored by git), laid out like the
 * repository so the rules' paths apply, and are removed at the end.
 */
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRepository, tableOwnerProblems } from '../../scripts/check-table-owners.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** The fixture tree: each file as it would sit in the repository. */
const FIXTURES: Record<string, string> = {
  // Two modules, each with a public face, a service and a repository.
  'server/alpha/index.ts': "export { alphaService } from './alpha.service.ts';\n",
  'server/alpha/alpha.service.ts': "export const alphaService = () => 'alpha';\n",
  'server/alpha/alpha.repo.ts':
    "import { sql } from 'drizzle-orm';\nexport const alphaRows = () => sql`select 1`;\n",
  'server/beta/index.ts': "export { betaService } from './beta.service.ts';\n",
  'server/beta/beta.service.ts': "export const betaService = () => 'beta';\n",
  // A route that imports a repository instead of the module's index.
  'server/routes/api/things/index.ts':
    "import { alphaRows } from '../../../alpha/alpha.repo.ts';\nexport default alphaRows;\n",
  // A module that imports another module's repository.
  'server/beta/uses-alpha.ts':
    "import { alphaRows } from '../alpha/alpha.repo.ts';\nexport const viaRepo = alphaRows;\n",
  // A service that builds a query itself.
  'server/beta/query.service.ts':
    "import { sql } from 'drizzle-orm';\nexport const own = () => sql`select 2`;\n",
  // A worker that talks to the engine with its own external-task client.
  'server/workers/rogue.worker.ts':
    "import { Client } from 'camunda-external-task-client-js';\nexport const rogue = Client;\n",
  // A route that reaches into the engine door instead of a service.
  'server/engine/client.ts': 'export class EngineClient {}\n',
  'server/routes/api/engine-direct/index.ts':
    "import { EngineClient } from '../../../engine/client.ts';\nexport default EngineClient;\n",
  // A module that takes the engine's transport (credentials, any REST path) instead of the client's typed calls.
  'server/engine/transport.ts': 'export class EngineTransport {}\n',
  'server/beta/raw-engine.ts':
    "import { EngineTransport } from '../engine/transport.ts';\nexport const raw = EngineTransport;\n",
  // A script that imports a repository instead of the module's index.
  'scripts/rogue-script.ts':
    "import { alphaRows } from '../server/alpha/alpha.repo.ts';\nexport const rows = alphaRows;\n",
  // Two modules that import each other.
  'server/gamma/index.ts': "export { gamma } from './gamma.service.ts';\n",
  'server/gamma/gamma.service.ts':
    "import { delta } from '../delta/index.ts';\nexport const gamma = () => delta;\n",
  'server/delta/index.ts': "export { delta } from './delta.service.ts';\n",
  'server/delta/delta.service.ts':
    "import { gamma } from '../gamma/index.ts';\nexport const delta = () => gamma;\n",
  // A page that imports server code instead of calling the API.
  'web/src/routes/page-fixture/+page.server.ts':
    "import { alphaService } from '../../../../server/alpha/index.ts';\nexport const load = () => alphaService();\n",
  // The health module (a real one: its name is in DOMAIN_MODULES) and a route that skips its index.
  'server/health/index.ts': "export { createReadiness } from './readiness.ts';\n",
  'server/health/readiness.ts':
    "import { pingDatabase } from './health.repo.ts';\nexport const createReadiness = () => pingDatabase;\n",
  'server/health/health.repo.ts':
    "import { sql } from 'drizzle-orm';\nexport const pingDatabase = () => sql`select 1`;\n",
  'server/routes/api/health-direct/index.ts':
    "import { pingDatabase } from '../../../health/health.repo.ts';\nexport default pingDatabase;\n",
  // Node's own HTTP client, from a module and from a script: a second engine door without fetch.
  'server/beta/http-client.ts': "import { request } from 'node:http';\nexport const call = request;\n",
  'scripts/rogue-https.ts': "import https from 'node:https';\nexport const call = https.get;\n",
  // A type from node:http runs nothing (server/app.ts names IncomingMessage): allowed.
  'server/beta/http-types.ts':
    "import type { IncomingMessage } from 'node:http';\nexport type Message = IncomingMessage;\n",
  // A script that builds a query itself, with drizzle and the schema's tables.
  'server/db/schema/index.ts': 'export const widgets = {};\n',
  // The composition reaching past a module's index: server/main.ts a repository, the background thread a service
  // file; server/app.ts through the index (allowed).
  'server/main.ts': "import { alphaRows } from './alpha/alpha.repo.ts';\nexport const rows = alphaRows;\n",
  'server/background/fixture-parts.ts':
    "import { alphaService } from '../alpha/alpha.service.ts';\nexport const start = alphaService;\n",
  'server/app.ts': "import { betaService } from './beta/index.ts';\nexport const build = betaService;\n",
  'scripts/rogue-query.ts':
    "import { sql } from 'drizzle-orm';\nimport { widgets } from '../server/db/schema/index.ts';\n" +
    'export const rows = () => sql`select * from ${widgets}`;\n',
};

/** The fixture modules are domain modules like the real ones: the same config, with their names added. */
function fixtureConfig(): string {
  return `const real = require(${JSON.stringify(path.join(root, '.dependency-cruiser.cjs'))});
const names = ['alpha', 'beta', 'gamma', 'delta'];
const widen = (p) => (typeof p === 'string' ? p.replace('(audit|', '(' + names.join('|') + '|audit|') : p);
const mapEnd = (end) => (end ? { ...end, path: Array.isArray(end.path) ? end.path.map(widen) : widen(end.path) } : end);
// node_modules is a symlink to the repository's: keep its path as the fixture sees it (node_modules/...), as in
// the repository, instead of the real path outside the fixture folder.
module.exports = {
  ...real,
  options: {
    ...real.options,
    preserveSymlinks: true,
    webpackConfig: { fileName: ${JSON.stringify(path.join(root, '.dependency-cruiser.aliases.cjs'))} },
  },
  forbidden: real.forbidden.map((r) => ({ ...r, from: mapEnd(r.from), to: mapEnd(r.to) })),
};
`;
}

describe('boundary checks of npm run lint', () => {
  let dir: string;
  let violations: Violation[];

  beforeAll(async () => {
    mkdirSync(path.join(root, '.data'), { recursive: true });
    dir = mkdtempSync(path.join(root, '.data', 'lint-fixtures-'));
    for (const [file, text] of Object.entries(FIXTURES)) {
      mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
    writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'NodeNext', allowImportingTsExtensions: true, noEmit: true },
      }),
    );
    writeFileSync(path.join(dir, 'depcruise.cjs'), fixtureConfig());
    const bin = path.join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
    // depcruise exits non-zero when it finds violations (that is what fails `npm run lint`): read its report anyway.
    const out = await run(
      process.execPath,
      [bin, 'server', 'web/src', 'scripts', '--config', 'depcruise.cjs', '--output-type', 'json'],
      {
        cwd: dir,
        maxBuffer: 64 * 1024 * 1024,
      },
    ).catch((err: { stdout?: string; code?: number }) => {
      expect(err.code, 'depcruise fails the lint on a violation').not.toBe(0);
      return { stdout: err.stdout ?? '' };
    });
    violations = (JSON.parse(out.stdout) as { summary: { violations: Violation[] } }).summary.violations;
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const found = (rule: string, from: string) =>
    violations.filter((v) => v.rule.name === rule && v.from === from).map((v) => v.to);

  it('fails when a route imports a repository', () => {
    expect(found('entry-points-use-module-index', 'server/routes/api/things/index.ts')).toEqual([
      'server/alpha/alpha.repo.ts',
    ]);
  });

  it("fails when a module imports another module's repository", () => {
    expect(found('modules-meet-through-index', 'server/beta/uses-alpha.ts')).toEqual([
      'server/alpha/alpha.repo.ts',
    ]);
  });

  it('fails when a file outside server/engine talks to the engine', async () => {
    expect(found('engine-door', 'server/workers/rogue.worker.ts')).toEqual([
      expect.stringContaining('camunda-external-task-client-js'),
    ]);
    expect(
      found('entry-points-reach-engine-through-services', 'server/routes/api/engine-direct/index.ts'),
    ).toEqual(['server/engine/client.ts']);
    // A bare fetch is the other way to a second engine door: eslint refuses it outside server/engine.
    const eslint = new ESLint({ cwd: root });
    const [outside] = await eslint.lintText(
      "export const f = () => fetch('http://engine/engine-rest/task');\n",
      {
        filePath: path.join(root, 'server/cases/fixture.ts'),
      },
    );
    expect(outside!.messages.map((m) => m.ruleId)).toContain('no-restricted-syntax');
    const [inside] = await eslint.lintText(
      "export const f = () => fetch('http://engine/engine-rest/task');\n",
      {
        filePath: path.join(root, 'server/engine/fixture.ts'),
      },
    );
    expect(inside!.messages.filter((m) => m.ruleId === 'no-restricted-syntax')).toEqual([]);
  }, 60_000);

  it("fails when a file outside server/engine imports the engine's transport", () => {
    expect(found('engine-internals-stay-inside', 'server/beta/raw-engine.ts')).toEqual([
      'server/engine/transport.ts',
    ]);
    expect(found('engine-internals-stay-inside', 'server/engine/client.ts')).toEqual([]);
  });

  it("fails when the composition (main.ts, app.ts, background/) reaches past a module's index.ts", () => {
    expect(found('composition-uses-module-index', 'server/main.ts')).toEqual(['server/alpha/alpha.repo.ts']);
    expect(found('composition-uses-module-index', 'server/background/fixture-parts.ts')).toEqual([
      'server/alpha/alpha.service.ts',
    ]);
    expect(found('composition-uses-module-index', 'server/app.ts')).toEqual([]);
  });

  it('fails when a script imports a repository', () => {
    expect(found('entry-points-use-module-index', 'scripts/rogue-script.ts')).toEqual([
      'server/alpha/alpha.repo.ts',
    ]);
  });

  it("fails when a file outside server/engine imports node's HTTP client; a type from it passes", () => {
    expect(found('engine-door-no-node-http', 'server/beta/http-client.ts')).toEqual(['http']);
    expect(found('engine-door-no-node-http', 'scripts/rogue-https.ts')).toEqual(['https']);
    expect(found('engine-door-no-node-http', 'server/beta/http-types.ts')).toEqual([]);
    expect(violations.find((v) => v.rule.name === 'engine-door-no-node-http')).toBeDefined();
  });

  it('fails when a route imports the health repository: health is a domain module like the others', () => {
    expect(found('entry-points-use-module-index', 'server/routes/api/health-direct/index.ts')).toEqual([
      'server/health/health.repo.ts',
    ]);
  });

  it('fails when a script builds a query itself', () => {
    expect(found('only-repositories-build-queries', 'scripts/rogue-query.ts').sort()).toEqual([
      expect.stringContaining('drizzle-orm'),
      'server/db/schema/index.ts',
    ]);
  });

  it('fails on a fetch in the pages, in the scripts, or taken off globalThis under another name', async () => {
    const eslint = new ESLint({ cwd: root });
    const messages = async (text: string, file: string) =>
      (await eslint.lintText(text, { filePath: path.join(root, file) }))[0]!.messages.map((m) => m.message);
    const page = 'web/src/routes/page-fixture/+page.server.ts';
    const web = [expect.stringContaining('No fetch in the web app')];
    expect(
      await messages(
        "export const load = async () => (await fetch('http://engine/engine-rest/task')).json();\n",
        page,
      ),
    ).toEqual(web);
    // SvelteKit hands the load its own fetch: the same second contract beside the generated SDK (refused where it
    // is taken out of the event, and where it is called).
    expect(await messages("export const load = async ({ fetch }) => fetch('/api/tasks');\n", page)).toEqual([
      ...web,
      ...web,
    ]);
    const outside = [expect.stringContaining('No fetch outside server/engine')];
    expect(
      await messages(
        "export const f = () => fetch('http://engine/engine-rest/task');\n",
        'scripts/fixture.ts',
      ),
    ).toEqual(outside);
    // Under another name: destructured, read by key, or copied.
    for (const text of [
      "const { fetch: get } = globalThis;\nexport const f = () => get('http://engine/engine-rest/task');\n",
      "export const f = () => globalThis['fetch']('http://engine/engine-rest/task');\n",
      "const get = fetch;\nexport const f = () => get('http://engine/engine-rest/task');\n",
    ]) {
      expect(await messages(text, 'server/cases/fixture.ts'), text).toEqual(outside);
      expect(await messages(text, 'scripts/fixture.ts'), text).toEqual(outside);
    }
    // The cluster's supervisor polls what it started (allow-listed with its reason); the door itself fetches.
    const poll = "export const up = () => fetch('http://127.0.0.1:8404/stats');\n";
    expect(await messages(poll, 'scripts/cluster/haproxy.ts')).toEqual([]);
    expect(await messages(poll, 'server/engine/fixture.ts')).toEqual([]);
  }, 60_000);

  it("fails on the load event's fetch in the pages, called on the event or taken out of it", async () => {
    const eslint = new ESLint({ cwd: root });
    const messages = async (text: string, file: string) =>
      (await eslint.lintText(text, { filePath: path.join(root, file) }))[0]!.messages.map((m) => m.message);
    const web = expect.stringContaining('No fetch in the web app');
    for (const file of [
      'web/src/routes/page-fixture/+page.server.ts',
      'web/src/routes/page-fixture/+layout.server.ts',
      'web/src/routes/page-fixture/+page.ts',
    ]) {
      // On the event, by name or by key.
      expect(
        await messages(
          "export const load = async (event) => (await event.fetch('/api/tasks')).json();\n",
          file,
        ),
        file,
      ).toEqual([web]);
      expect(
        await messages("export const load = async (event) => event['fetch']('/api/tasks');\n", file),
        file,
      ).toEqual([web]);
      // Destructured from the load's parameter under another name, or from the event in the body.
      expect(
        await messages("export const load = async ({ fetch: get }) => get('/api/tasks');\n", file),
        file,
      ).toEqual([web]);
      expect(
        await messages(
          "export const load = async (event) => {\n  const { fetch: get } = event;\n  return get('/api/tasks');\n};\n",
          file,
        ),
        file,
      ).toEqual([web]);
      // Handed on as a value: still SvelteKit's fetch, only called elsewhere.
      expect(
        await messages('export const load = async (event) => ({ get: event.fetch });\n', file),
        file,
      ).toEqual([web]);
    }
    // The bridge hands the generated SDK its fetch as an option (web/src/lib/server/api.ts): no fetch of its own.
    expect(
      await messages(
        'export const client = (bridgeFetch, event) => ({ fetch: bridgeFetch(event) });\n',
        'web/src/lib/server/api-fixture.ts',
      ),
    ).toEqual([]);
  }, 60_000);

  it('fails on a fetch or an EngineClient in server/codes, whose own rule list replaces the server one', async () => {
    const eslint = new ESLint({ cwd: root });
    const messages = async (text: string, file: string) =>
      (await eslint.lintText(text, { filePath: path.join(root, file) }))[0]!.messages.map((m) => m.message);
    expect(
      await messages("export const f = () => fetch('http://x');\n", 'server/codes/fixture-codes.ts'),
    ).toEqual([expect.stringContaining('No fetch outside server/engine')]);
    expect(
      await messages(
        "export const e = (EngineClient) => new EngineClient({ url: 'http://engine' });\n",
        'server/codes/fixture-codes.ts',
      ),
    ).toEqual([expect.stringContaining('One engine client per process')]);
    // Its own rule still holds beside them.
    expect(
      await messages(
        "import { x } from '../cases/index.ts';\nexport const y = x;\n",
        'server/codes/fixture-codes.ts',
      ),
    ).toEqual([expect.stringContaining('server/codes is shared with the web pages')]);
  }, 60_000);

  it('keeps the fetch ban in every folder of server/, the scripts and the pages: no later block drops it', async () => {
    // eslint's flat config replaces a rule's options block by block: a block that sets no-restricted-syntax for some
    // files without the fetch selector would let a fetch through there. Every folder but the engine door's is asked.
    const eslint = new ESLint({ cwd: root });
    const folders = (dir: string): string[] =>
      readdirSync(path.join(root, dir), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .flatMap((e) => [`${dir}/${e.name}`, ...folders(`${dir}/${e.name}`)]);
    const files = [
      'server/fixture.ts',
      'server/main.ts',
      'server/background/background-parts.ts',
      'server/seed/demo-seed-cli.ts',
      'scripts/fixture.ts',
      'web/src/routes/page-fixture/+page.server.ts',
      'web/src/lib/fixture.svelte',
      ...folders('server')
        .filter((d) => !d.startsWith('server/engine'))
        .map((d) => `${d}/fixture.ts`),
      ...folders('scripts')
        .filter((d) => d !== 'scripts/cluster')
        .map((d) => `${d}/fixture.ts`),
    ];
    const withoutBan: string[] = [];
    for (const file of files) {
      const config = (await eslint.calculateConfigForFile(path.join(root, file))) as {
        rules?: Record<string, unknown[]>;
      };
      const entries = (config.rules?.['no-restricted-syntax'] ?? []).slice(1) as Array<{ selector?: string }>;
      if (!entries.some((e) => e.selector?.includes("CallExpression[callee.name='fetch']")))
        withoutBan.push(file);
    }
    expect(withoutBan).toEqual([]);
  }, 60_000);

  it('fails on sql.raw outside server/db, whatever its argument and under any name', async () => {
    const eslint = new ESLint({ cwd: root });
    const rules = async (text: string, file: string) =>
      (await eslint.lintText(text, { filePath: path.join(root, file) }))[0]!.messages
        .filter((m) => m.ruleId === 'house/no-sql-raw')
        .map((m) => m.message);
    const refused = [expect.stringContaining('No sql.raw outside server/db')];
    const drizzle = "import { sql } from 'drizzle-orm';\n";
    for (const text of [
      drizzle + "export const f = (db) => db.execute(sql.raw('update customers set name = 1'));\n",
      drizzle +
        'export const f = (db, id) => db.execute(sql.raw(`delete from customers where id = ${id}`));\n',
      drizzle +
        "const WRITE = 'update customers set name = 1';\nexport const f = (db) => db.execute(sql.raw(WRITE));\n",
      drizzle + 'export const f = (db, text) => db.execute(sql.raw(text));\n',
      drizzle + "export const f = (db) => db.execute(sql['raw']('update customers set name = 1'));\n",
      "import { sql as q } from 'drizzle-orm';\nexport const f = (db) => db.execute(q.raw('update customers set name = 1'));\n",
      drizzle +
        "const { raw } = sql;\nexport const f = (db) => db.execute(raw('update customers set name = 1'));\n",
    ]) {
      expect(await rules(text, 'server/cases/fixture.repo.ts'), text).toEqual(refused);
      expect(await rules(text, 'server/cases/fixture.service.ts'), text).toEqual(refused);
      expect(await rules(text, 'scripts/fixture.ts'), text).toEqual(refused);
    }
    // The sql`` tag passes, and so does sql.raw in server/db (the schema's index predicates, built from code lists).
    expect(
      await rules(
        drizzle + 'export const f = (db, id) => db.execute(sql`select ${id}`);\n',
        'server/cases/fixture.repo.ts',
      ),
    ).toEqual([]);
    expect(
      await rules(
        drizzle + "export const w = sql.raw(`status in ('open')`);\n",
        'server/db/schema/fixture.ts',
      ),
    ).toEqual([]);
  }, 60_000);

  it('fails on SQL as text passed to execute or unsafe, in a service, a script or a repository', async () => {
    const eslint = new ESLint({ cwd: root });
    const rules = async (text: string, file: string) =>
      (await eslint.lintText(text, { filePath: path.join(root, file) }))[0]!.messages
        .filter((m) => m.ruleId === 'house/no-sql-text')
        .map((m) => m.message);
    const refused = [expect.stringContaining('No SQL as text')];
    for (const text of [
      "export const f = (db) => db.execute('delete from cases');\n",
      'export const f = (db, id) => db.execute(`delete from cases where id = ${id}`);\n',
      "export const f = (db, id) => db.execute('delete from cases where id = ' + id);\n",
      "const DELETE = 'delete from cases';\nexport const f = (tx) => tx.execute(DELETE);\n",
      "export const f = (sql) => sql.unsafe('truncate cases');\n",
    ]) {
      expect(await rules(text, 'server/cases/fixture.service.ts'), text).toEqual(refused);
      expect(await rules(text, 'scripts/fixture.ts'), text).toEqual(refused);
      expect(await rules(text, 'server/cases/fixture.repo.ts'), text).toEqual(refused);
    }
    // drizzle's sql`` tag (bound parameters, read by the table-owner check) and a prepared query pass.
    expect(
      await rules(
        "import { sql } from 'drizzle-orm';\nexport const f = (db, id) => db.execute(sql`select ${id}`);\n" +
          'export const g = (q) => q.execute();\n',
        'server/cases/fixture.repo.ts',
      ),
    ).toEqual([]);
  }, 60_000);

  it('fails when an EngineClient is built outside the composition roots', async () => {
    const eslint = new ESLint({ cwd: root });
    const text =
      "import { EngineClient } from '../engine/client.ts';\n" +
      "export const e = new EngineClient({ url: 'http://engine', user: 'u', password: 'p' });\n";
    const [outside] = await eslint.lintText(text, { filePath: path.join(root, 'server/cases/fixture.ts') });
    expect(outside!.messages.map((m) => m.message)).toEqual([
      expect.stringContaining('One engine client per process'),
    ]);
    const [root_] = await eslint.lintText(text.replace('../engine/', './engine/'), {
      filePath: path.join(root, 'server/main.ts'),
    });
    expect(root_!.messages.filter((m) => m.ruleId === 'no-restricted-syntax')).toEqual([]);
    // Nor under another name: through a namespace, or a renamed import.
    const hidden =
      "import * as engine from '../engine/client.ts';\n" +
      "import { EngineClient as Door } from '../engine/client.ts';\n" +
      "export const e = new engine.EngineClient({ url: 'http://engine', user: 'u', password: 'p' });\n" +
      'export const d = Door;\n';
    const [renamed] = await eslint.lintText(hidden, { filePath: path.join(root, 'server/cases/fixture.ts') });
    expect(renamed!.messages.filter((m) => m.message.includes('One engine client per process'))).toHaveLength(
      2,
    );
  }, 60_000);

  it('fails when anything but a repository builds a query', () => {
    expect(found('only-repositories-build-queries', 'server/beta/query.service.ts')).toEqual([
      expect.stringContaining('drizzle-orm'),
    ]);
    expect(found('only-repositories-build-queries', 'server/alpha/alpha.repo.ts')).toEqual([]);
  });

  it('fails when two modules import each other', () => {
    const cycles = violations
      .filter((v) => v.rule.name === 'no-circular-modules')
      .map((v) => `${v.from} -> ${v.to}`);
    expect(cycles).toEqual(
      expect.arrayContaining(['server/gamma -> server/delta', 'server/delta -> server/gamma']),
    );
  });

  it('fails when a page imports server code', () => {
    expect(found('pages-import-no-server-code', 'web/src/routes/page-fixture/+page.server.ts')).toEqual([
      'server/alpha/index.ts',
    ]);
  });

  it('passes what the rules allow: a route through the index, a repository building its query', () => {
    const allowed = violations.filter((v) =>
      [
        'server/alpha/index.ts',
        'server/alpha/alpha.service.ts',
        'server/beta/beta.service.ts',
        'server/beta/http-types.ts',
        'server/app.ts',
        'server/health/index.ts',
        'server/health/readiness.ts',
        'server/health/health.repo.ts',
      ].includes(v.from),
    );
    expect(allowed).toEqual([]);
  });
});

describe('the list of domain modules', () => {
  it('names every folder under server/: loading the rules fails on one that is in neither list', () => {
    const dir = mkdtempSync(path.join(root, '.data', 'lint-modules-'));
    try {
      mkdirSync(path.join(dir, 'server', 'audit'), { recursive: true });
      mkdirSync(path.join(dir, 'server', 'newcomer'), { recursive: true });
      copyFileSync(path.join(root, '.dependency-cruiser.cjs'), path.join(dir, 'rules.cjs'));
      const load = createRequire(import.meta.url);
      expect(() => load(path.join(dir, 'rules.cjs'))).toThrow(
        /server\/newcomer is neither in DOMAIN_MODULES nor in NOT_MODULES/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('one owner per table', () => {
  const schema = [
    {
      path: 'server/db/schema/x.ts',
      text: "export const widgets = pgTable('widgets', {});\nexport const gadgets = pgTable('gadgets', {});\n",
    },
  ];
  const readme = '| table | owner |\n| --- | --- |\n| widgets | alpha |\n| gadgets | beta |\n';

  it("fails on a write to another module's table, and on a write outside a repository", () => {
    const problems = tableOwnerProblems({
      readme,
      schema,
      sources: [
        { path: 'server/alpha/alpha.repo.ts', text: 'db.insert(widgets).values(v);' },
        { path: 'server/beta/beta.repo.ts', text: 'tx.update(widgets).set(s); // takes alpha’s row' },
        {
          path: 'server/beta/beta.service.ts',
          text: 'await db.execute(sql`delete from gadgets where id = 1`);',
        },
      ],
    });
    expect(problems).toEqual([
      'server/beta/beta.repo.ts writes widgets, which belongs to alpha',
      'server/beta/beta.service.ts writes gadgets outside a repository (*.repo.ts)',
    ]);
  });

  it('finds a foreign write through a namespace, an import alias and an interpolated table in raw SQL', () => {
    const write = (text: string) =>
      tableOwnerProblems({ readme, schema, sources: [{ path: 'server/beta/beta.repo.ts', text }] });
    const foreign = ['server/beta/beta.repo.ts writes widgets, which belongs to alpha'];
    expect(
      write("import * as schema from '../db/schema/index.ts';\ntx.update(schema.widgets).set(s);"),
    ).toEqual(foreign);
    expect(write('await db.delete( schema . widgets ).where(w);')).toEqual(foreign);
    expect(
      write("import { gadgets, widgets as w } from '../db/schema/index.ts';\ntx.update(w).set(s);"),
    ).toEqual(foreign);
    expect(
      write("import {\n  type widgets as W,\n} from '../db/schema/x.ts';\ndb.insert(W).values(v);"),
    ).toEqual(foreign);
    expect(write('await tx.execute(sql`update ${widgets} set name = ${n} where id = ${id}`);')).toEqual(
      foreign,
    );
    expect(write('await tx.execute(sql`INSERT INTO ${schema.widgets} (id) values (${id})`);')).toEqual(
      foreign,
    );
    expect(
      write(
        "import { widgets as w } from '../db/schema/index.ts';\nawait tx.execute(sql`delete from ${w}`);",
      ),
    ).toEqual(foreign);
    // Its own table, a name that is no table, and an alias of something else stay quiet.
    expect(
      write(
        "import { gadgets as g, other as widgetsish } from './x.ts';\n" +
          'tx.update(g).set(s); db.insert(schema.gadgets); sql`update ${g} set a = 1`; tx.update(widgetsish);' +
          ' sql`update ${rows} set a = 1`; db.delete(things);',
      ),
    ).toEqual([]);
  });

  it('fails on a table the README does not name; a comment naming a table is no write', () => {
    const problems = tableOwnerProblems({
      readme: '| table | owner |\n| --- | --- |\n| widgets | alpha |\n',
      schema,
      sources: [
        { path: 'server/beta/beta.repo.ts', text: '// update widgets set x = 1\n/* delete from widgets */' },
      ],
    });
    expect(problems).toEqual(['gadgets: no owner in server/db/schema/README.md']);
  });

  it('holds for the repository itself', () => {
    expect(tableOwnerProblems(readRepository(root))).toEqual([]);
  });
});
