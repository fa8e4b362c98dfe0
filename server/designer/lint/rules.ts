import { expressionsIn, parseExpression } from './expressions.ts';

/**
 * Our own bpmnlint rules: what a process must hold to so that the app can run it. Each is a rule factory in
 * bpmnlint's shape (`() => ({ check(node, reporter) })`), made per lint run with the tenant's facts.
 */

export interface LintContext {
  /** Ids of the work instructions (instructions/). */
  instructionIds: ReadonlySet<string>;
  /** Job-role codes of the tenant's organisation chart (the engine's candidate groups). */
  jobRoles: ReadonlySet<string>;
  /** External-task topics that have a worker. */
  topics: ReadonlySet<string>;
  /** Task forms the inbox knows. */
  forms: ReadonlySet<string>;
}

interface Node {
  $type: string;
  id?: string;
  name?: string;
  candidateGroups?: string;
  topic?: string;
  type?: string;
  dueDate?: string;
  isExecutable?: boolean;
  historyTimeToLive?: string | number;
  extensionElements?: {
    values?: Array<{ $type: string; values?: Array<{ name?: string; value?: string }> }>;
  };
}

/** Element types that run code: never deployed from the designer. */
const CODE_TYPES: Record<string, string> = {
  'bpmn:ScriptTask': 'o sarcină script',
  'camunda:ExecutionListener': 'un ascultător de execuție (execution listener)',
  'camunda:TaskListener': 'un ascultător de sarcină (task listener)',
  'camunda:Script': 'un script',
  'camunda:Connector': 'un conector',
};
/** Attributes that name Java code, a script or a free expression to run. */
const CODE_ATTRIBUTES = [
  'class',
  'delegateExpression',
  'expression',
  'variableMappingClass',
  'variableMappingDelegateExpression',
  'resource',
  'scriptFormat',
  'language',
];

interface Reporter {
  report(id: string, message: string): void;
}

type RuleFactory = () => { check(node: Node, reporter: Reporter): void };

function properties(node: Node): Map<string, string> {
  const out = new Map<string, string>();
  for (const ext of node.extensionElements?.values ?? [])
    if (ext.$type === 'camunda:Properties')
      for (const p of ext.values ?? []) if (p.name) out.set(p.name, p.value ?? '');
  return out;
}

/**
 * The one expression a candidate group may be: the job role the routing table (complaint-routing.dmn, output
 * `verificationRole`) chose for the verification; the DMN lint checks each of its values against the org chart.
 */
export const ROUTED_ROLE = '${verificationRole}';

const userTaskRule =
  (check: (node: Node, reporter: Reporter) => void): RuleFactory =>
  () => ({
    check(node, reporter) {
      if (node.$type === 'bpmn:UserTask' && node.id) check(node, reporter);
    },
  });

export function createProjectRules(ctx: LintContext): Record<string, RuleFactory> {
  return {
    'user-task-instruction': userTaskRule((node, reporter) => {
      const id = properties(node).get('instructionId');
      if (!id)
        reporter.report(node.id!, 'Sarcina nu are instrucțiune de lucru (proprietatea instructionId).');
      else if (!ctx.instructionIds.has(id))
        reporter.report(node.id!, `Instrucțiunea de lucru „${id}” nu există.`);
    }),
    'user-task-candidate-group': userTaskRule((node, reporter) => {
      const groups = (node.candidateGroups ?? '')
        .split(',')
        .map((g) => g.trim())
        .filter(Boolean);
      if (groups.length === 0)
        reporter.report(node.id!, 'Sarcina nu are funcție responsabilă (grup candidat).');
      for (const g of groups)
        if (g !== ROUTED_ROLE && !ctx.jobRoles.has(g))
          reporter.report(node.id!, `Funcția „${g}” nu există în organigrama furnizorului.`);
    }),
    'user-task-form': userTaskRule((node, reporter) => {
      const form = properties(node).get('form');
      if (!form || !ctx.forms.has(form))
        reporter.report(
          node.id!,
          form ? `Formularul „${form}” nu este cunoscut.` : 'Sarcina nu are formular (proprietatea form).',
        );
    }),
    'user-task-due-date': userTaskRule((node, reporter) => {
      if (node.dueDate !== '${dueAt}')
        reporter.report(node.id!, 'Termenul sarcinii trebuie să fie termenul reclamației: ${dueAt}.');
    }),
    'external-task-topic': () => ({
      check(node, reporter) {
        if (!node.id) return;
        const external = node.type === 'external' || node.topic !== undefined;
        if (!external) return;
        if (!node.topic) reporter.report(node.id, 'Sarcina externă nu are subiect (topic).');
        else if (!ctx.topics.has(node.topic))
          reporter.report(node.id, `Nu există un worker pentru subiectul „${node.topic}”.`);
      },
    }),
    // Nothing a tenant deploys runs as code: no scripts, listeners, classes, and only the allowed expressions.
    'no-code': () => ({
      check(node, reporter) {
        const el = node as unknown as Record<string, unknown> & { $type: string; $parent?: unknown };
        let owner: { id?: string; $parent?: unknown } | undefined = el as { id?: string; $parent?: unknown };
        while (owner && !owner.id) owner = owner.$parent as { id?: string; $parent?: unknown } | undefined;
        const at = owner?.id ?? '';
        if (!at) return;
        const kind = CODE_TYPES[el.$type];
        if (kind) reporter.report(at, `Nu se poate publica ${kind}: procesele nu rulează cod.`);
        const strings: Array<[string, string]> = [];
        for (const [key, value] of Object.entries(el)) {
          if (key.startsWith('$')) continue;
          if (typeof value === 'string') strings.push([key, value]);
        }
        const attrs = (el.$attrs ?? {}) as Record<string, unknown>;
        for (const [key, value] of Object.entries(attrs))
          if (typeof value === 'string' && !key.startsWith('xmlns'))
            strings.push([key.slice(key.indexOf(':') + 1), value]);
        for (const [key, value] of strings) {
          if (CODE_ATTRIBUTES.includes(key)) {
            reporter.report(at, `Atributul „${key}” nu este permis: procesele nu rulează cod.`);
            continue;
          }
          for (const expr of expressionsIn(value)) {
            try {
              parseExpression(expr);
            } catch (err) {
              reporter.report(at, `Expresia „${expr}” nu este permisă: ${(err as Error).message}.`);
            }
          }
        }
      },
    }),
    'history-time-to-live': () => ({
      check(node, reporter) {
        if (node.$type !== 'bpmn:Process' || !node.id || node.isExecutable === false) return;
        if (node.historyTimeToLive === undefined || node.historyTimeToLive === '')
          reporter.report(node.id, 'Procesul nu are durata de păstrare a istoricului (historyTimeToLive).');
      },
    }),
  };
}
