import { readdir, readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { marked } from 'marked';
import { parse as parseYaml } from 'yaml';
import { JOB_ROLES } from '../codes/job-roles.ts';

export const instructionsDir = fileURLToPath(new URL('../../instructions', import.meta.url));

export interface Instruction {
  id: string;
  title: string;
  role: string;
  appliesWhen: string;
  inputs: string[];
  steps: string[];
  documents: string[];
  legalBasis: string[];
  /** The body rendered to HTML (our own repository content, not user input). */
  html: string;
  /** SHA-256 of the file: the version a case ran under. */
  hash: string;
}

function stringList(v: unknown, key: string, file: string): string[] {
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'string' && x.trim()))
    throw new Error(`${file}: "${key}" must be a non-empty list of texts`);
  return v as string[];
}

export function parseInstruction(file: string, text: string): Instruction {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!m) throw new Error(`${file}: missing YAML front matter`);
  const fm = parseYaml(m[1] ?? '') as Record<string, unknown>;
  for (const key of ['id', 'title', 'role', 'appliesWhen'] as const) {
    if (typeof fm[key] !== 'string' || !(fm[key] as string).trim())
      throw new Error(`${file}: "${key}" is required`);
  }
  const id = fm.id as string;
  if (!/^IL-\d{2}$/.test(id)) throw new Error(`${file}: id "${id}" must look like IL-01`);
  if (!file.startsWith(`${id}.`)) throw new Error(`${file}: id ${id} does not match the file name`);
  const role = fm.role as string;
  if (!(role in JOB_ROLES)) throw new Error(`${file}: unknown role "${role}"`);
  return {
    id,
    title: fm.title as string,
    role,
    appliesWhen: fm.appliesWhen as string,
    inputs: stringList(fm.inputs, 'inputs', file),
    steps: stringList(fm.steps, 'steps', file),
    documents: stringList(fm.documents, 'documents', file),
    legalBasis: stringList(fm.legalBasis, 'legalBasis', file),
    html: marked.parse(m[2] ?? '', { async: false }),
    hash: createHash('sha256').update(text).digest('hex'),
  };
}

/** Loads and validates every instruction; throws on the first invalid file (run at start and in tests). */
export async function loadInstructions(dir = instructionsDir): Promise<Map<string, Instruction>> {
  const files = (await readdir(dir)).filter((f) => /^IL-\d{2}\.md$/.test(f)).sort();
  const out = new Map<string, Instruction>();
  for (const f of files) {
    const ins = parseInstruction(f, await readFile(`${dir}/${f}`, 'utf8'));
    out.set(ins.id, ins);
  }
  return out;
}

/** One hash over the loaded instructions (id and file hash, in id order): the instruction set a case runs under. */
export function instructionsHash(all: Map<string, Instruction>): string {
  const h = createHash('sha256');
  for (const id of [...all.keys()].sort()) h.update(`${id}:${all.get(id)?.hash ?? ''}\n`);
  return h.digest('hex');
}

let current: Promise<string> | undefined;
/** The hash of the instructions on disk, read once per process (they are validated and loaded at start). */
export function currentInstructionsHash(): Promise<string> {
  current ??= loadInstructions().then(instructionsHash);
  return current;
}
