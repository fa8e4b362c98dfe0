// bpmn-js-differ ships no types; the one function we call, typed here.
declare module 'bpmn-js-differ' {
  interface ChangedElement {
    model: { $type: string; id: string; name?: string };
    attrs: Record<string, { oldValue: unknown; newValue: unknown }>;
  }
  export function diff(
    oldDefinitions: unknown,
    newDefinitions: unknown,
  ): {
    _added: Record<string, { $type: string; id: string; name?: string }>;
    _removed: Record<string, { $type: string; id: string; name?: string }>;
    _changed: Record<string, ChangedElement>;
    _layoutChanged: Record<string, { $type: string; id: string; name?: string }>;
  };
}
