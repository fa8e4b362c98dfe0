import { appendAudit, auditOf, logCaseAccess } from '../audit/index.ts';
import type { Principal } from '../auth/auth.service.ts';
import { listCaseEvents } from '../cases/cases.repo.ts';
import { listInboundOfCase } from '../intake/mail/inbound.repo.ts';
import { and, eq } from 'drizzle-orm';
import { mailBlobs } from '../db/schema/index.ts';
import type { Db } from '../db/client.ts';
import type { EngineClient } from '../engine/client.ts';
import { DomainError } from '../errors.ts';
import { setTaskAssignee } from '../task-read-model/task-events.repo.ts';
import {
  addComment,
  COUNT_CAP,
  countInbox,
  deleteSavedFilter,
  holdersOfRoles,
  listComments,
  listInbox,
  listSavedFilters,
  saveFilter,
  tasksOfCase,
  type InboxCursor,
  type InboxFilters,
  type InboxView,
  type ViewScope,
} from './inbox.repo.ts';
import { gdprRequestsByNumbers } from '../privacy/dsr-tasks.ts';

export interface InboxQuery extends InboxFilters {
  view: InboxView;
  after?: string | undefined;
  limit: number;
  order: 'asc' | 'desc';
}

/** The deadline badge: late once the case's legal due date has passed, at risk in its last 3 days. */
export function deadlineState(
  caseDueDate: string | null,
  today: string,
): 'on_time' | 'at_risk' | 'late' | null {
  if (!caseDueDate) return null;
  const days = (Date.parse(caseDueDate) - Date.parse(today)) / 86_400_000;
  if (days < 0) return 'late';
  if (days <= 3) return 'at_risk';
  return 'on_time';
}

function todayInBucharest(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Bucharest' }).format(new Date());
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
 * The officer's inbox on the task read model (never the engine's task query): views, filters, counts, keyset
 * pages sorted by due moment; saved filters; comments and the case timeline of a task.
 */
export function createInboxService(deps: { db: Db; engine: EngineClient }) {
  const { db, engine } = deps;

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
    const [counts, , gdpr] = await Promise.all([countsP, auditP, gdprP]);
    const more = rows.length > q.limit;
    const page = more ? rows.slice(0, q.limit) : rows;
    const last = page[page.length - 1];
    const today = todayInBucharest();
    return {
      items: page.map((r) => {
        const request = !r.caseId && r.caseNumber ? (gdpr.get(r.caseNumber) ?? null) : null;
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
          deadline: deadlineState(request ? request.dueDate : r.caseDueDate, today),
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
      today,
    };
  }

  async function savedFilters(p: Principal) {
    return listSavedFilters(db, p.tenantId, p.userId);
  }

  async function saveSavedFilter(p: Principal, name: string, filters: Record<string, string>) {
    const trimmed = name.trim();
    if (trimmed.length < 2) throw new DomainError('INBOX_FILTER_NAME_INVALID');
    return saveFilter(db, { tenantId: p.tenantId, userId: p.userId, name: trimmed, filters });
  }

  async function removeSavedFilter(p: Principal, id: string) {
    if (!(await deleteSavedFilter(db, p.tenantId, p.userId, id)))
      throw new DomainError('INBOX_FILTER_NOT_FOUND');
  }

  /** Users holding one of the task's roles, to whom it may be delegated. */
  async function delegates(p: Principal, groups: string[]) {
    return (await holdersOfRoles(db, p.tenantId, groups)).filter((u) => u.id !== p.userId);
  }

  /** Hands the task to a colleague holding one of its roles: the engine first, then the read model at once. */
  async function delegate(
    p: Principal,
    task: { id: string; assignee: string | null; taskDefinitionKey: string },
    groups: string[],
    caseId: string | null,
    toUserId: string,
  ) {
    if (task.assignee !== p.userId && !canSeeAll(p)) throw new DomainError('TASK_NOT_ASSIGNED_TO_YOU');
    const holders = await holdersOfRoles(db, p.tenantId, groups);
    const target = holders.find((h) => h.id === toUserId);
    if (!target) throw new DomainError('TASK_DELEGATE_NOT_ELIGIBLE');
    await engine.setAssignee(task.id, toUserId);
    await db.transaction(async (tx) => {
      await setTaskAssignee(tx, p.tenantId, task.id, toUserId);
      await appendAudit(tx, {
        tenantId: p.tenantId,
        actorId: p.userId,
        actorKind: 'user',
        action: 'task.delegated',
        entityType: 'case',
        entityId: caseId ?? task.id,
        details: { taskId: task.id, task: task.taskDefinitionKey, from: task.assignee, to: toUserId },
      });
    });
    return { id: task.id, assignee: toUserId, assigneeName: target.name };
  }

  async function comments(p: Principal, caseId: string) {
    const rows = await listComments(db, p.tenantId, caseId);
    return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
  }

  async function comment(p: Principal, caseId: string, taskId: string, body: string) {
    const text = body.trim();
    if (text.length < 2) throw new DomainError('COMMENT_INVALID');
    return db.transaction(async (tx) => {
      const row = await addComment(tx, {
        tenantId: p.tenantId,
        caseId,
        taskId,
        authorId: p.userId,
        body: text,
      });
      await appendAudit(tx, {
        tenantId: p.tenantId,
        actorId: p.userId,
        actorKind: 'user',
        action: 'case.commented',
        entityType: 'case',
        entityId: caseId,
        details: { taskId, commentId: row.id },
      });
      return { id: row.id, body: text, taskId, authorName: p.name, createdAt: row.createdAt.toISOString() };
    });
  }

  /**
   * The case timeline: what the engine did (activities of the main instance, user tasks of every instance from
   * the read model), what the case recorded (events) and who did what (audit), oldest first.
   */
  async function timeline(p: Principal, c: { id: string; processInstanceId: string | null }) {
    const [history, userTasks, events, audit] = await Promise.all([
      c.processInstanceId ? engine.activityHistory(c.processInstanceId).catch(() => []) : Promise.resolve([]),
      tasksOfCase(db, p.tenantId, c.id),
      listCaseEvents(db, p.tenantId, c.id),
      auditOf(db, p.tenantId, 'case', c.id),
    ]);
    type Entry = { at: string; source: 'engine' | 'task' | 'case' | 'audit'; text: string };
    const out: Entry[] = [];
    const SHOWN = new Set([
      'startEvent',
      'endEvent',
      'serviceTask',
      'callActivity',
      'intermediateTimer',
      'boundaryTimer',
      'intermediateMessageCatch',
      'receiveTask',
    ]);
    for (const a of history) {
      if (!SHOWN.has(a.activityType) || !a.activityName) continue;
      out.push({
        at: a.startTime,
        source: 'engine',
        text: `${a.activityName}${a.endTime ? '' : ' (în curs)'}`,
      });
    }
    for (const t of userTasks) {
      out.push({
        at: t.createdAt.toISOString(),
        source: 'task',
        text: `Sarcină creată: ${t.name}`,
      });
      if (t.endedAt)
        out.push({
          at: t.endedAt.toISOString(),
          source: 'task',
          text: `${t.state === 'completed' ? 'Sarcină finalizată' : 'Sarcină anulată'}: ${t.name}${t.assigneeName ? ` (${t.assigneeName})` : ''}`,
        });
    }
    for (const e of events) out.push({ at: e.at.toISOString(), source: 'case', text: e.message });
    const reads = new Set<Entry>();
    for (const a of audit) {
      const entry: Entry = {
        at: a.at.toISOString(),
        source: 'audit',
        text: AUDIT_TEXT[a.action] ?? a.action,
      };
      if (a.actorKind === 'user' && a.action.endsWith('viewed')) reads.add(entry);
      out.push(entry);
    }
    out.sort((x, y) => x.at.localeCompare(y.at));
    // Every look at the case is audited (personal data), so reads outnumber everything else: a run of reads with
    // nothing in between is shown as one line with its count (the audit log itself keeps each of them).
    const folded: Entry[] = [];
    let run = 0;
    for (const e of out) {
      if (reads.has(e)) {
        run += 1;
        if (run === 1) folded.push(e);
        else
          folded[folded.length - 1] = {
            ...e,
            at: folded[folded.length - 1]!.at,
            text: `Dosar consultat de personal (${run} consultări)`,
          };
      } else {
        run = 0;
        folded.push(e);
      }
    }
    return folded;
  }

  /** What came in for the case by e-mail (the complaint and replies) with attachments; the view is audited. */
  async function received(p: Principal, caseId: string, taskId: string) {
    const messages = await listInboundOfCase(db, p.tenantId, caseId);
    await appendAudit(db, {
      tenantId: p.tenantId,
      actorId: p.userId,
      actorKind: 'user',
      action: 'case.received_viewed',
      entityType: 'case',
      entityId: caseId,
      details: { taskId },
    });
    // The access log names each message read, and the task that led there (one insert for all of them).
    await logCaseAccess(db, {
      tenantId: p.tenantId,
      actorId: p.userId,
      subjectType: 'message',
      subjectIds: messages.map((m) => m.id),
      caseId,
      via: `task:${taskId}`,
    });
    return messages.map((m) => ({
      id: m.id,
      arrivedAt: m.arrivedAt.toISOString(),
      fromName: m.fromName,
      fromAddress: m.fromAddress,
      subject: m.subject,
      text: m.textBody,
      kind: m.kind,
      attachments: m.attachments.map((a) => ({
        id: a.id,
        filename: a.filename ?? `atasament-${a.id}`,
        contentType: a.contentType,
        size: a.size,
      })),
    }));
  }

  /** One attachment's bytes, only from this case of this tenant; every download is audited. */
  async function attachment(p: Principal, caseId: string, taskId: string, attachmentId: number) {
    const inbound = await listInboundOfCase(db, p.tenantId, caseId);
    const message = inbound.find((m) => m.attachments.some((a) => a.id === attachmentId));
    const att = message?.attachments.find((a) => a.id === attachmentId);
    if (!message || !att) throw new DomainError('NOT_FOUND');
    const [blob] = await db
      .select({ content: mailBlobs.content })
      .from(mailBlobs)
      .where(and(eq(mailBlobs.tenantId, p.tenantId), eq(mailBlobs.sha256, att.sha256)));
    if (!blob) throw new DomainError('NOT_FOUND');
    await appendAudit(db, {
      tenantId: p.tenantId,
      actorId: p.userId,
      actorKind: 'user',
      action: 'case.attachment_downloaded',
      entityType: 'case',
      entityId: caseId,
      details: { taskId, attachmentId },
    });
    await logCaseAccess(db, {
      tenantId: p.tenantId,
      actorId: p.userId,
      subjectType: 'message',
      subjectIds: [message.id],
      caseId,
      via: `task:${taskId}`,
    });
    return {
      filename: att.filename ?? `atasament-${att.id}`,
      contentType: att.contentType,
      content: blob.content,
    };
  }

  return {
    list,
    received,
    attachment,
    savedFilters,
    saveSavedFilter,
    removeSavedFilter,
    delegates,
    delegate,
    comments,
    comment,
    timeline,
  };
}

const AUDIT_TEXT: Record<string, string> = {
  'case.registered': 'Înregistrată',
  'case.process_started': 'Procesul a pornit',
  'case.acknowledgement_sent': 'Confirmarea înregistrării trimisă',
  'case.acknowledgement_postal': 'Confirmarea înregistrării pusă la poștă',
  'case.answer_sent': 'Răspuns trimis',
  'case.answer_postal': 'Răspuns pus la poștă',
  'case.answer_contested': 'Răspuns contestat',
  'case.annulled': 'Înregistrare anulată',
  'case.closed': 'Reclamație închisă',
  'case.filed': 'Reclamație clasată',
  'case.compensation_computed': 'Compensație calculată',
  'case.consumer_identified': 'Client identificat',
  'case.deadline_breached': 'Termen depășit',
  'case.deadline_extended': 'Termen prelungit',
  'case.deadline_warning': 'Avertizare de termen',
  'case.email_bounced': 'E-mail returnat',
  'case.extension_refused': 'Prelungire refuzată',
  'case.identification_viewed': 'Candidați de identificare consultați',
  'case.information_added': 'Informații adăugate de client',
  'case.further_message_registered': 'Mesaj ulterior înregistrat ca reclamație nouă, legată',
  'case.operator_request_sent': 'Cerere trimisă către OD',
  'case.resolved_during_call': 'Rezolvată în timpul apelului',
  'case.status_viewed': 'Stare consultată de client',
  'document.downloaded': 'Document descărcat',
  'task.reassigned': 'Sarcină realocată',
  'case.viewed': 'Dosar consultat',
  'case.commented': 'Comentariu adăugat',
  'case.timeline_viewed': 'Istoric consultat',
  'case.received_viewed': 'Mesaje primite consultate',
  'case.attachment_downloaded': 'Atașament descărcat',
  'task.claimed': 'Sarcină preluată',
  'task.unclaimed': 'Sarcină eliberată',
  'task.delegated': 'Sarcină delegată',
  'task.completed': 'Sarcină finalizată',
  'task.step_done': 'Pas din instrucțiune bifat',
  'task.step_undone': 'Pas din instrucțiune debifat',
};

export type InboxService = ReturnType<typeof createInboxService>;
