/**
 * Reading and writing `camunda:property` entries (name/value pairs inside the element's extension elements), the
 * way our processes carry the work instruction (`instructionId`) and the task form (`form`). Writes go through
 * `modeling`, so they are undoable and mark the diagram as changed.
 */

interface ModdleElement {
  $type: string;
  $parent?: ModdleElement;
  get(name: string): unknown;
}

export interface ModelingServices {
  modeling: {
    updateModdleProperties(element: unknown, target: unknown, props: Record<string, unknown>): void;
  };
  bpmnFactory: { create(type: string, attrs?: Record<string, unknown>): ModdleElement };
}

function businessObject(element: { businessObject?: ModdleElement }): ModdleElement {
  return element.businessObject as ModdleElement;
}

function propertiesOf(bo: ModdleElement): ModdleElement | undefined {
  const ext = bo.get('extensionElements') as ModdleElement | undefined;
  const values = (ext?.get('values') as ModdleElement[] | undefined) ?? [];
  return values.find((v) => v.$type === 'camunda:Properties');
}

export function getCamundaProperty(element: { businessObject?: ModdleElement }, name: string): string {
  const props = propertiesOf(businessObject(element));
  const entry = ((props?.get('values') as ModdleElement[] | undefined) ?? []).find(
    (p) => p.get('name') === name,
  );
  return (entry?.get('value') as string | undefined) ?? '';
}

export function setCamundaProperty(
  element: { businessObject?: ModdleElement },
  name: string,
  value: string,
  { modeling, bpmnFactory }: ModelingServices,
): void {
  const bo = businessObject(element);
  let ext = bo.get('extensionElements') as ModdleElement | undefined;
  if (!ext) {
    ext = bpmnFactory.create('bpmn:ExtensionElements', { values: [] });
    ext.$parent = bo;
    modeling.updateModdleProperties(element, bo, { extensionElements: ext });
  }
  let props = propertiesOf(bo);
  if (!props) {
    props = bpmnFactory.create('camunda:Properties', { values: [] });
    props.$parent = ext;
    modeling.updateModdleProperties(element, ext, {
      values: [...(ext.get('values') as ModdleElement[]), props],
    });
  }
  const entries = props.get('values') as ModdleElement[];
  const existing = entries.find((p) => p.get('name') === name);
  if (existing) {
    modeling.updateModdleProperties(element, existing, { value });
    return;
  }
  const entry = bpmnFactory.create('camunda:Property', { name, value });
  entry.$parent = props;
  modeling.updateModdleProperties(element, props, { values: [...entries, entry] });
}
