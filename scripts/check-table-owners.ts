/**
 * One owner per table (issue 14 item 2): every table is written by exactly one module, through its repositories.
 * Reads server/db/schema/README.md (table → owner), the drizzle schema (which tables exist) and every source file
 * under server/, and reports each write that is not the owner's, or not in a repository, and each table the README
 * does not name. `npm run lint` runs it; tests/lint/boundaries.test.ts proves it fails on a foreign write.
 *
 * A write is drizzle's `.insert(t)`, `.update(t)` or `.delete(t)` on a schema table, or `insert into t`,
 * `update t` or `delete from t` inside a template literal (raw SQL). The table may be named as the schema names it
 * (`customers`), through a namespace (`schema.customers`), through an import alias (`import { customers as c }`,
 * then `c`), and inside a template as an interpolation (sql`update ${customers} set …`). Comments are ignored.
 * Every pattern is linear: no nested or overlapping quantifiers.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SourceFile {
  /** Relative to the repository root, with forward slashes. */
  path: string;
  text: string;
}

export interface OwnerCheckInput {
  readme: string;
  schema: SourceFile[];
  sources: SourceFile[];
}

const TABLE_DECL = /export const (\w+) = pgTable\(\s*'(\w+)'/g;
const README_ROW = /^\|\s*([a-z_]+)\s*\|\s*([a-z-]+)\s*\|/gm;
/** A name as code writes it: `customers`, or `schema.customers` (the last part names the table). */
const REF = String.raw`[\w$]+(?:\s*\.\s*[\w$]+)*`;
const DRIZZLE_WRITE = new RegExp(String.raw`\.(insert|update|delete)\(\s*(${REF})\s*\)`, 'g');
/** In raw SQL: the table's own name, or an interpolated reference (`${customers}`, `${schema.customers}`). */
const SQL_WRITE = new RegExp(
  String.raw`\b(?:insert\s+into|update|delete\s+from)\s+(?:([a-z_]+)|\$\{\s*(${REF})\s*\})`,
  'gi',
);
/** The braces of an import: `import { a, b as c } from`, `import type { … } from`. */
const NAMED_IMPORT = /\bimport\s+(?:type\s+)?\{([^}]*)\}\s*from\b/g;
const ALIAS = /^(?:type\s+)?([\w$]+)\s+as\s+([\w$]+)$/;

/** The code without its comments (line and block), so a comment naming a table never counts as a write. */
function withoutComments(text: string): string {
  let out = '';
  let i = 0;
  let quote: string | null = null;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (quote) {
      out += c;
      if (c === '\\') {
        out += next ?? '';
        i += 2;
        continue;
      }
      if (c === quote) quote = null;
      i += 1;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      quote = c;
      out += c;
      i += 1;
    } else if (c === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') i += 1;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

/** The template literals of the code (raw SQL lives there). */
function templateLiterals(code: string): string[] {
  const out: string[] = [];
  let i = code.indexOf('`');
  while (i >= 0) {
    let j = i + 1;
    while (j < code.length && code[j] !== '`') j += code[j] === '\\' ? 2 : 1;
    out.push(code.slice(i + 1, j));
    i = code.indexOf('`', j + 1);
  }
  return out;
}

/** The module a file belongs to: server/<module>/…, or the file's own name for a file directly under server/. */
export function moduleOf(file: string): string {
  const parts = file.split('/');
  return parts.length > 2 ? parts[1]! : parts[1]!.replace(/\.ts$/, '');
}

/** The last part of a reference: `schema.customers` → `customers`. */
function lastPart(ref: string): string {
  return ref.slice(ref.lastIndexOf('.') + 1).trim();
}

/** The file's names for tables: the schema's own names, and each import alias of one (`customers as c` → c). */
function tableNames(code: string, tableOfVar: Map<string, string>): Map<string, string> {
  const names = new Map(tableOfVar);
  for (const m of code.matchAll(NAMED_IMPORT))
    for (const spec of m[1]!.split(',')) {
      const alias = ALIAS.exec(spec.trim());
      const t = alias && tableOfVar.get(alias[1]!);
      if (alias && t) names.set(alias[2]!, t);
    }
  return names;
}

export function tableOwnerProblems(input: OwnerCheckInput): string[] {
  const tableOfVar = new Map<string, string>();
  for (const f of input.schema) for (const m of f.text.matchAll(TABLE_DECL)) tableOfVar.set(m[1]!, m[2]!);
  const tables = new Set(tableOfVar.values());
  const owner = new Map<string, string>();
  for (const m of input.readme.matchAll(README_ROW)) if (m[1] !== 'table') owner.set(m[1]!, m[2]!);

  const problems: string[] = [];
  for (const t of [...tables].sort())
    if (!owner.has(t)) problems.push(`${t}: no owner in server/db/schema/README.md`);
  for (const t of [...owner.keys()].sort())
    if (!tables.has(t)) problems.push(`${t}: in server/db/schema/README.md but not in the schema`);

  for (const f of input.sources) {
    const code = withoutComments(f.text);
    const names = tableNames(code, tableOfVar);
    const written = new Set<string>();
    for (const m of code.matchAll(DRIZZLE_WRITE)) {
      const t = names.get(lastPart(m[2]!));
      if (t) written.add(t);
    }
    for (const literal of templateLiterals(code))
      for (const m of literal.matchAll(SQL_WRITE)) {
        const t = m[1] !== undefined ? (tables.has(m[1]) ? m[1] : undefined) : names.get(lastPart(m[2]!));
        if (t) written.add(t);
      }
    for (const t of [...written].sort()) {
      const mod = moduleOf(f.path);
      const own = owner.get(t);
      if (own && own !== mod) problems.push(`${f.path} writes ${t}, which belongs to ${own}`);
      if (!f.path.endsWith('.repo.ts'))
        problems.push(`${f.path} writes ${t} outside a repository (*.repo.ts)`);
    }
  }
  return problems;
}

function filesUnder(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(root, dir))) {
    const rel = `${dir}/${name}`;
    if (statSync(path.join(root, rel)).isDirectory()) out.push(...filesUnder(root, rel));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

/** The repository's own input: the README, the schema files and the server's sources (server/db excluded). */
export function readRepository(root: string): OwnerCheckInput {
  const read = (p: string): SourceFile => ({ path: p, text: readFileSync(path.join(root, p), 'utf8') });
  return {
    readme: readFileSync(path.join(root, 'server/db/schema/README.md'), 'utf8'),
    schema: filesUnder(root, 'server/db/schema').map(read),
    sources: filesUnder(root, 'server')
      .filter((p) => !p.startsWith('server/db/'))
      .map(read),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const problems = tableOwnerProblems(readRepository(root));
  if (problems.length) {
    console.error(`One owner per table (server/db/schema/README.md): ${problems.length} problem(s)`);
    for (const p of problems) console.error(`  ${p}`);
    process.exit(1);
  }
  console.log('Table owners: every table is written by its owner only.');
}
