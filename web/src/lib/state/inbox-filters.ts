import type { GetApiTasksData } from '$lib/api/generated';
import type { DueFilter, InboxScope } from '$lib/api/types';
import { caseStatuses, channels, complaintCategories } from '$codes/case-codes';

type TaskQuery = GetApiTasksData['query'];

/**
 * The inbox's filters as they live in the URL (and in saved filters): one place that reads and writes them. The
 * values are those GET /api/tasks takes (its generated query type).
 */
export interface InboxFilterValues {
  view: InboxScope;
  category?: TaskQuery['category'];
  channel?: TaskQuery['channel'];
  status?: TaskQuery['status'];
  place?: string;
  due?: DueFilter;
  holder?: TaskQuery['holder'];
  q?: string;
  order?: TaskQuery['order'];
}

/** `value` when it is one of `list`, else undefined. */
function oneOf<T extends string>(list: readonly T[], value: string): T | undefined {
  return (list as readonly string[]).includes(value) ? (value as T) : undefined;
}

export const FILTER_KEYS = ['category', 'channel', 'status', 'place', 'due', 'holder', 'q', 'order'] as const;

const VIEWS: InboxScope[] = ['mine', 'groups', 'all'];
const DUES: DueFilter[] = ['overdue', 'today', 'week'];

/** Reads the filters from URL search parameters; unknown values are dropped (the API would refuse them). */
export function readFilters(params: URLSearchParams, canSeeAll: boolean): InboxFilterValues {
  const asked = (params.get('view') ?? params.get('scope')) as InboxScope | null;
  const view: InboxScope =
    asked && VIEWS.includes(asked) && (asked !== 'all' || canSeeAll) ? asked : 'groups';
  const f: InboxFilterValues = { view };
  const text = (k: string) => params.get(k)?.trim() ?? '';
  const category = oneOf(complaintCategories, text('category'));
  if (category) f.category = category;
  const channel = oneOf(channels, text('channel'));
  if (channel) f.channel = channel;
  const status = oneOf(caseStatuses, text('status'));
  if (status) f.status = status;
  if (/^[A-Za-z0-9]{2,40}$/.test(text('place'))) f.place = text('place').toUpperCase();
  if (DUES.includes(text('due') as DueFilter)) f.due = text('due') as DueFilter;
  if (text('holder') === 'unassigned' || text('holder') === 'assigned')
    f.holder = text('holder') as 'unassigned' | 'assigned';
  if (text('q').length >= 2) f.q = text('q').slice(0, 100);
  if (text('order') === 'desc') f.order = 'desc';
  return f;
}

/** The filters (without the view) as plain key/values, e.g. for saving them. */
export function filterEntries(f: InboxFilterValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of FILTER_KEYS) {
    const v = f[k];
    if (v) out[k] = v;
  }
  return out;
}

/** GET /api/tasks's query for one page of the view with these filters. */
export function tasksQuery(f: InboxFilterValues, page: { limit: number; after?: string }): TaskQuery {
  const { view, ...filters } = f;
  return { view, ...filters, ...page };
}

/** A URL query for the inbox: the view, the filters and optionally a page cursor. */
export function inboxQuery(f: InboxFilterValues, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams({ view: f.view, ...filterEntries(f), ...extra });
  return p.toString();
}

export function hasFilters(f: InboxFilterValues): boolean {
  return Object.keys(filterEntries(f)).some((k) => k !== 'order');
}
