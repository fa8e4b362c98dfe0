// The bpmn-io packages below ship no TypeScript types; what the designer uses of them, typed loosely here.
declare module 'bpmn-js-properties-panel' {
  export const BpmnPropertiesPanelModule: unknown;
  export const BpmnPropertiesProviderModule: unknown;
  export const CamundaPlatformPropertiesProviderModule: unknown;
  export function useService<T = unknown>(name: string): T;
}
declare module '@bpmn-io/properties-panel' {
  export function SelectEntry(props: Record<string, unknown>): unknown;
  export function isSelectEntryEdited(node: unknown): boolean;
}
declare module '@bpmn-io/properties-panel/preact' {
  export function h(type: unknown, props: Record<string, unknown> | null, ...children: unknown[]): unknown;
}
declare module 'camunda-bpmn-js-behaviors/lib/camunda-platform' {
  const module: unknown;
  export default module;
}
declare module 'camunda-bpmn-moddle/resources/camunda.json' {
  const descriptor: Record<string, unknown>;
  export default descriptor;
}
declare module 'dmn-js/lib/Modeler' {
  export default class DmnModeler {
    constructor(opts: { container: HTMLElement } & Record<string, unknown>);
    importXML(xml: string): Promise<{ warnings: unknown[] }>;
    saveXML(opts?: { format?: boolean }): Promise<{ xml: string }>;
    getActiveViewer(): { get<T = unknown>(name: string): T } | undefined;
    getViews(): Array<{ type: string; element: { id: string; name?: string } }>;
    open(view: unknown): Promise<unknown>;
    on(event: string, cb: (...args: unknown[]) => void): void;
    destroy(): void;
  }
}
