import type { DesignerCatalog } from './api-types';

/**
 * The BPMN modeler with the Camunda 7 properties panel (camunda-bpmn-moddle, the Camunda 7 provider and its
 * behaviors) and our pickers. Loaded with dynamic imports: bpmn-js needs the DOM, so this runs in the browser
 * only (from a component's onMount).
 */
export async function createBpmnModeler(opts: {
  container: HTMLElement;
  propertiesParent: HTMLElement;
  catalog: DesignerCatalog;
}) {
  const [
    { default: Modeler },
    { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, CamundaPlatformPropertiesProviderModule },
    { default: CamundaBehaviors },
    { default: camunda },
    { createPickerModule },
    { TranslateRoModule },
  ] = await Promise.all([
    import('bpmn-js/lib/Modeler'),
    import('bpmn-js-properties-panel'),
    import('camunda-bpmn-js-behaviors/lib/camunda-platform'),
    import('camunda-bpmn-moddle/resources/camunda.json'),
    import('./pickers/index'),
    import('./translate-ro'),
  ]);
  return new Modeler({
    container: opts.container,
    propertiesPanel: { parent: opts.propertiesParent },
    additionalModules: [
      BpmnPropertiesPanelModule,
      BpmnPropertiesProviderModule,
      CamundaPlatformPropertiesProviderModule,
      CamundaBehaviors,
      createPickerModule(opts.catalog),
      TranslateRoModule,
    ],
    moddleExtensions: { camunda },
  } as ConstructorParameters<typeof Modeler>[0]);
}

/** A read-only viewer (for the differences between two versions). */
/**
 * Fits the whole diagram, but not smaller than readable: a long process is shown from its start at 60 %, beside the palette.
 */
export interface FitCanvas {
  zoom(v?: string | number): number;
  viewbox(v?: { x: number; y: number; width: number; height: number }): {
    width: number;
    height: number;
    inner: { x: number; y: number };
  };
}

export function fitReadable(canvas: FitCanvas) {
  canvas.zoom('fit-viewport');
  if (canvas.zoom() >= 0.6) return;
  canvas.zoom(0.6);
  const vb = canvas.viewbox();
  // Leave room for the palette on the left.
  canvas.viewbox({ x: vb.inner.x - 200, y: vb.inner.y - 40, width: vb.width, height: vb.height });
}

export async function createBpmnViewer(container: HTMLElement) {
  const [{ default: Viewer }, { default: camunda }] = await Promise.all([
    import('bpmn-js/lib/NavigatedViewer'),
    import('camunda-bpmn-moddle/resources/camunda.json'),
  ]);
  return new Viewer({ container, moddleExtensions: { camunda } });
}

/** The message of an importXML failure, for the Romanian error state. */
export function importErrorMessage(err: unknown): string {
  const detail = err instanceof Error ? err.message.split('\n')[0] : '';
  return `Diagrama nu a putut fi deschisă: fișierul nu este un BPMN valid${detail ? ` (detaliu tehnic: ${detail})` : ''}.`;
}
