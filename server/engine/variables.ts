/** Process variables as our code writes them, and their typed form in the REST API. */
export type VariableValue = string | number | boolean | null | Date;
export type Variables = Record<string, VariableValue>;

export interface TypedValue {
  value: unknown;
  type: string;
  valueInfo?: Record<string, unknown>;
}

export function toTypedVariables(vars: Variables): Record<string, TypedValue> {
  const out: Record<string, TypedValue> = {};
  for (const [name, v] of Object.entries(vars)) {
    if (v === null) out[name] = { value: null, type: 'Null' };
    else if (typeof v === 'boolean') out[name] = { value: v, type: 'Boolean' };
    else if (typeof v === 'number')
      out[name] = Number.isInteger(v) ? { value: v, type: 'Long' } : { value: v, type: 'Double' };
    else if (v instanceof Date) out[name] = { value: v.toISOString().replace('Z', '+0000'), type: 'Date' };
    else out[name] = { value: v, type: 'String' };
  }
  return out;
}
