import type { CaseDetail } from '$lib/api/types';
import { activityTypeLabel } from '$lib/labels';
import { formatDateTime, isoOf } from '$lib/format';
import type { TimelineItem } from './Timeline.svelte';

/** The staff timeline: the case's own events and the process engine's activities, in one chronological list. */
export function caseTimeline(c: Pick<CaseDetail, 'events' | 'activities'>): TimelineItem[] {
  const items: TimelineItem[] = [
    ...c.events.map((e) => ({
      at: e.at,
      title: e.message,
      // Who made the change (staff pages only; the portal has its own timeline without staff names).
      detail: e.actorName ? `de ${e.actorName}` : undefined,
      tag: e.visibility === 'internal' ? 'Intern' : undefined,
      tone: e.visibility === 'internal' ? ('internal' as const) : ('default' as const),
    })),
    ...c.activities
      .filter((a) => a.type !== 'startEvent' && !a.type.toLowerCase().includes('endevent'))
      .map((a) => ({
        at: a.startTime,
        title: a.name ?? activityTypeLabel(a.type),
        tag: 'Proces',
        detail: a.endTime ? `încheiată ${formatDateTime(a.endTime)}` : 'în curs',
        tone: a.endTime ? ('process' as const) : ('current' as const),
      })),
  ];
  return items.sort((x, y) => Date.parse(isoOf(x.at)) - Date.parse(isoOf(y.at)));
}
