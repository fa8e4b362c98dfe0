/**
 * Regenerates the module picture of docs/architecture.md (`npm run docs:architecture`): runs dependency-cruiser
 * over server/ and web/src with the boundary rules of .dependency-cruiser.cjs, collapsed to one node per module
 * (folder under server/, the intake watcher's two files, the pages and web/src/lib), and writes its mermaid output
 * between the `<!-- depcruise:start -->` and `<!-- depcruise:end -->` markers. Nothing else in the page changes.
 * With `--check` (a step of `npm run lint`) it writes nothing and fails when the committed picture differs from the
 * one the code draws now; `--doc <file>` reads another copy of the page (tests/lint/house-checks.test.ts).
 *
 * Two things differ from `npm run lint`'s run, both for the picture only:
 * - SvelteKit's aliases ($lib, $codes: web/svelte.config.js) are given to the resolver through a temporary tsconfig,
 *   so the pages' imports show as arrows instead of unresolved names;
 * - the composition (main.ts, app.ts, background, seed, plugins) and the shared parts below every module (db,
 *   codes, mail, net, errors, config, logging) are left out: the first imports everything by design, everything
 *   may import the second, and with them the picture is a wall of arrows. docs/architecture.md lists them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DOC = path.join(ROOT, 'docs/architecture.md');
const START = '<!-- depcruise:start -->';
const END = '<!-- depcruise:end -->';

/**
 * What the configuration leaves out of every run (tests, SvelteKit's generated files): the CLI's --exclude below
 * replaces the configuration's instead of adding to it, so those are repeated here.
 */
const CONFIG_EXCLUDED: string[] = (
  createRequire(import.meta.url)(path.join(ROOT, '.dependency-cruiser.cjs')) as {
    options: { exclude: { path: string[] } };
  }
).options.exclude.path;

/** Left out of the picture (see above), besides what the configuration excludes. */
const LEFT_OUT = [
  ...CONFIG_EXCLUDED,
  '^server/(errors|config|logger|periodic|request-log|startup-report|app|main|web-bridge)\\.ts$',
  '^server/(db|codes|net|mail|embedded|background|seed|plugins)/',
  '^web/src/lib/api/generated/',
].join('|');

/** One node per module: the intake watcher's files stand alone (an entry point inside the intake module). */
const COLLAPSE =
  '^(server/intake/mail/(start-intake|mailbox-watcher|catch-all)\\.ts|server/[^/]+|web/src/(routes|lib)|web/src)';

function mermaid(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'architecture-graph-'));
  try {
    const tsconfig = path.join(dir, 'tsconfig.json');
    writeFileSync(
      tsconfig,
      JSON.stringify({
        extends: path.join(ROOT, 'tsconfig.json'),
        compilerOptions: {
          baseUrl: ROOT,
          paths: {
            $codes: ['server/codes'],
            '$codes/*': ['server/codes/*'],
            $lib: ['web/src/lib'],
            '$lib/*': ['web/src/lib/*'],
          },
        },
        include: [],
        files: [path.join(ROOT, 'server/errors.ts')],
      }),
    );
    const config = path.join(dir, 'depcruise.cjs');
    writeFileSync(
      config,
      `const base = require(${JSON.stringify(path.join(ROOT, '.dependency-cruiser.cjs'))});\n` +
        `module.exports = { ...base, options: { ...base.options, tsConfig: { fileName: ${JSON.stringify(tsconfig)} } } };\n`,
    );
    const drawn = execFileSync(
      path.join(ROOT, 'node_modules/.bin/depcruise'),
      [
        'server',
        'web/src',
        '--config',
        config,
        '--include-only',
        '^(server|web/src)',
        '--exclude',
        LEFT_OUT,
        '--collapse',
        COLLAPSE,
        '--output-type',
        'mermaid',
      ],
      { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
    ).trim();
    // depcruise lists the arrows in the order it met the imports: sorted, the picture changes only when an arrow
    // does, not when a file's imports are reordered (the boxes come first, in the order of their paths).
    const lines = drawn.split('\n');
    const arrows = lines.filter((l) => l.includes('-->'));
    return [...lines.filter((l) => !l.includes('-->')), ...[...new Set(arrows)].sort()].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const { values: args } = parseArgs({
  options: { check: { type: 'boolean', default: false }, doc: { type: 'string', default: DOC } },
});
const docPath = path.resolve(args.doc);
const shown = path.relative(ROOT, docPath);
const doc = readFileSync(docPath, 'utf8');
const from = doc.indexOf(START);
const to = doc.indexOf(END);
if (from < 0 || to < from) {
  console.error(`${shown}: the markers ${START} and ${END} are missing or out of order`);
  process.exit(1);
}
const block = `${START}\n\n\`\`\`mermaid\n${mermaid()}\n\`\`\`\n\n`;
const fresh = doc.slice(0, from) + block + doc.slice(to);
if (args.check) {
  // `npm run lint`: the committed picture is the one the code draws today, or a newcomer reads a map of another house.
  if (fresh !== doc) {
    console.error(
      `${shown}: the module picture is stale: the imports between the modules changed since it was drawn. ` +
        'Run `npm run docs:architecture` and commit the redrawn picture (never edit it by hand).',
    );
    process.exit(1);
  }
  console.log(`${shown}: the module picture is up to date`);
} else {
  writeFileSync(docPath, fresh);
  console.log(`${shown}: module picture regenerated`);
}
