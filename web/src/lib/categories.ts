import { CATEGORY_LABELS } from '$codes/case-codes';
import type { ComplaintCategory } from './api/types';

/** Romanian labels of the complaint categories: the server's own list (the order is the call-center select's). */
export { CATEGORY_LABELS };

export function isCategory(value: unknown): value is ComplaintCategory {
  return typeof value === 'string' && Object.hasOwn(CATEGORY_LABELS, value);
}

/** The label of a category code; unknown codes are shown as they are. */
export function categoryLabel(code: string): string {
  return isCategory(code) ? CATEGORY_LABELS[code] : code;
}
