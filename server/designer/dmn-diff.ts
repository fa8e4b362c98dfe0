import { DmnModdle } from 'dmn-moddle';

/**
 * What changed between two versions of a DMN file, decision by decision, the way a process designer reads a
 * decision table: columns (inputs, outputs) added, removed or renamed, rules added, removed or changed, the
 * hit policy. There is no DMN counterpart of bpmn-js-differ, and a generic XML diff would speak of elements,
 * not of rules and cells; so both versions are read with dmn-moddle and compared here.
 *
 * Everything is matched by id (decision, column, rule): dmn-js keeps the ids when a cell or a label is edited,
 * and gives new ones to what is added. A rule's cells are positional in DMN (the n-th input entry belongs to
 * the n-th input), so cells are first keyed by the id of their column in each version and then compared: adding
 * an input in the middle does not make every later cell look changed.
 *
 * One file although past 300 lines: one comparison (read both versions, match by id, compare decisions, columns,
 * rules, cells); close to half of it is types: the result the designer's page shows, and the parts of
 * dmn-moddle's model read here, which ships none.
 */

/** One attribute that differs; `null` where the attribute is absent on that side. */
export interface ValueChange {
  name: string;
  oldValue: string | null;
  newValue: string | null;
}

export type ColumnKind = 'input' | 'output';

export interface DmnColumn {
  id: string;
  /** The heading the table shows (label, else the expression or output name, else the id). */
  title: string;
  label: string | null;
  /** The input expression of an input, the variable name of an output. */
  expression: string | null;
  typeRef: string | null;
}

export interface ColumnChange extends DmnColumn {
  /** Among: label, expression (inputs), name (outputs), typeRef, values (allowed values). */
  attributes: ValueChange[];
}

export interface RuleCell {
  columnId: string;
  column: string;
  kind: ColumnKind;
  value: string;
}

export interface DmnRule {
  id: string;
  /** 1-based row number in its version's table. */
  position: number;
  annotation: string | null;
  cells: RuleCell[];
}

export interface CellChange {
  columnId: string;
  column: string;
  kind: ColumnKind;
  /** `null` when the column does not exist in that version. */
  oldValue: string | null;
  newValue: string | null;
}

export interface RuleChange {
  id: string;
  oldPosition: number;
  position: number;
  /** Rule-level attributes that changed: the annotation (description). */
  attributes: ValueChange[];
  cells: CellChange[];
}

export interface ColumnsDiff {
  added: DmnColumn[];
  removed: DmnColumn[];
  changed: ColumnChange[];
}

export interface DecisionDiff {
  id: string;
  /** The name in the newer version (the older one for a removed decision). */
  name: string | null;
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  /** Decision-level attributes: name, hitPolicy, aggregation, logic (table or expression), expression. */
  attributes: ValueChange[];
  inputs: ColumnsDiff;
  outputs: ColumnsDiff;
  rules: {
    added: DmnRule[];
    removed: DmnRule[];
    changed: RuleChange[];
    /** Rules present in both versions stand in another order (matters for FIRST, PRIORITY, RULE ORDER…). */
    reordered: boolean;
  };
}

export interface DmnDiff {
  decisions: DecisionDiff[];
}

// The parts of dmn-moddle's model read here (it ships no types).
interface Text {
  text?: string;
}
interface InputClause {
  id: string;
  label?: string;
  inputExpression?: Text & { typeRef?: string };
  inputValues?: Text;
}
interface OutputClause {
  id: string;
  label?: string;
  name?: string;
  typeRef?: string;
  outputValues?: Text;
}
interface Rule {
  id: string;
  description?: string;
  inputEntry?: Text[];
  outputEntry?: Text[];
}
interface Logic {
  $type: string;
  text?: string;
  hitPolicy?: string;
  aggregation?: string;
  input?: InputClause[];
  output?: OutputClause[];
  rule?: Rule[];
}
interface Decision {
  $type: string;
  id: string;
  name?: string;
  decisionLogic?: Logic;
}

/** One decision as compared: columns in table order, rules with their cells keyed by column id. */
interface Table {
  id: string;
  name: string | null;
  logic: string | null;
  expression: string | null;
  hitPolicy: string | null;
  aggregation: string | null;
  columns: Array<DmnColumn & { kind: ColumnKind; values: string | null; outputName: string | null }>;
  rules: Array<{ id: string; position: number; annotation: string | null; cells: Map<string, string> }>;
}

const moddle = new DmnModdle();

const text = (v: string | undefined | null): string | null => {
  const t = v?.trim();
  return t ? t : null;
};

/** An empty cell, or `-`, matches anything: such a cell in a new or dropped column changes no rule. */
const isAny = (v: string | null) => v === null || v === '-';

function readTable(d: Decision): Table {
  const logic = d.decisionLogic;
  const table: Table = {
    id: d.id,
    name: text(d.name),
    logic: logic ? logic.$type.replace(/^dmn:/, '') : null,
    expression: null,
    hitPolicy: null,
    aggregation: null,
    columns: [],
    rules: [],
  };
  if (logic?.$type === 'dmn:LiteralExpression') table.expression = text(logic.text);
  if (logic?.$type !== 'dmn:DecisionTable') return table;
  table.hitPolicy = logic.hitPolicy ?? 'UNIQUE';
  table.aggregation = text(logic.aggregation);
  const inputs = (logic.input ?? []).map((i) => {
    const label = text(i.label);
    const expression = text(i.inputExpression?.text);
    return {
      id: i.id,
      kind: 'input' as const,
      title: label ?? expression ?? i.id,
      label,
      expression,
      typeRef: text(i.inputExpression?.typeRef),
      values: text(i.inputValues?.text),
      outputName: null,
    };
  });
  const outputs = (logic.output ?? []).map((o) => {
    const label = text(o.label);
    const name = text(o.name);
    return {
      id: o.id,
      kind: 'output' as const,
      title: label ?? name ?? o.id,
      label,
      expression: name,
      typeRef: text(o.typeRef),
      values: text(o.outputValues?.text),
      outputName: name,
    };
  });
  table.columns = [...inputs, ...outputs];
  table.rules = (logic.rule ?? []).map((r, i) => {
    const cells = new Map<string, string>();
    inputs.forEach((c, n) => cells.set(c.id, r.inputEntry?.[n]?.text?.trim() ?? ''));
    outputs.forEach((c, n) => cells.set(c.id, r.outputEntry?.[n]?.text?.trim() ?? ''));
    return { id: r.id, position: i + 1, annotation: text(r.description), cells };
  });
  return table;
}

/** Reads the decisions of a DMN 1.3 file; throws when the XML is not one. */
async function readDecisions(xml: string): Promise<Table[]> {
  const { rootElement } = (await moddle.fromXML(xml, 'dmn:Definitions')) as {
    rootElement: { $type?: string; drgElement?: Decision[] } | undefined;
  };
  if (rootElement?.$type !== 'dmn:Definitions') throw new Error('The document is not a DMN 1.3 file.');
  return (rootElement.drgElement ?? []).filter((e) => e.$type === 'dmn:Decision').map(readTable);
}

function change(name: string, oldValue: string | null, newValue: string | null): ValueChange[] {
  return oldValue === newValue ? [] : [{ name, oldValue, newValue }];
}

function column(c: Table['columns'][number]): DmnColumn {
  return { id: c.id, title: c.title, label: c.label, expression: c.expression, typeRef: c.typeRef };
}

function ruleView(t: Table, r: Table['rules'][number]): DmnRule {
  return {
    id: r.id,
    position: r.position,
    annotation: r.annotation,
    cells: t.columns.map((c) => ({
      columnId: c.id,
      column: c.title,
      kind: c.kind,
      value: r.cells.get(c.id) ?? '',
    })),
  };
}

function columnsDiff(a: Table | null, b: Table | null, kind: ColumnKind): ColumnsDiff {
  const before = (a?.columns ?? []).filter((c) => c.kind === kind);
  const after = (b?.columns ?? []).filter((c) => c.kind === kind);
  const old = new Map(before.map((c) => [c.id, c]));
  const ids = new Set(after.map((c) => c.id));
  const changed: ColumnChange[] = [];
  for (const c of after) {
    const o = old.get(c.id);
    if (!o) continue;
    const attributes = [
      ...change('label', o.label, c.label),
      ...change(kind === 'input' ? 'expression' : 'name', o.expression, c.expression),
      ...change('typeRef', o.typeRef, c.typeRef),
      ...change('values', o.values, c.values),
    ];
    if (attributes.length) changed.push({ ...column(c), attributes });
  }
  return {
    added: after.filter((c) => !old.has(c.id)).map(column),
    removed: before.filter((c) => !ids.has(c.id)).map(column),
    changed,
  };
}

function rulesDiff(a: Table | null, b: Table | null): DecisionDiff['rules'] {
  const before = a?.rules ?? [];
  const after = b?.rules ?? [];
  const old = new Map(before.map((r) => [r.id, r]));
  const ids = new Set(after.map((r) => r.id));
  const titles = new Map<string, { column: string; kind: ColumnKind }>();
  for (const c of [...(a?.columns ?? []), ...(b?.columns ?? [])])
    titles.set(c.id, { column: c.title, kind: c.kind });
  // Column order: the newer table's, then columns that only the older one had.
  const columnIds = [...new Set([...(b?.columns ?? []), ...(a?.columns ?? [])].map((c) => c.id))];
  const oldColumns = new Set(a?.columns.map((c) => c.id));
  const newColumns = new Set(b?.columns.map((c) => c.id));

  const changed: RuleChange[] = [];
  for (const r of after) {
    const o = old.get(r.id);
    if (!o) continue;
    const cells: CellChange[] = [];
    for (const id of columnIds) {
      const oldValue = oldColumns.has(id) ? (o.cells.get(id) ?? '') : null;
      const newValue = newColumns.has(id) ? (r.cells.get(id) ?? '') : null;
      if (oldValue === newValue) continue;
      // A new or dropped column is reported once, with the columns; its cell here only when it decides something.
      if ((oldValue === null && isAny(newValue)) || (newValue === null && isAny(oldValue))) continue;
      cells.push({ columnId: id, ...titles.get(id)!, oldValue, newValue });
    }
    const attributes = change('annotation', o.annotation, r.annotation);
    if (cells.length || attributes.length)
      changed.push({ id: r.id, oldPosition: o.position, position: r.position, attributes, cells });
  }
  const common = (rules: Table['rules'], other: Set<string>) =>
    rules.filter((r) => other.has(r.id)).map((r) => r.id);
  const oldOrder = common(before, ids);
  const newOrder = common(after, new Set(old.keys()));
  return {
    added: after.filter((r) => !old.has(r.id)).map((r) => ruleView(b!, r)),
    removed: before.filter((r) => !ids.has(r.id)).map((r) => ruleView(a!, r)),
    changed,
    reordered: oldOrder.some((id, i) => newOrder[i] !== id),
  };
}

function decisionDiff(a: Table | null, b: Table | null): DecisionDiff {
  const attributes =
    a && b
      ? [
          ...change('name', a.name, b.name),
          ...change('logic', a.logic, b.logic),
          ...change('hitPolicy', a.hitPolicy, b.hitPolicy),
          ...change('aggregation', a.aggregation, b.aggregation),
          ...change('expression', a.expression, b.expression),
        ]
      : [];
  const inputs = columnsDiff(a, b, 'input');
  const outputs = columnsDiff(a, b, 'output');
  const rules = rulesDiff(a, b);
  const touched =
    attributes.length > 0 ||
    [inputs, outputs].some((c) => c.added.length + c.removed.length + c.changed.length > 0) ||
    rules.added.length + rules.removed.length + rules.changed.length > 0 ||
    rules.reordered;
  return {
    id: (b ?? a)!.id,
    name: (b ?? a)!.name,
    status: !a ? 'added' : !b ? 'removed' : touched ? 'changed' : 'unchanged',
    attributes,
    inputs,
    outputs,
    rules,
  };
}

/** Compares two versions of a DMN file: every decision of either, in the newer file's order. */
export async function diffDmn(oldXml: string, newXml: string): Promise<DmnDiff> {
  const [before, after] = await Promise.all([readDecisions(oldXml), readDecisions(newXml)]);
  const old = new Map(before.map((d) => [d.id, d]));
  const ids = new Set(after.map((d) => d.id));
  return {
    decisions: [
      ...after.map((d) => decisionDiff(old.get(d.id) ?? null, d)),
      ...before.filter((d) => !ids.has(d.id)).map((d) => decisionDiff(d, null)),
    ],
  };
}
