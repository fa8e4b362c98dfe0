import { TOPICS } from '../../processes/topics.ts';
import { renderNotice } from '../mail/templates/notice.ts';
import { recordCaseVersions } from '../cases/case-versions.ts';
import { loadCaseContext, recordWorkerStep, sendCaseMailOnce } from './send-case-mail.ts';
import { defineWorker, requireString } from './worker.ts';

const REASONS: Record<string, { event: string; consumer: string }> = {
  duplicate: {
    event: 'Reclamația a fost conexată unei reclamații anterioare cu același conținut și se clasează.',
    consumer:
      'Reclamația dumneavoastră are același conținut cu o reclamație anterioară; primiți un singur răspuns, în dosarul inițial.',
  },
  misdirected: {
    event:
      'Reclamația nu este de competența furnizorului; a fost redirecționată, petentul a fost înștiințat.',
    consumer:
      'Aspectele sesizate nu sunt de competența noastră. Am transmis reclamația instituției competente, care vă va răspunde direct.',
  },
  anonymous: {
    event: 'Reclamație fără date de identificare: se clasează (OG nr. 27/2002, art. 7).',
    consumer: 'Reclamația nu conține datele de identificare necesare și se clasează.',
  },
};

/** Files a duplicate, misdirected or anonymous complaint (IL-08) and tells the petitioner when we can. */
export const fileCaseWorker = defineWorker({
  topic: TOPICS.fileCase,
  variables: ['caseId'],
  lockDurationMs: 60_000,
  async handler(task, deps) {
    const ctx = await loadCaseContext(deps, task.tenantId, requireString(task, 'caseId'));
    const reason = REASONS[ctx.c.filedReason ?? ''] ?? REASONS.duplicate!;
    const step = {
      action: 'case.filed',
      eventType: 'filed',
      message: reason.event,
      visibility: 'public' as const,
    };
    const update = { status: 'filed' as const, closedAt: new Date() };
    const recordVersions = async () => {
      if (deps.engine) await recordCaseVersions(deps.db, deps.engine, task.tenantId, ctx.c.id, ctx.c.number);
    };
    if (ctx.c.status === 'filed') {
      await recordVersions();
      return { kind: 'complete' };
    }
    if (ctx.c.contactEmail && ctx.c.filedReason !== 'anonymous') {
      const mail = await renderNotice({
        supplier: ctx.tenant.name,
        subject: `Reclamația nr. ${ctx.c.number}: clasare`,
        paragraphs: [reason.consumer, `Număr de înregistrare: ${ctx.c.number}.`],
      });
      await sendCaseMailOnce(deps, ctx, 'filed', mail, (tx) =>
        recordWorkerStep(tx, ctx, step, update, { reason: ctx.c.filedReason }),
      );
    } else {
      await deps.db.transaction((tx) =>
        recordWorkerStep(tx, ctx, step, update, { reason: ctx.c.filedReason }),
      );
    }
    await recordVersions();
    return { kind: 'complete' };
  },
});
