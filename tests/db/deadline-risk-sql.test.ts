import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadlineRisk, deadlineRisks, type RiskWindow } from '../../server/codes/deadline-risk.ts';
import { tasks } from '../../server/db/schema/index.ts';
import { riskUntil } from '../../server/deadlines/index.ts';
import {
  openTaskLoad,
  riskConditions,
  unclosedCaseCounts,
  unclosedCasesPage,
} from '../../server/supervision/supervision.repo.ts';
import { createCase, createTenant } from '../factories/index.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';

/**
 * "At risk" has one definition, deadlineRisk (server/codes/deadline-risk.ts); the supervisor's queries restate it
 * in SQL once (riskConditions in server/supervision/supervision.repo.ts). Here the real PostgreSQL proves the two
 * agree around the bounds: today = the due date, the last day of the warning window, the day after it, weekends
 * and a tenant's extra non-working day inside the window, a today that is not a working day, no lead time at all.
 */
describe('at risk in SQL and in TypeScript', () => {
  let t: TestContext;
  let tenantId: string;
  /** case id -> its due date. */
  const dueOf = new Map<string, string>();

  // March 2026: Thursday 5, Friday 6, weekend 7-8, Monday 9.
  const dueDates = [
    '2025-12-31',
    '2026-03-03',
    '2026-03-04',
    '2026-03-05',
    '2026-03-06',
    '2026-03-07',
    '2026-03-08',
    '2026-03-09',
    '2026-03-10',
    '2026-03-11',
    '2026-04-30',
  ];
  const windows: Array<{ what: string; w: RiskWindow }> = [
    { what: 'Thursday, two working days ahead (the weekend inside)', w: win('2026-03-05', 2) },
    { what: 'Friday, one working day ahead (Monday)', w: win('2026-03-06', 1) },
    { what: 'Saturday, not a working day, one ahead', w: win('2026-03-07', 1) },
    { what: 'no lead time: only today', w: win('2026-03-05', 0) },
    {
      what: 'an extra non-working Friday inside the window',
      w: win('2026-03-05', 2, new Set(['2026-03-06'])),
    },
    { what: 'Monday, two ahead', w: win('2026-03-09', 2) },
  ];
  function win(today: string, lead: number, extra: ReadonlySet<string> = new Set()): RiskWindow {
    return { today, riskUntil: riskUntil(today, lead, { extraNonWorkingDays: extra }) };
  }
  const expected = (w: RiskWindow) => dueDates.map((d) => deadlineRisk(d, w));

  beforeAll(async () => {
    t = await createTestContext({ taskEvents: false });
    tenantId = (await createTenant(t)).id;
    for (const due of dueDates) {
      const c = await createCase(t, { tenantId, customer: null });
      await t.db.execute(sql`update cases set due_date = ${due} where id = ${c.id}`);
      dueOf.set(c.id, due);
    }
    // Open tasks of the read model, one per due date, held by one officer and waiting in one job role.
    await t.db.insert(tasks).values(
      dueDates.map((due, i) => ({
        id: `risk-${randomUUID()}`,
        tenantId,
        processInstanceId: `pi-${i}`,
        taskDefinitionKey: 'analiza',
        name: 'Analiza',
        assignee: 'officer-1',
        candidateGroups: ['RSP'],
        createdAt: new Date(),
        lastEventId: i + 1,
        caseDueDate: due,
      })),
    );
  });
  afterAll(async () => t?.close());

  it('the SQL conditions give each date exactly the risk deadlineRisk gives it', async () => {
    for (const { what, w } of windows) {
      const when = riskConditions(sql`d`, w);
      const rows = await t.db.execute<Record<'d' | (typeof deadlineRisks)[number], string | boolean>>(
        sql`select d::text as d, ${sql.join(
          deadlineRisks.map((r) => sql`${when[r]} as ${sql.identifier(r)}`),
          sql`, `,
        )} from (select g::date as d from generate_series(${'2026-02-20'}::date, ${'2026-04-10'}::date, interval '1 day') as g) x`,
      );
      expect(rows.length).toBe(50);
      for (const row of rows) {
        const d = row.d as string;
        const held = deadlineRisks.filter((r) => row[r] === true);
        expect(held, `${what}: ${d}`).toEqual([deadlineRisk(d, w)]);
      }
    }
  });

  it("the supervisor's filter by risk finds the cases deadlineRisk gives that risk", async () => {
    for (const { what, w } of windows)
      for (const risk of deadlineRisks) {
        const rows = await unclosedCasesPage(t.db, tenantId, w, risk, { offset: 0, limit: 100 });
        const want = dueDates.filter((d) => deadlineRisk(d, w) === risk).sort();
        expect(rows.map((r) => dueOf.get(r.id)).sort(), `${what}: ${risk}`).toEqual(want);
      }
  });

  it('the counts of cases and of open tasks by risk are those of deadlineRisk', async () => {
    for (const { what, w } of windows) {
      const risks = expected(w);
      const n = (r: string) => risks.filter((x) => x === r).length;
      const counts = await unclosedCaseCounts(t.db, tenantId, w);
      expect(counts, what).toEqual({
        total: dueDates.length,
        byRisk: { late: n('late'), at_risk: n('at_risk'), on_time: n('on_time') },
      });
      const [byOfficer, byGroups] = await openTaskLoad(t.db, tenantId, w);
      const load = { open: dueDates.length, overdue: n('late'), atRisk: n('at_risk') };
      expect(byOfficer, what).toEqual([{ userId: 'officer-1', ...load }]);
      expect(byGroups, what).toEqual([{ groups: ['RSP'], unassigned: 0, ...load }]);
    }
  });

  it('every window of the test has cases of all three risks around its bounds', () => {
    // So that the agreement above is not trivially on one risk only.
    for (const { what, w } of windows) expect(new Set(expected(w)), what).toEqual(new Set(deadlineRisks));
  });
});
