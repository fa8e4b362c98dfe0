#!/usr/bin/env node
/**
 * Builds the SvelteKit pages (web/) into web/build when they are missing or older than their sources, so
 * `npm start` and `npm test` always serve current pages without rebuilding every time. Prints one line; on a
 * failed build, prints the build's output and exits non-zero.
 *
 * Sources: everything under web/src and web/static, plus web/svelte.config.js, web/vite.config.ts and server/codes
 * (the code lists the pages import through the `$codes` alias).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const web = join(root, 'web');
const handler = join(web, 'build', 'handler.js');
const require = createRequire(import.meta.url);

/** The newest modification time (ms) of a file or of any file below a folder; 0 when absent. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs; // a deleted file shows up as a newer folder
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    max = Math.max(max, newest(join(path, entry.name)));
  }
  return max;
}

function binOf(pkg, bin) {
  return join(dirname(require.resolve(`${pkg}/package.json`)), bin);
}

function run(label, args) {
  const r = spawnSync(process.execPath, args, {
    cwd: web,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  if (r.status !== 0) {
    process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
    console.error(`web: ${label} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

const sources = [
  join(web, 'src'),
  join(web, 'static'),
  join(web, 'svelte.config.js'),
  join(web, 'vite.config.ts'),
  join(root, 'server', 'codes'),
];
const sourceTime = Math.max(...sources.map(newest));
const builtTime = existsSync(handler) ? statSync(handler).mtimeMs : 0;
const force = process.argv.includes('--force');

if (!force && builtTime > 0 && builtTime >= sourceTime) {
  console.log(`web: up to date (${relative(root, handler)})`);
  process.exit(0);
}

const started = Date.now();
// A clean clone has no web/.svelte-kit yet: generate it (types, tsconfig) before Vite reads web/tsconfig.json.
if (!existsSync(join(web, '.svelte-kit', 'tsconfig.json')))
  run('svelte-kit sync', [binOf('@sveltejs/kit', 'svelte-kit.js'), 'sync']);
// Stale client chunks from an earlier build can end up next to the new ones and be served with a different
// version hash than the server expects (the page then fails to hydrate): always build from an empty output.
rmSync(join(web, '.svelte-kit', 'output'), { recursive: true, force: true });
run('vite build', [binOf('vite', 'bin/vite.js'), 'build', '--logLevel', 'warn']);
if (!existsSync(handler)) {
  console.error(`web: the build finished but ${relative(root, handler)} is missing`);
  process.exit(1);
}
console.log(
  `web: built ${relative(root, join(web, 'build'))} in ${((Date.now() - started) / 1000).toFixed(1)}s`,
);
