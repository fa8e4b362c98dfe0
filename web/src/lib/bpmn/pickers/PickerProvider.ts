import { h } from '@bpmn-io/properties-panel/preact';
import { isSelectEntryEdited, SelectEntry } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import type { DesignerCatalog } from '../api-types';
import { getCamundaProperty, setCamundaProperty, type ModelingServices } from '../camunda-properties';

/**
 * The "Reclamații" group of the properties panel (house style rule 13): pickers for a user task's work
 * instruction and job role, and for an external task's topic, filled from what exists (instructions/, the
 * tenant's organisation chart, the topics we have a worker for) instead of free text.
 */

interface BpmnElement {
  id: string;
  type: string;
  businessObject: { get(name: string): unknown; $type: string };
}

interface Group {
  id: string;
  label: string;
  entries: Array<{ id: string; element: BpmnElement; component: unknown; isEdited: unknown }>;
}

type Translate = (s: string) => string;

interface Option {
  value: string;
  label: string;
}

/** Keeps a value the catalogue does not know visible (so the select shows what the XML says). */
function withCurrent(options: Option[], current: string): Option[] {
  if (!current || options.some((o) => o.value === current)) return options;
  const why = current.includes(',') ? 'mai multe valori' : 'necunoscut';
  return [...options, { value: current, label: `${current} (${why})` }];
}

function InstructionPicker(props: { element: BpmnElement; id: string }) {
  const { element, id } = props;
  const modeling = useService<ModelingServices['modeling']>('modeling');
  const bpmnFactory = useService<ModelingServices['bpmnFactory']>('bpmnFactory');
  const catalog = useService<DesignerCatalog>('designerCatalog');
  const getValue = () => getCamundaProperty(element, 'instructionId');
  return h(SelectEntry, {
    element,
    id,
    label: 'Instrucțiune de lucru',
    description: 'Procedura pe care o urmează cine preia sarcina.',
    getValue,
    setValue: (value: string) =>
      setCamundaProperty(element, 'instructionId', value ?? '', { modeling, bpmnFactory }),
    getOptions: () =>
      withCurrent(
        [
          { value: '', label: '— alegeți —' },
          ...catalog.instructions.map((i) => ({ value: i.id, label: `${i.id} · ${i.title}` })),
        ],
        getValue(),
      ),
  });
}

function JobRolePicker(props: { element: BpmnElement; id: string }) {
  const { element, id } = props;
  const modeling = useService<{ updateProperties(el: unknown, p: Record<string, unknown>): void }>(
    'modeling',
  );
  const catalog = useService<DesignerCatalog>('designerCatalog');
  const getValue = () => (element.businessObject.get('camunda:candidateGroups') as string | undefined) ?? '';
  return h(SelectEntry, {
    element,
    id,
    label: 'Funcție responsabilă',
    description: 'Funcția din organigramă care primește sarcina (grup candidat).',
    getValue,
    setValue: (value: string) =>
      modeling.updateProperties(element, { 'camunda:candidateGroups': value || undefined }),
    getOptions: () =>
      withCurrent(
        [
          { value: '', label: '— alegeți —' },
          ...catalog.jobRoles.map((r) => ({ value: r.code, label: `${r.code} · ${r.name}` })),
        ],
        getValue(),
      ),
  });
}

function TopicPicker(props: { element: BpmnElement; id: string }) {
  const { element, id } = props;
  const modeling = useService<{ updateProperties(el: unknown, p: Record<string, unknown>): void }>(
    'modeling',
  );
  const catalog = useService<DesignerCatalog>('designerCatalog');
  const getValue = () => (element.businessObject.get('camunda:topic') as string | undefined) ?? '';
  return h(SelectEntry, {
    element,
    id,
    label: 'Subiect (worker)',
    description: 'Lucrarea automată care execută pasul.',
    getValue,
    setValue: (value: string) => modeling.updateProperties(element, { 'camunda:topic': value || undefined }),
    getOptions: () =>
      withCurrent(
        [{ value: '', label: '— alegeți —' }, ...catalog.topics.map((t) => ({ value: t, label: t }))],
        getValue(),
      ),
  });
}

export class PickerProvider {
  static $inject = ['propertiesPanel', 'translate'];

  constructor(
    propertiesPanel: { registerProvider(priority: number, provider: unknown): void },
    _translate: Translate,
  ) {
    propertiesPanel.registerProvider(500, this);
  }

  getGroups(element: BpmnElement) {
    return (groups: Group[]) => {
      const bo = element.businessObject;
      const entries: Group['entries'] = [];
      if (bo.$type === 'bpmn:UserTask') {
        entries.push(
          {
            id: 'reclamatii-instruction',
            element,
            component: InstructionPicker,
            isEdited: isSelectEntryEdited,
          },
          { id: 'reclamatii-job-role', element, component: JobRolePicker, isEdited: isSelectEntryEdited },
        );
      }
      if (bo.get('camunda:type') === 'external') {
        entries.push({
          id: 'reclamatii-topic',
          element,
          component: TopicPicker,
          isEdited: isSelectEntryEdited,
        });
      }
      if (entries.length) groups.splice(1, 0, { id: 'reclamatii', label: 'Reclamații', entries });
      return groups;
    };
  }
}
