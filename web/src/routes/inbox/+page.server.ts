import type { InboxScope, TaskList } from '$lib/api/types';
import { apiLoad } from '$lib/server/api';
import { hasRole } from '$lib/roles';
import type { PageServerLoad } from './$types';

const SCOPES: InboxScope[] = ['mine', 'groups', 'all'];

/** The officer's inbox: `?scope=` picks the tab (filters live in the URL), `?page=` the page. */
export const load = (async (event) => {
  const { user } = await event.parent();
  const canSeeAll = hasRole(user, 'supervisor');
  const asked = event.url.searchParams.get('scope') as InboxScope | null;
  const scope: InboxScope =
    asked && SCOPES.includes(asked) && (asked !== 'all' || canSeeAll) ? asked : 'groups';
  const page = Math.max(1, Number.parseInt(event.url.searchParams.get('page') ?? '1', 10) || 1);

  const tasks = await apiLoad<TaskList>(event, `/api/tasks?scope=${scope}&page=${page}&pageSize=25`);
  return {
    scope,
    canSeeAll,
    tasks,
    done: event.url.searchParams.get('done') === '1',
    released: event.url.searchParams.get('released') === '1',
    meta: { title: 'Inbox' },
  };
}) satisfies PageServerLoad;
