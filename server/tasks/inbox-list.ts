import { appendAudit } from '../audit/index.ts';
import { type Principal } from '../auth/index.ts';
import { deadlineRisk } from '../codes/deadline-risk.ts';
import type { Db } from '../db/client.ts';
import { riskWindowOf } from '../deadlines/index.ts';
import { DomainError } from '../errors.ts';
import { gdprRequestsByNumbers } from '../privacy/index.ts';
import {
  COUNT_CAP,
  countInbox,
  listInbox,
  type InboxCursor,
  type InboxFilters,
  type InboxView,
  type ViewScope,
} from './inbox.repo.ts';

export interface InboxQuery extends InboxFilters {
  view: InboxView;
  after?: string | undefined;
  limit: number;
  order: 'asc' | 'desc';
}

function encodeCursor(c: InboxCursor): string {
  return Buffer.from(JSON.stringify([c.due, c.id])).toString('base64url');
}

function decodeCursor(s: string): InboxCursor {
  try {
    const [due, id] = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as [unknown, unknown];
    if (
      typeof due === 'string' &&
      typeof id === 'string' &&
      /^(infinity|\d{4}-\d{2}-\d{2}[ T][\d:.]+([+-]\d{2}(:?\d{2})?|Z)?)$/.test(due) &&
      /^[\w-]{1,64}$/.test(id)
    )
      return { due, id };
  } catch {
    // falls through
  }
  throw new DomainError('INBOX_CURSOR_INVALID');
}

export function canSeeAll(p: Principal) {
  return p.roles.includes('supervisor') || p.roles.includes('admin');
}

function scopeOf(p: Principal): ViewScope {
  return { tenantId: p.tenantId, userId: p.userId, jobRoles: p.jobRoles };
}

/**
 * The inbox list on the task read model (never the engine's task query): views, filters, counts, keyset pages
 * sorted by due moment, each page shown audited.
 */
export function createInboxList(deps: { db: Db }) {
  const { db } = deps;

  async function list(p: Principal, q: InboxQuery) {
    if (q.view === 'all' && !canSeeAll(p)) throw new DomainError('AUTH_FORBIDDEN');
    const scope = scopeOf(p);
    const filters: InboxFilters = {
      category: q.category,
      channel: q.channel,
      status: q.status,
      place: q.place,
      due: q.due,
      q: q.q,
      holder: q.holder,
    };
    const after = q.after ? decodeCursor(q.after) : undefined;
    const views: InboxView[] = canSeeAll(p) ? ['mine', 'groups', 'all'] : ['mine', 'groups'];
    const countsP = Promise.all(views.map((v) => countInbox(db, v, scope, filters)));
    countsP.catch(() => undefined); // awaited below; no unhandled rejection if the page query fails first
    // Today and the tenant's at-risk horizon, for each row's deadline badge.
    const windowP = riskWindowOf(db, p.tenantId);
    windowP.catch(() => undefined);
    const rows = await listInbox(db, q.view, scope, filters, { limit: q.limit + 1, after, order: q.order });
    // Customer names and places are personal data: every inbox page shown is logged (case numbers, no names),
    // written while the counts run.
    const auditP = appendAudit(db, {
      tenantId: p.tenantId,
      actorId: p.userId,
      actorKind: 'user',
      action: 'inbox.viewed',
      entityType: 'case',
      entityId: '*',
      details: {
        view: q.view,
        filters: Object.keys(filters).filter((k) => filters[k as keyof InboxFilters] !== undefined),
        cases: [
          ...new Set(
            rows
              .slice(0, q.limit)
              .map((r) => r.caseNumber)
              .filter(Boolean),
          ),
        ],
      },
    });
    // A GDPR request's task (process verify-gdpr) has no case: its row shows the request (number, right, due).
    const gdprP = gdprRequestsByNumbers(
      db,
      p.tenantId,
      rows.filter((r) => !r.caseId && r.caseNumber).map((r) => r.caseNumber!),
    );
    const [counts, , gdpr, window] = await Promise.all([countsP, auditP, gdprP, windowP]);
    const more = rows.length > q.limit;
    const page = more ? rows.slice(0, q.limit) : rows;
    const last = page[page.length - 1];
    return {
      items: page.map((r) => {
        const request = !r.caseId && r.caseNumber ? (gdpr.get(r.caseNumber) ?? null) : null;
        const due = request ? request.dueDate : r.caseDueDate;
        return {
          id: r.id,
          name: r.name,
          taskDefinitionKey: r.taskDefinitionKey,
          assignee: r.assignee,
          assigneeName: r.assigneeName,
          assignedToMe: r.assignee === p.userId,
          candidateGroups: r.candidateGroups,
          created: r.createdAt.toISOString(),
          due: r.dueAt ? new Date(r.dueAt).toISOString() : null,
          deadline: due ? deadlineRisk(due, window) : null,
          gdprRequest: request,
          case:
            r.caseNumber && !request
              ? {
                  number: r.caseNumber,
                  subject: r.subject ?? '',
                  category: r.category ?? '',
                  channel: r.channel ?? '',
                  status: r.caseStatus ?? '',
                  dueDate: r.caseDueDate ?? '',
                  contactName: r.customerName ?? '',
                  placeCode: r.placeCode,
                }
              : null,
        };
      }),
      nextCursor: more && last ? encodeCursor({ due: last.dueKey, id: last.id }) : null,
      counts: Object.fromEntries(views.map((v, i) => [v, counts[i] ?? 0])) as Partial<
        Record<InboxView, number>
      >,
      /** A count above this means "more than countCap". */
      countCap: COUNT_CAP,
      view: q.view,
      today: window.today,
    };
  }

  return { list };
}
