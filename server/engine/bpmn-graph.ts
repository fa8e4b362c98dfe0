import { BpmnModdle } from 'bpmn-moddle';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };

/** A flow node of a process, as far as "what remains on the path" needs it. */
export interface GraphNode {
  id: string;
  type: string;
  name: string;
  /** User tasks: their work instruction and candidate groups. */
  instructionId: string | null;
  candidateGroups: string[];
  /** Call activities: the called process key, or an expression such as `${verificationProcess}`. */
  calledElement: string | null;
}

export interface ProcessGraph {
  processId: string;
  nodes: Map<string, GraphNode>;
  outgoing: Map<string, string[]>;
  startIds: string[];
}

interface El {
  $type: string;
  id: string;
  name?: string;
  candidateGroups?: string;
  calledElement?: string;
  triggeredByEvent?: boolean;
  sourceRef?: { id: string };
  targetRef?: { id: string };
  flowElements?: El[];
  rootElements?: El[];
  extensionElements?: { values?: Array<{ $type: string; values?: Array<{ name: string; value: string }> }> };
}

const moddle = new BpmnModdle({ camunda: camundaModdle });

/** The sequence-flow graph of each process in a BPMN file (event sub-processes and boundary paths left out). */
export async function parseProcessGraphs(xml: string): Promise<ProcessGraph[]> {
  const { rootElement } = (await moddle.fromXML(xml)) as unknown as { rootElement: El };
  const out: ProcessGraph[] = [];
  for (const root of rootElement.rootElements ?? []) {
    if (root.$type !== 'bpmn:Process') continue;
    const nodes = new Map<string, GraphNode>();
    const outgoing = new Map<string, string[]>();
    const startIds: string[] = [];
    // An embedded sub-process (e.g. the parallel verifications) is entered through its own start events.
    const walk = (elements: El[] | undefined, starts: string[]) => {
      for (const el of elements ?? []) {
        if (el.$type === 'bpmn:SequenceFlow') {
          const from = el.sourceRef?.id;
          const to = el.targetRef?.id;
          if (from && to) outgoing.set(from, [...(outgoing.get(from) ?? []), to]);
          continue;
        }
        if (el.$type === 'bpmn:SubProcess' && el.triggeredByEvent) continue;
        if (el.$type === 'bpmn:BoundaryEvent') continue;
        const props = new Map<string, string>();
        for (const ext of el.extensionElements?.values ?? [])
          if (ext.$type === 'camunda:Properties')
            for (const p of ext.values ?? []) props.set(p.name, p.value);
        nodes.set(el.id, {
          id: el.id,
          type: el.$type.replace('bpmn:', ''),
          name: el.name ?? el.id,
          instructionId: props.get('instructionId') ?? null,
          candidateGroups: (el.candidateGroups ?? '')
            .split(',')
            .map((g) => g.trim())
            .filter(Boolean),
          calledElement: el.calledElement ?? null,
        });
        if (el.$type === 'bpmn:StartEvent') starts.push(el.id);
        if (el.$type === 'bpmn:SubProcess') {
          const inner: string[] = [];
          walk(el.flowElements, inner);
          outgoing.set(el.id, [...inner, ...(outgoing.get(el.id) ?? [])]);
        }
      }
    };
    walk(root.flowElements, startIds);
    out.push({ processId: root.id, nodes, outgoing, startIds });
  }
  return out;
}

/**
 * The user tasks reachable from `from` (excluded) along sequence flows, every branch included, entering call
 * activities through `graphOf` (which resolves a called key or expression, or gives undefined). Ordered by first
 * reach (breadth first): what may still have to be done.
 */
export function remainingUserTasks(
  graph: ProcessGraph,
  from: string[],
  graphOf: (processKey: string) => ProcessGraph | undefined,
  seenProcesses = new Set<string>(),
): GraphNode[] {
  const out: GraphNode[] = [];
  const seen = new Set<string>(from);
  const queue = from.flatMap((id) => graph.outgoing.get(id) ?? []);
  while (queue.length) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const node = graph.nodes.get(id);
    if (!node) continue;
    if (node.type === 'UserTask') out.push(node);
    if (node.type === 'CallActivity') {
      const called = node.calledElement ? graphOf(node.calledElement) : undefined;
      if (called && !seenProcesses.has(called.processId)) {
        seenProcesses.add(called.processId);
        out.push(...remainingUserTasks(called, called.startIds, graphOf, seenProcesses));
      }
    }
    queue.push(...(graph.outgoing.get(id) ?? []));
  }
  return out;
}
