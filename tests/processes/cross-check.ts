/**
 * The cross-check of work instructions, task forms and BPMN: every user task names an instruction that exists,
 * every instruction is used, every field an instruction asks for is read by the form of each task that uses it,
 * and every branch of every gateway can be taken and every element reached, given the values that forms, workers,
 * the routing table and the registration can actually produce.
 *
 * What a form reads and sets is not declared anywhere: it is found by submitting probe values to the form's own
 * validation (server/tasks/task-forms.ts) and watching what changes. What a worker sets is read from the object
 * literals its handler completes with (server/workers/*.worker.ts, TypeScript syntax tree). Conditions are parsed
 * by a small tokenizer (no regular expressions over the models) and evaluated over every combination of the
 * values their variables can take.
 */
import { readdir, readFile } from 'node:fs/promises';
import { BpmnModdle } from 'bpmn-moddle';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };
import { DmnModdle } from 'dmn-moddle';
import ts from 'typescript';
import { parse as parseYaml } from 'yaml';
import { parseExpression, type Expr, type Value } from '../../server/designer/lint/expressions.ts';

export type { Value };
/** The values a variable can take, or `any` (a date, an amount: whatever a condition compares it with). */
export type Values = { any: true } | { any: false; values: Set<Value> };

export interface InstructionSource {
  id: string;
  /** The instruction's `fields` front matter: one list, or a list per form when tasks with different forms use it. */
  fields: string[] | Record<string, string[]> | undefined;
}

export type Validate = (
  form: string | null,
  submission: Record<string, unknown>,
  properties: Record<string, string>,
) => { variables: Record<string, unknown> } | Promise<{ variables: Record<string, unknown> }>;

export interface CrossCheckInput {
  instructions: InstructionSource[];
  bpmn: Array<{ name: string; content: string }>;
  dmn: Array<{ name: string; content: string }>;
  /** The forms' validation (validateSubmission). */
  validate: Validate;
  /** The values each field of a form may be probed with (undefined = not given); `branch` comes from the task. */
  fieldValues: Record<string, readonly unknown[]>;
  /** Variables set by workers, the registration, settings: name → values. */
  producers: Array<{ by: string; variables: Record<string, Values> }>;
  /** Processes the app starts itself. */
  entryProcesses: readonly string[];
}

// ---------------------------------------------------------------------------------------------------------------
// BPMN model

interface El {
  $type: string;
  id: string;
  name?: string;
  flowElements?: El[];
  rootElements?: El[];
  triggeredByEvent?: boolean;
  sourceRef?: El;
  targetRef?: El;
  conditionExpression?: { body?: string };
  default?: El;
  attachedToRef?: El;
  calledElement?: string;
  outgoing?: El[];
  incoming?: El[];
  loopCharacteristics?: El;
  extensionElements?: {
    values?: Array<{
      $type: string;
      values?: Array<{ name?: string; value?: string }>;
      outputParameters?: Array<{ name?: string }>;
    }>;
  };
}

interface TaskInfo {
  process: string;
  file: string;
  id: string;
  instructionId: string | null;
  form: string | null;
  properties: Record<string, string>;
}

const bpmnModdle = new BpmnModdle({ camunda: camundaModdle });

function props(el: El): Record<string, string> {
  const out: Record<string, string> = {};
  for (const ext of el.extensionElements?.values ?? [])
    if (ext.$type === 'camunda:Properties')
      for (const p of ext.values ?? []) if (p.name) out[p.name] = p.value ?? '';
  return out;
}

function allElements(els: El[] | undefined, out: El[] = []): El[] {
  for (const el of els ?? []) {
    out.push(el);
    allElements(el.flowElements, out);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Conditions: the designer lint's own expression language (server/designer/lint/expressions.ts), so what the
// check understands is exactly what a tenant may deploy.

/** Parses `${…}`; throws on anything outside the allowed expressions (the caller reports it). */
export const parseCondition = parseExpression;

function varsOf(e: Expr, out = new Map<string, { guarded: boolean; literals: Set<Value> }>()) {
  const note = (name: string, guarded: boolean) => {
    const v = out.get(name) ?? { guarded: false, literals: new Set<Value>() };
    v.guarded ||= guarded;
    out.set(name, v);
    return v;
  };
  if (e.k === 'var') note(e.name, e.guarded);
  else if (e.k === 'not') varsOf(e.e, out);
  else if (e.k === 'if') {
    varsOf(e.c, out);
    varsOf(e.t, out);
    varsOf(e.f, out);
  } else if (e.k === 'bin') {
    if ((e.op === '==' || e.op === '!=') && e.l.k === 'var' && e.r.k === 'lit')
      note(e.l.name, e.l.guarded).literals.add(e.r.v);
    if ((e.op === '==' || e.op === '!=') && e.r.k === 'var' && e.l.k === 'lit')
      note(e.r.name, e.r.guarded).literals.add(e.l.v);
    varsOf(e.l, out);
    varsOf(e.r, out);
  }
  return out;
}

/** Some value no condition names: stands for "anything else" of an unconstrained variable. */
const OTHER = '\u0000other';
/** The result of comparing such a value by order: true and false both possible. */
const UNKNOWN = '\u0000unknown';

function evaluate(e: Expr, a: Map<string, Value>): Value {
  switch (e.k) {
    case 'lit':
      return e.v;
    case 'var':
      return a.get(e.name) ?? null;
    case 'member':
      return OTHER;
    case 'not': {
      const v = evaluate(e.e, a);
      return v === UNKNOWN ? UNKNOWN : v !== true;
    }
    case 'if': {
      const c = evaluate(e.c, a);
      return c === UNKNOWN ? UNKNOWN : c === true ? evaluate(e.t, a) : evaluate(e.f, a);
    }
    case 'bin': {
      if (e.op === '&&' || e.op === '||') {
        const l = evaluate(e.l, a);
        const r = evaluate(e.r, a);
        const t = (v: Value) => v === true;
        const f = (v: Value) => v !== true && v !== UNKNOWN;
        if (e.op === '&&') return f(l) || f(r) ? false : t(l) && t(r) ? true : UNKNOWN;
        return t(l) || t(r) ? true : f(l) && f(r) ? false : UNKNOWN;
      }
      const l = evaluate(e.l, a);
      const r = evaluate(e.r, a);
      if (e.op === '==') return l === r;
      if (e.op === '!=') return l !== r;
      // An order between values nobody named (an unconstrained date or amount) may go either way.
      if (l === OTHER || r === OTHER) return UNKNOWN;
      if (typeof l !== 'number' || typeof r !== 'number') return false;
      return e.op === '<' ? l < r : e.op === '<=' ? l <= r : e.op === '>' ? l > r : l >= r;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// What forms read and set, by probing their validation

function signature(r: unknown): string {
  return JSON.stringify(r, (_k, v: unknown) => (v instanceof Error ? { error: v.message } : v));
}

async function run(
  validate: Validate,
  form: string | null,
  s: Record<string, unknown>,
  p: Record<string, string>,
) {
  try {
    return { ok: true as const, result: await validate(form, s, p) };
  } catch (err) {
    const e = err as { details?: { field?: string }; message?: string };
    return { ok: false as const, error: `${e.details?.field ?? ''}:${e.message ?? String(err)}` };
  }
}

interface FormProbe {
  reads: Set<string>;
  sets: Map<string, Set<Value>>;
}

/**
 * Submits the form with every pair of (field, value) changes over a base submission and records which fields
 * change the outcome (the form reads them) and every variable value a successful submission sets.
 */
export async function probeForm(
  validate: Validate,
  form: string | null,
  properties: Record<string, string>,
  fieldValues: Record<string, readonly unknown[]>,
): Promise<FormProbe> {
  const space: Record<string, readonly unknown[]> = { ...fieldValues };
  const branches = (properties.branches ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  space.branch = [undefined, ...branches, 'no-such-branch'];
  const fields = Object.keys(space);
  const base: Record<string, unknown> = {};
  for (const f of fields) base[f] = space[f]!.find((v) => v !== undefined);
  const changes: Array<[string, unknown]> = [];
  for (const f of fields) for (const v of space[f]!) changes.push([f, v]);
  const reads = new Set<string>();
  const sets = new Map<string, Set<Value>>();
  const cache = new Map<string, string>();
  const submit = async (s: Record<string, unknown>) => {
    const key = signature(s);
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const r = await run(validate, form, s, properties);
    if (r.ok)
      for (const [k, v] of Object.entries(r.result.variables)) {
        const set = sets.get(k) ?? new Set<Value>();
        set.add(v as Value);
        sets.set(k, set);
      }
    const sig = r.ok ? signature(r.result) : r.error;
    cache.set(key, sig);
    return sig;
  };
  for (const [g, vg] of [[null, null] as [string | null, unknown], ...changes]) {
    const ctx = g ? { ...base, [g]: vg } : { ...base };
    const here = await submit(ctx);
    for (const [f, vf] of changes) {
      if (f === g || reads.has(f)) {
        if (f !== g) await submit({ ...ctx, [f]: vf });
        continue;
      }
      if ((await submit({ ...ctx, [f]: vf })) !== here) reads.add(f);
    }
  }
  return { reads, sets };
}

// ---------------------------------------------------------------------------------------------------------------
// What workers and the registration set, from their source

function valuesOfNode(n: ts.Expression): Values {
  if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n))
    return { any: false, values: new Set([n.text]) };
  if (n.kind === ts.SyntaxKind.TrueKeyword) return { any: false, values: new Set([true]) };
  if (n.kind === ts.SyntaxKind.FalseKeyword) return { any: false, values: new Set([false]) };
  if (n.kind === ts.SyntaxKind.NullKeyword) return { any: false, values: new Set([null]) };
  if (ts.isParenthesizedExpression(n)) return valuesOfNode(n.expression);
  if (ts.isPrefixUnaryExpression(n) && n.operator === ts.SyntaxKind.ExclamationToken)
    return { any: false, values: new Set([true, false]) };
  if (ts.isBinaryExpression(n)) {
    const op = n.operatorToken.kind;
    const booleanOps = [
      ts.SyntaxKind.EqualsEqualsEqualsToken,
      ts.SyntaxKind.ExclamationEqualsEqualsToken,
      ts.SyntaxKind.EqualsEqualsToken,
      ts.SyntaxKind.ExclamationEqualsToken,
      ts.SyntaxKind.LessThanToken,
      ts.SyntaxKind.GreaterThanToken,
      ts.SyntaxKind.LessThanEqualsToken,
      ts.SyntaxKind.GreaterThanEqualsToken,
    ];
    if (booleanOps.includes(op)) return { any: false, values: new Set([true, false]) };
    if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) {
      const l = valuesOfNode(n.left);
      const r = valuesOfNode(n.right);
      const bool = (v: Values) => !v.any && [...v.values].every((x) => typeof x === 'boolean');
      if (bool(l) && bool(r)) return { any: false, values: new Set([true, false]) };
    }
  }
  if (ts.isConditionalExpression(n)) return union(valuesOfNode(n.whenTrue), valuesOfNode(n.whenFalse));
  return { any: true };
}

export function union(a: Values | undefined, b: Values): Values {
  if (!a) return b;
  if (a.any || b.any) return { any: true };
  return { any: false, values: new Set([...a.values, ...b.values]) };
}

/**
 * The variables a TypeScript source sets: every object literal given as `variables: {…}` (a worker's outcome) or
 * assigned to a `const variables = {…}` (the registration's start variables), name by name.
 */
export function variablesSetIn(source: string, file = 'x.ts'): Record<string, Values> {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const out: Record<string, Values> = {};
  const takeObject = (o: ts.ObjectLiteralExpression) => {
    for (const p of o.properties) {
      if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)))
        out[p.name.text] = union(out[p.name.text], valuesOfNode(p.initializer));
      else if (ts.isShorthandPropertyAssignment(p)) out[p.name.text] = { any: true };
    }
  };
  const visit = (n: ts.Node) => {
    if (
      ts.isPropertyAssignment(n) &&
      ts.isIdentifier(n.name) &&
      n.name.text === 'variables' &&
      ts.isObjectLiteralExpression(n.initializer)
    )
      takeObject(n.initializer);
    if (
      ts.isVariableDeclaration(n) &&
      ts.isIdentifier(n.name) &&
      n.name.text === 'variables' &&
      n.initializer &&
      ts.isObjectLiteralExpression(n.initializer)
    )
      takeObject(n.initializer);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The check

export async function crossCheck(input: CrossCheckInput): Promise<string[]> {
  const problems: string[] = [];
  const processes = new Map<string, { file: string; root: El }>();
  for (const f of input.bpmn) {
    const { rootElement } = (await bpmnModdle.fromXML(f.content)) as unknown as { rootElement: El };
    for (const r of rootElement.rootElements ?? [])
      if (r.$type === 'bpmn:Process') processes.set(r.id, { file: f.name, root: r });
  }

  // Tasks and instructions.
  const tasks: TaskInfo[] = [];
  for (const [pid, { file, root }] of processes)
    for (const el of allElements(root.flowElements))
      if (el.$type === 'bpmn:UserTask') {
        const pr = props(el);
        tasks.push({
          process: pid,
          file,
          id: el.id,
          instructionId: pr.instructionId ?? null,
          form: pr.form ?? null,
          properties: pr,
        });
      }
  const instructions = new Map(input.instructions.map((i) => [i.id, i]));
  for (const t of tasks)
    if (!t.instructionId) problems.push(`${t.process}#${t.id}: the task names no work instruction`);
    else if (!instructions.has(t.instructionId))
      problems.push(`${t.process}#${t.id}: instruction ${t.instructionId} does not exist`);
  for (const i of input.instructions)
    if (!tasks.some((t) => t.instructionId === i.id))
      problems.push(`${i.id}: no user task uses this instruction`);

  // Forms: what each (form, properties) reads and sets.
  const probes = new Map<string, FormProbe>();
  const probeOf = async (t: TaskInfo) => {
    const key = `${t.form}|${t.properties.branches ?? ''}`;
    let p = probes.get(key);
    if (!p) {
      p = await probeForm(input.validate, t.form, t.properties, input.fieldValues);
      probes.set(key, p);
    }
    return p;
  };
  for (const t of tasks) {
    const probe = await probeOf(t);
    const ins = t.instructionId ? instructions.get(t.instructionId) : undefined;
    if (!ins) continue;
    if (ins.fields === undefined) {
      problems.push(
        `${ins.id}: the instruction does not say which fields it asks for (front matter "fields")`,
      );
      continue;
    }
    const asked = Array.isArray(ins.fields) ? ins.fields : ins.fields[t.form ?? ''];
    if (!asked) {
      problems.push(`${ins.id}: lists no fields for form "${t.form}" of ${t.process}#${t.id}`);
      continue;
    }
    for (const f of asked) {
      if (!(f in input.fieldValues) && f !== 'branch')
        problems.push(`${ins.id}: asks for field "${f}", which no form knows`);
      else if (!probe.reads.has(f))
        problems.push(
          `${ins.id}: asks for field "${f}", which form "${t.form}" of ${t.process}#${t.id} lacks`,
        );
    }
  }

  // Every producer of variables.
  const produced = new Map<string, Values>();
  const add = (name: string, v: Values) => produced.set(name, union(produced.get(name), v));
  for (const p of probes.values())
    for (const [name, values] of p.sets) add(name, { any: false, values: new Set(values) });
  for (const p of input.producers) for (const [name, v] of Object.entries(p.variables)) add(name, v);
  const dmnProcesses = new Set<string>();
  for (const f of input.dmn) {
    const moddle = new DmnModdle();
    const { rootElement } = (await moddle.fromXML(f.content, 'dmn:Definitions')) as unknown as {
      rootElement: {
        drgElement?: Array<{
          $type: string;
          decisionLogic?: {
            output?: Array<{ name?: string }>;
            rule?: Array<{ outputEntry?: Array<{ text?: string }> }>;
          };
        }>;
      };
    };
    for (const d of rootElement.drgElement ?? []) {
      const table = d.decisionLogic;
      const outputs = table?.output ?? [];
      for (const rule of table?.rule ?? [])
        rule.outputEntry?.forEach((e, i) => {
          const name = outputs[i]?.name;
          const text = (e.text ?? '').trim();
          if (!name) return;
          const lit =
            text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : null;
          add(name, lit === null ? { any: true } : { any: false, values: new Set([lit]) });
          if (name === 'verificationProcess' && lit) dmnProcesses.add(lit);
        });
    }
  }
  add('loopCounter', { any: true });

  // Conditions: which outgoing flows of each element can be taken.
  const blocked = new Set<string>();
  for (const [pid, { root }] of processes) {
    const els = allElements(root.flowElements);
    for (const node of els) {
      const out = els.filter((e) => e.$type === 'bpmn:SequenceFlow' && e.sourceRef?.id === node.id);
      const conditional = out.filter((f) => f.conditionExpression?.body);
      if (!conditional.length) continue;
      const parsed: Array<{ flow: El; expr: Expr }> = [];
      for (const f of conditional) {
        try {
          parsed.push({ flow: f, expr: parseCondition(f.conditionExpression!.body!) });
        } catch (err) {
          problems.push(
            `${pid}#${f.id}: condition ${f.conditionExpression!.body} is outside what the check understands (${(err as Error).message})`,
          );
        }
      }
      const vars = new Map<string, { guarded: boolean; literals: Set<Value> }>();
      for (const { expr } of parsed)
        for (const [n, v] of varsOf(expr)) {
          const cur = vars.get(n) ?? { guarded: false, literals: new Set<Value>() };
          cur.guarded ||= v.guarded;
          v.literals.forEach((l) => cur.literals.add(l));
          vars.set(n, cur);
        }
      const candidates: Array<[string, Value[]]> = [];
      for (const [n, v] of vars) {
        const p = produced.get(n);
        const vals = new Set<Value>();
        if (p?.any) {
          v.literals.forEach((l) => vals.add(l));
          vals.add(OTHER);
        } else if (p) p.values.forEach((x) => vals.add(x));
        if (v.guarded) vals.add(null);
        if (!p) problems.push(`${pid}#${node.id}: no form, worker, routing rule or setting sets "${n}"`);
        candidates.push([n, [...vals]]);
      }
      const can = new Map<string, boolean>(parsed.map(({ flow }) => [flow.id, false]));
      let noneTrue = false;
      const assign = new Map<string, Value>();
      let count = 0;
      const walk = (i: number) => {
        if (count > 50_000) return;
        if (i === candidates.length) {
          count++;
          let surelyOne = false;
          for (const { flow, expr } of parsed) {
            const v = evaluate(expr, assign);
            if (v === true || v === UNKNOWN) can.set(flow.id, true);
            if (v === true) surelyOne = true;
          }
          if (!surelyOne) noneTrue = true;
          return;
        }
        const [n, vals] = candidates[i]!;
        for (const v of vals) {
          assign.set(n, v);
          walk(i + 1);
        }
      };
      walk(0);
      for (const { flow } of parsed)
        if (!can.get(flow.id)) {
          blocked.add(flow.id);
          problems.push(
            `${pid}#${flow.id}: the branch "${flow.name ?? flow.id}" of ${node.id} can never be taken (${flow.conditionExpression!.body})`,
          );
        }
      const dflt = node.default;
      if (dflt && !noneTrue && parsed.length === conditional.length) {
        blocked.add(dflt.id);
        problems.push(
          `${pid}#${dflt.id}: the default branch "${dflt.name ?? dflt.id}" of ${node.id} can never be taken: some condition always holds`,
        );
      }
    }
  }

  // Reachability of every element from its process's start, and of every process from the app's entry points.
  const called = new Set<string>();
  const reached = new Set<string>(input.entryProcesses);
  const queue = [...input.entryProcesses];
  while (queue.length) {
    const pid = queue.shift()!;
    const proc = processes.get(pid);
    if (!proc) {
      problems.push(`process ${pid} is started or called but is not deployed`);
      continue;
    }
    const els = allElements(proc.root.flowElements);
    const seen = new Set<string>();
    const stack: El[] = [];
    const visitScope = (scope: El[] | undefined) => {
      for (const el of scope ?? [])
        if (el.$type === 'bpmn:StartEvent' || (el.$type === 'bpmn:SubProcess' && el.triggeredByEvent))
          stack.push(el);
    };
    visitScope(proc.root.flowElements);
    while (stack.length) {
      const el = stack.pop()!;
      if (seen.has(el.id)) continue;
      seen.add(el.id);
      if (el.$type === 'bpmn:SubProcess') visitScope(el.flowElements);
      if (el.$type === 'bpmn:CallActivity') {
        const targets =
          el.calledElement === '${verificationProcess}' ? [...dmnProcesses] : [el.calledElement ?? ''];
        for (const t of targets) {
          called.add(t);
          if (!reached.has(t)) {
            reached.add(t);
            queue.push(t);
          }
        }
      }
      for (const b of els)
        if (b.$type === 'bpmn:BoundaryEvent' && b.attachedToRef?.id === el.id) stack.push(b);
      for (const f of els)
        if (f.$type === 'bpmn:SequenceFlow' && f.sourceRef?.id === el.id && !blocked.has(f.id) && f.targetRef)
          stack.push(f.targetRef);
    }
    for (const el of els)
      if (el.$type !== 'bpmn:SequenceFlow' && !seen.has(el.id))
        problems.push(`${pid}#${el.id}: "${el.name ?? el.id}" can never be reached`);
  }
  for (const pid of processes.keys())
    if (!reached.has(pid))
      problems.push(`process ${pid} is neither started by the app nor called by a process`);
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Loading the repository's own files

export function instructionFromMarkdown(text: string): InstructionSource {
  if (!text.startsWith('---\n')) throw new Error('no front matter');
  const end = text.indexOf('\n---', 4);
  const fm = parseYaml(text.slice(4, end)) as { id: string; fields?: unknown };
  return { id: fm.id, fields: fm.fields as InstructionSource['fields'] };
}

export async function readSources(dir: string, suffix: string) {
  const names = (await readdir(dir)).filter((n) => n.endsWith(suffix)).sort();
  return Promise.all(
    names.map(async (name) => ({ name, content: await readFile(`${dir}/${name}`, 'utf8') })),
  );
}
