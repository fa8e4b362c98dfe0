import { TOPICS } from '../../processes/topics.ts';
import { businessClock, dueDate, endOfBusinessDay, nonWorkingDaysOf } from '../deadlines/index.ts';
import { defineWorker } from './worker.ts';

/** Opens a quarterly review: its tasks (reporting, root causes, archiving) are due 15 working days later. */
export const openReviewPeriodWorker = defineWorker({
  topic: TOPICS.openReviewPeriod,
  variables: [],
  lockDurationMs: 30_000,
  async handler(task, deps) {
    const extra = await nonWorkingDaysOf(deps.db, task.tenantId);
    const today = businessClock(new Date()).date;
    const due = dueDate(today, { days: 15, unit: 'working' }, { extraNonWorkingDays: extra });
    return { kind: 'complete', variables: { dueAt: endOfBusinessDay(due), dueDate: due } };
  },
});
