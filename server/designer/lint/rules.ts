import type { AllowListContext } from './allow-list.ts';

/**
 * Our own bpmnlint rules: what a process must hold to so that the app can run it. Each is a rule factory in
 * bpmnlint's shape (`() => ({ check(node, reporter) })`), made per lint run with the tenant's facts.
 */

export interface LintContext extends AllowListContext {
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
    'history-time-to-live': () => ({
      check(node, reporter) {
        if (node.$type !== 'bpmn:Process' || !node.id || node.isExecutable === false) return;
        if (node.historyTimeToLive === undefined || node.historyTimeToLive === '')
          reporter.report(node.id, 'Procesul nu are durata de păstrare a istoricului (historyTimeToLive).');
      },
    }),
  };
}
