import { DmnModdle } from 'dmn-moddle';
import type { LintIssue } from './bpmn-lint.ts';
import { checkDmnAllowList } from './allow-list.ts';

/** The decision the complaint process calls to route a case (processes/complaint-routing.dmn). */
export const ROUTING_DECISION = 'complaint-routing';

export interface DmnLintContext {
  /** Every complaint category (each needs exactly one routing rule). */
  categories: readonly string[];
  /** Process keys the tenant has deployed (a routing target must be one). */
  processKeys: ReadonlySet<string>;
  /** Job-role codes of the tenant's organisation chart. */
  jobRoles: ReadonlySet<string>;
}

interface Entry {
  id?: string;
  text?: string;
}
interface DecisionTable {
  $type: string;
  output?: Array<{ name?: string }>;
  rule?: Array<{ id: string; inputEntry?: Entry[]; outputEntry?: Entry[] }>;
}
interface Decision {
  $type: string;
  id: string;
  $attrs?: Record<string, string>;
  decisionLogic?: DecisionTable;
}

const moddle = new DmnModdle();

const literal = (e: Entry | undefined): string | null => /^\s*"([^"]*)"\s*$/.exec(e?.text ?? '')?.[1] ?? null;

function issue(elementId: string | null, rule: string, message: string): LintIssue {
  return { elementId, rule, severity: 'error', message };
}

/**
 * Lints a DMN document: readable, every decision keeps its history time to live, and the routing table sends
 * each complaint category (exactly once) to a process the tenant has and to a job role of its organisation
 * chart, the same checks tests/processes/processes.test.ts makes of the baseline.
 */
export async function lintDmn(xml: string, ctx: DmnLintContext): Promise<LintIssue[]> {
  // Only FEEL with safe functions and the elements a table needs (allow-list.ts); then the routing rules.
  const refused = checkDmnAllowList(xml);
  if (refused.length > 0) return refused;
  let decisions: Decision[];
  try {
    const { rootElement } = (await moddle.fromXML(xml, 'dmn:Definitions')) as {
      rootElement: { $type: string; drgElement?: Decision[] };
    };
    if (rootElement.$type !== 'dmn:Definitions') throw new Error('not DMN');
    decisions = (rootElement.drgElement ?? []).filter((e) => e.$type === 'dmn:Decision');
  } catch {
    return [issue(null, 'xml', 'Fișierul nu este un document DMN 1.3 valid (XML ilizibil).')];
  }
  const issues: LintIssue[] = [];
  for (const d of decisions) {
    if (!d.$attrs?.['camunda:historyTimeToLive'])
      issues.push(
        issue(
          d.id,
          'reclamatii/history-time-to-live',
          'Decizia nu are durata de păstrare a istoricului (historyTimeToLive).',
        ),
      );
    if (d.id !== ROUTING_DECISION) continue;
    const table = d.decisionLogic;
    if (table?.$type !== 'dmn:DecisionTable') {
      issues.push(issue(d.id, 'reclamatii/routing', 'Rutarea trebuie să fie un tabel de decizie.'));
      continue;
    }
    const outputs = (table.output ?? []).map((o) => o.name);
    const processAt = outputs.indexOf('verificationProcess');
    const roleAt = outputs.indexOf('verificationRole');
    if (processAt < 0 || roleAt < 0) {
      issues.push(
        issue(
          d.id,
          'reclamatii/routing',
          'Tabelul trebuie să aibă ieșirile verificationProcess și verificationRole.',
        ),
      );
      continue;
    }
    const seen = new Map<string, string>();
    for (const r of table.rule ?? []) {
      const category = literal(r.inputEntry?.[0]);
      const process = literal(r.outputEntry?.[processAt]);
      const role = literal(r.outputEntry?.[roleAt]);
      if (!category || !ctx.categories.includes(category))
        issues.push(
          issue(
            r.id,
            'reclamatii/routing',
            `Regula are o categorie necunoscută: ${r.inputEntry?.[0]?.text ?? '—'}.`,
          ),
        );
      else if (seen.has(category))
        issues.push(
          issue(
            r.id,
            'reclamatii/routing',
            `Categoria „${category}” are deja o regulă (${seen.get(category)}).`,
          ),
        );
      else seen.set(category, r.id);
      if (!process || !ctx.processKeys.has(process))
        issues.push(
          issue(r.id, 'reclamatii/routing', `Procesul de verificare „${process ?? '—'}” nu există.`),
        );
      if (!role || !ctx.jobRoles.has(role))
        issues.push(
          issue(
            r.id,
            'reclamatii/routing',
            `Funcția „${role ?? '—'}” nu există în organigrama furnizorului.`,
          ),
        );
    }
    for (const c of ctx.categories)
      if (!seen.has(c))
        issues.push(issue(d.id, 'reclamatii/routing', `Categoria „${c}” nu are nicio regulă de rutare.`));
  }
  return issues;
}
