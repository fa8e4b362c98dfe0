import { auditOf } from '../audit/index.ts';
import { type Principal } from '../auth/index.ts';
import { listCaseEvents } from '../cases/index.ts';
import type { Db } from '../db/client.ts';
import type { EngineClient } from '../engine/client.ts';
import { tasksOfCase } from './inbox.repo.ts';

/** A case's history as a task page shows it, from the engine, the read model, the case's events and the audit. */
export function createCaseTimeline(deps: { db: Db; engine: EngineClient }) {
  const { db, engine } = deps;

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

  return { timeline };
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
