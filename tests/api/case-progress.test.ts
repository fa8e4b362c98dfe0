import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../server/db/schema/index.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';

interface Progress {
  timeLeft: { workingDays: number; calendarDays: number; overdue: boolean };
  openTasks: Array<{
    id: string;
    name: string;
    instructionId: string | null;
    assignee: { name: string | null } | null;
    holders: Array<{ name: string | null }>;
    steps: { total: number; done: number[] };
  }>;
  remainingTasks: Array<{ name: string; instructionId: string | null }>;
  openSteps: { total: number; done: number };
}

// One story in steps: each test goes on from the state the one before left, so they keep their order here (the
// test files themselves run in any order).
describe('degree of execution of a case', { shuffle: false }, () => {
  let t: TestContext;
  let officer: { authorization: string };
  let number: string;

  beforeAll(async () => {
    t = await createTestContext({ workers: true });
    officer = await t.login('officer@demo.local');
    const agent = await t.login('agent@demo.local');
    const reg = await t.app.inject({
      method: 'POST',
      url: '/api/complaints',
      headers: agent,
      payload: {
        category: 'facturare',
        subject: 'Factură contestată',
        body: 'Factura din noiembrie conține un preț diferit de cel din ofertă.',
        contactName: 'Ion Popescu',
        contactPhone: '0722 000 111',
      },
    });
    expect(reg.statusCode).toBe(201);
    number = reg.json<{ number: string }>().number;
  });
  afterAll(async () => t?.close());

  const progress = async () => {
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/complaints/${number}/progress`,
      headers: officer,
    });
    expect(r.statusCode, r.body).toBe(200);
    return r.json<Progress>();
  };

  it('lists the open task with its holders, the tasks that may follow, and the time left', async () => {
    // No customer on file: identification (IL-05) comes first, then classification (IL-06).
    const p = await waitFor(async () => {
      const x = await progress();
      return x.openTasks.length ? x : null;
    });
    expect(p.openTasks[0]).toMatchObject({ instructionId: 'IL-05', assignee: null, steps: { done: [] } });
    expect(p.remainingTasks.map((r) => r.instructionId)).toEqual(
      expect.arrayContaining(['IL-06', 'IL-10', 'IL-30', 'IL-31', 'IL-33', 'IL-29']),
    );
    expect(p.remainingTasks.map((r) => r.instructionId)).not.toContain('IL-05');
    expect(p.timeLeft.workingDays).toBeGreaterThanOrEqual(14);
    expect(p.timeLeft.overdue).toBe(false);
  });

  it('the holder ticks steps of the instruction (audited), untick included; the progress shows them', async () => {
    const p = await progress();
    const task = p.openTasks[0]!;
    const tick = (index: number, done: boolean) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/tasks/${task.id}/steps/${index}`,
        headers: officer,
        payload: { done },
      });
    // Only the one who claimed the task ticks its steps. The officer does not hold RRC: the supervisor's view
    // shows who does (the registry), until the admin gives RRC to the officer instead.
    expect(task.holders.map((h) => h.name)).toEqual(['Raluca Șerban']);
    const admin = await t.login('admin@demo.local');
    const chart = (await t.app.inject({ method: 'GET', url: '/api/org-chart', headers: admin })).json<{
      staff: Array<{ id: string; email: string }>;
    }>();
    const officerId = chart.staff.find((s) => s.email === 'officer@demo.local')!.id;
    await t.app.inject({
      method: 'PUT',
      url: '/api/org-chart/job-roles/RRC/holders',
      headers: admin,
      payload: { userIds: [officerId] },
    });
    expect((await tick(0, true)).statusCode).toBe(409);
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/tasks/${task.id}/claim`, headers: officer }))
        .statusCode,
    ).toBe(200);
    expect((await tick(0, true)).json()).toMatchObject({ instructionId: 'IL-05', stepsDone: [0] });
    expect((await tick(2, true)).json()).toMatchObject({ stepsDone: [0, 2] });
    expect((await tick(0, false)).json()).toMatchObject({ stepsDone: [2] });
    expect((await tick(40, true)).statusCode).toBe(404);
    const detail = await t.app.inject({ method: 'GET', url: `/api/tasks/${task.id}`, headers: officer });
    expect(detail.json()).toMatchObject({ stepsDone: [2] });
    const after = await progress();
    expect(after.openTasks[0]).toMatchObject({
      assignee: { name: 'Oana Ofițer' },
      holders: [{ name: 'Oana Ofițer' }],
      steps: { total: 6, done: [2] },
    });
    expect(after.openSteps).toEqual({ total: 6, done: 1 });
    const audit = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, t.demoTenantId), eq(auditLog.entityType, 'case')));
    expect(audit.filter((a) => a.action.startsWith('task.step_')).map((a) => a.action)).toEqual([
      'task.step_done',
      'task.step_done',
      'task.step_undone',
    ]);
  });
});
