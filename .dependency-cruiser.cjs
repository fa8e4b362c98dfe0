// @ts-check
/**
 * The boundaries of ../shared/design.md, checked on every `npm run lint` (issue 14). docs/architecture.md draws
 * them. Each rule says why it exists in its `comment`, which dependency-cruiser prints next to a violation.
 *
 * The layers, from the top:
 * - entry points: the HTTP routes (server/routes), the external-task workers (server/workers), the mail intake's
 *   watcher (server/intake/mail/start-intake.ts, mailbox-watcher.ts, catch-all.ts), the command-line scripts (scripts/) and the
 *   pages (web/). Thin skins.
 * - composition: server/main.ts, server/app.ts, server/background (the intake and worker thread) and server/seed
 *   (the demo data, made through the same services) build the services and hand them to the entry points; they
 *   too meet a module through its index.ts.
 * - domain modules: server/<module>/, listed in DOMAIN_MODULES, each with its public face `index.ts`.
 * - shared parts every layer may use: the engine door (server/engine), the database (server/db), the code lists
 *   (server/codes), mail transport and templates (server/mail), errors, configuration, the outbound fence.
 *
 * No rule lists exceptions: when one fires, move the code to where the rule says it belongs.
 */

/** The domain modules (server/<name>/). Each has an index.ts; nothing outside it reaches past that file. */
const DOMAIN_MODULES = [
  'audit',
  'auth',
  'cases',
  'customers',
  'deadlines',
  'designer',
  'documents',
  'health',
  'housekeeping',
  'identification',
  'instructions',
  'intake',
  'operator-requests',
  'org-chart',
  'portal',
  'privacy',
  'reports',
  'retention',
  'supervision',
  'task-read-model',
  'tasks',
  'tenants',
  'users',
];
/**
 * The folders under server/ that are no domain module: entry points, composition and the shared parts below every
 * module (see above). A new folder must be named in one of the two lists, or every rule below would pass over it
 * (a route could import its repository): loading this file fails until it is.
 */
const NOT_MODULES = [
  'background',
  'codes',
  'db',
  'embedded',
  'engine',
  'mail',
  'net',
  'plugins',
  'routes',
  'seed',
  'workers',
];
{
  // A CommonJS file (dependency-cruiser loads its configuration with require): no `import` here.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require('node:fs');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const path = require('node:path');
  const unlisted = fs
    .readdirSync(path.join(__dirname, 'server'), { withFileTypes: true })
    .filter((e) => e.isDirectory() && !DOMAIN_MODULES.includes(e.name) && !NOT_MODULES.includes(e.name))
    .map((e) => `server/${e.name}`);
  if (unlisted.length)
    throw new Error(
      `.dependency-cruiser.cjs: ${unlisted.join(', ')} is neither in DOMAIN_MODULES nor in NOT_MODULES, so no ` +
        'boundary rule would hold for it. A domain module (services, repositories) goes into DOMAIN_MODULES, with ' +
        'an index.ts as its public face; an entry point, composition or shared part into NOT_MODULES.',
    );
}
const MODULE = `(${DOMAIN_MODULES.join('|')})`;
/** Any file of a domain module other than its index. */
const MODULE_INSIDE = `^server/${MODULE}/(?!index\\.ts$)`;
/** The mail intake's watcher: an entry point that lives beside the intake module it drives. */
const INTAKE_WATCHER = '^server/intake/mail/(start-intake|mailbox-watcher|catch-all)\\.ts$';
const ENTRY_POINTS = ['^server/routes/', '^server/workers/', '^server/seed/', '^scripts/', INTAKE_WATCHER];
/** Repositories: the only files that build queries. server/db holds the client, the tables and migrations. */
const REPOSITORY = '\\.repo\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'A cycle ties two modules into one: neither can be read, tested or changed alone, and the import order ' +
        'decides which half sees the other still undefined. Move what both need below both. (A repository may ' +
        "name its own module's types in return: a type-only import is erased and runs nothing.)",
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-circular-modules',
      severity: 'error',
      scope: 'folder',
      comment:
        'Two modules that import each other are one module in two folders: `cases` could not be changed without ' +
        '`intake` and back. Move what both need into the one below, or let the caller pass it in.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'entry-points-use-module-index',
      severity: 'error',
      comment:
        'Routes, workers, the intake watcher, the scripts and the pages are thin skins over the domain: they call the services ' +
        "a module's index.ts exposes, so a rule of the domain holds whichever door a request comes in by.",
      from: { path: ENTRY_POINTS, pathNot: INTAKE_WATCHER },
      to: { path: MODULE_INSIDE },
    },
    {
      name: 'composition-uses-module-index',
      severity: 'error',
      comment:
        'The composition (server/main.ts, server/app.ts, server/background) builds the services and hands them to ' +
        "the entry points: it takes them from each module's index.ts like any other caller, so a module's inside " +
        '(a repository, a helper) can change without a search through the start-up code, and the start-up never ' +
        "reads a table past its owner's service.",
      from: { path: ['^server/(main|app)\\.ts$', '^server/background/'] },
      to: { path: MODULE_INSIDE },
    },
    {
      name: 'intake-watcher-uses-module-index',
      severity: 'error',
      comment:
        'The intake watcher is an entry point like a route: other modules are reached through their index.ts.',
      from: { path: INTAKE_WATCHER },
      to: { path: MODULE_INSIDE, pathNot: '^server/intake/' },
    },
    {
      name: 'intake-watcher-uses-intake-services',
      severity: 'error',
      comment:
        "The intake watcher is an entry point inside the intake module: it may call that module's services, " +
        'never its repositories (the queries stay behind a service that keeps the rules).',
      from: { path: INTAKE_WATCHER },
      to: { path: `^server/intake/.*${REPOSITORY}` },
    },
    {
      name: 'modules-meet-through-index',
      severity: 'error',
      comment:
        "A module's index.ts is its public face: other modules import that file only, so everything else in " +
        'the folder (repositories, helpers) can change without a search through the tree, and each table keeps ' +
        'one owner (server/db/schema/README.md) that the others ask.',
      from: { path: `^server/${MODULE}/` },
      to: { path: MODULE_INSIDE, pathNot: ['^server/$1/'] },
    },
    {
      name: 'index-exposes-no-repository',
      severity: 'error',
      comment:
        "An index.ts that re-exported a repository would hand other modules the owner's tables: it exposes " +
        'services, which keep the rules, write the audit and choose the transaction.',
      from: { path: `^server/${MODULE}/index\\.ts$` },
      to: { path: REPOSITORY },
    },
    {
      name: 'only-repositories-build-queries',
      severity: 'error',
      comment:
        'Queries live in repositories (*.repo.ts) so that each table has one place that writes it and a reader ' +
        'finds every query of a module in one file. Services hold a transaction (server/db/client.ts) and pass ' +
        'it on; they never build a query themselves.',
      from: {
        // The scripts too: a script asks a module's service, like any other entry point.
        path: '^(server|web|scripts)/',
        pathNot: [REPOSITORY, '^server/db/'],
      },
      to: {
        path: ['^node_modules/drizzle-orm/', '^server/db/schema/'],
        // A type names a row; it builds no query (row types go through `import type`).
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'engine-door',
      severity: 'error',
      comment:
        'One door to the engine (design.md): only server/engine knows its address and credentials and talks to ' +
        'it, with one timeout, retry and error mapping. No HTTP client library and no external-task client ' +
        'anywhere else (eslint refuses a bare fetch outside server/engine).',
      from: { pathNot: ['^server/engine/', '^node_modules/'] },
      to: {
        path: '^node_modules/(camunda-external-task-client-js|undici|node-fetch|axios|got|ky)/',
      },
    },
    {
      name: 'engine-door-no-node-http',
      severity: 'error',
      comment:
        "One door to the engine, by any client: node's own http/https/http2 (request, get) would do what a fetch " +
        'does, past the one timeout, retry and error mapping and with credentials of its own. Nothing in the ' +
        'product needs them as a client (fastify builds the server; the embedded mail server speaks over node:net); ' +
        'a type-only import (IncomingMessage in server/app.ts) runs nothing and is allowed.',
      from: { pathNot: ['^server/engine/', '^node_modules/'] },
      to: {
        dependencyTypes: ['core'],
        dependencyTypesNot: ['type-only'],
        path: '^(node:)?(http|https|http2)$',
      },
    },
    {
      name: 'engine-internals-stay-inside',
      severity: 'error',
      comment:
        'The engine door is server/engine/client.ts (EngineClient, one per process) and the few helpers made for ' +
        'outside (deploy-processes, supervision, external-tasks, process-version, the BPMN readers). The ' +
        'transport holds the credentials and sends any request to any REST path, and the call files take it as ' +
        'their first argument: a file outside server/engine that imported them could build its own engine ' +
        'connection or reach a path no typed method offers, past the one timeout, retry and error mapping.',
      from: { pathNot: '^server/engine/' },
      to: {
        path: '^server/engine/(transport|deployments|process-instances|tasks|timers|errors|variables)\\.ts$',
      },
    },
    {
      name: 'entry-points-reach-engine-through-services',
      severity: 'error',
      comment:
        'Routes and pages reach the engine through a domain service, which knows what the call means for the ' +
        'case (audit, outbox, read model); a route that called the engine would skip that.',
      from: { path: ['^server/routes/', '^web/'] },
      to: { path: '^server/engine/' },
    },
    {
      name: 'arrows-point-down',
      severity: 'error',
      comment:
        'Entry points -> domain -> engine / database (design.md): a module never imports a route, a worker, the ' +
        'app, the background thread or the seed, so a module can be used from every entry point.',
      from: { path: `^server/(${DOMAIN_MODULES.join('|')}|engine|db|codes|mail|net|plugins)/` },
      to: { path: '^server/(routes|workers|background|seed)/|^server/(app|main)\\.ts$' },
    },
    {
      name: 'shared-parts-know-no-module',
      severity: 'error',
      comment:
        'The engine door, the database, the code lists, mail and the outbound fence sit below every module: ' +
        'they must not import one, or a module would depend on itself through them.',
      from: {
        path: ['^server/(engine|db|codes|mail|net)/', '^server/(errors|config|periodic)\\.ts$'],
      },
      to: { path: `^server/${MODULE}/` },
    },
    {
      name: 'pages-import-no-server-code',
      severity: 'error',
      comment:
        'The pages call the API through the in-process bridge (web/src/lib/server/api.ts), with the same ' +
        'validation, permission checks and audit as any client; only the import-free code lists ($codes) are shared.',
      from: { path: '^web/' },
      to: { path: '^server/', pathNot: '^server/codes/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Tests may reach anything they check (a repository, the engine); the boundaries are the product's.
    exclude: { path: ['\\.test\\.ts$', '^web/\\.svelte-kit/', '^web/build/', '^web/src/lib/api/generated/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    webpackConfig: { fileName: '.dependency-cruiser.aliases.cjs' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.svelte', '.d.ts', '.json'],
    },
    reporterOptions: {
      dot: { collapsePattern: `^server/(${DOMAIN_MODULES.join('|')}|routes|workers|engine|db|codes|mail)/` },
    },
  },
};
