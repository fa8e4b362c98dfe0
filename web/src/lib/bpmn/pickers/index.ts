import type { DesignerCatalog } from '../api-types';
import { PickerProvider } from './PickerProvider';

/** A didi module: the pickers' provider plus the catalogue they offer (one per modeler). */
export function createPickerModule(catalog: DesignerCatalog) {
  return {
    __init__: ['reclamatiiPickerProvider'],
    reclamatiiPickerProvider: ['type', PickerProvider],
    designerCatalog: ['value', catalog],
  };
}
