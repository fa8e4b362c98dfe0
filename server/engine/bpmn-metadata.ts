import { BpmnModdle } from 'bpmn-moddle';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };

/** What the app needs to know about each user task of a process: its work instruction, role and form. */
export interface UserTaskMeta {
  id: string;
  name: string;
  candidateGroups: string[];
  instructionId: string | null;
  form: string | null;
  /** Every camunda:property of the task (e.g. `branches` of a verification form). */
  properties: Record<string, string>;
}

export interface ProcessMeta {
  processId: string;
  name: string;
  userTasks: Map<string, UserTaskMeta>;
  topics: string[];
}

interface ModdleElement {
  $type: string;
  id: string;
  name?: string;
  candidateGroups?: string;
  topic?: string;
  flowElements?: ModdleElement[];
  rootElements?: ModdleElement[];
  extensionElements?: { values?: Array<{ $type: string; values?: Array<{ name: string; value: string }> }> };
}

const moddle = new BpmnModdle({ camunda: camundaModdle });

export async function parseBpmn(xml: string): Promise<ProcessMeta[]> {
  const { rootElement } = (await moddle.fromXML(xml)) as unknown as { rootElement: ModdleElement };
  const out: ProcessMeta[] = [];
  for (const root of rootElement.rootElements ?? []) {
    if (root.$type !== 'bpmn:Process') continue;
    const userTasks = new Map<string, UserTaskMeta>();
    const topics: string[] = [];
    const visit = (elements: ModdleElement[] | undefined) => {
      for (const el of elements ?? []) {
        if (el.$type === 'bpmn:UserTask') {
          const props = new Map<string, string>();
          for (const ext of el.extensionElements?.values ?? []) {
            if (ext.$type === 'camunda:Properties')
              for (const p of ext.values ?? []) props.set(p.name, p.value);
          }
          userTasks.set(el.id, {
            id: el.id,
            name: el.name ?? el.id,
            candidateGroups: (el.candidateGroups ?? '')
              .split(',')
              .map((g) => g.trim())
              .filter(Boolean),
            instructionId: props.get('instructionId') ?? null,
            form: props.get('form') ?? null,
            properties: Object.fromEntries(props),
          });
        }
        if (el.topic) topics.push(el.topic);
        if (el.flowElements) visit(el.flowElements);
      }
    };
    visit(root.flowElements);
    out.push({ processId: root.id, name: root.name ?? root.id, userTasks, topics });
  }
  return out;
}
