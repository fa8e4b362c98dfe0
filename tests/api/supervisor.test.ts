import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../server/db/schema/index.ts';
import {
  createCase,
  createCustomer,
  createTenant,
  createUser,
  type FactoryCustomer,
} from '../factories/index.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { completeTask, type Headers } from '../helpers/tasks.ts';
import { waitFor } from '../helpers/wait.ts';
import { readMailbox } from '../helpers/mailbox.ts';

interface OpenCase {
  number: string;
  risk: string;
  dueDate: string;
  timeLeft: { workingDays: number; calendarDays: number };
  progress: {
    completedTasks: number;
    openTasks: Array<{
      id: string;
      name: string;
      assignee: { id: string } | null;
      candidateGroups: string[];
    }>;
    steps: { total: number; done: number };
  };
}

/**
 * The supervisor view's API (issue 5 point 2) against the real engine, workers, task read model and mail server:
 * open cases at risk first with their degree of execution, workload per officer and role, reassigning, incidents
 * of a really failing worker job with a retry, and counts per category and channel. Roles and tenant isolation.
 */
describe('supervision API', { timeout: 240_000 }, () => {
  let t: TestContext;
  /** ACME's officer and supervisor: the other tenant, in which no test registers anything. */
  let acme: Headers;

  beforeAll(async () => {
    t = await createTestContext({ workers: true, taskEvents: true });
    const staff = await t.db
      .select({ id: users.id, email: users.email, tenantId: users.tenantId })
      .from(users);
    acme = await t.login(
      staff.find((u) => u.tenantId === t.acmeTenantId && u.email.startsWith('officer-'))!.email,
    );
  });
  afterAll(async () => t?.close());

  interface OwnTenant {
    tenantId: string;
    tenantCode: string;
    customer: FactoryCustomer | null;
    supervisor: Headers;
    officer: Headers;
    admin: Headers;
    officerId: string;
    agentId: string;
    registered: Array<{ number: string; id: string }>;
  }

  /**
   * A tenant of its own for one test, staffed like DEMO (supervisor SEF; officer RSP, SF, SM; admin; agent OCC)
   * with a customer on file: the open cases, workload and counts a test asserts are only those it registered,
   * whichever of this file's tests ran before.
   */
  async function ownTenant(): Promise<OwnTenant> {
    const tenant = await createTenant(t);
    const supervisorUser = await createUser(t, {
      tenantId: tenant.id,
      roles: ['supervisor', 'officer'],
      jobRoles: ['SEF'],
    });
    const officerUser = await createUser(t, { tenantId: tenant.id, jobRoles: ['RSP', 'SF', 'SM'] });
    const adminUser = await createUser(t, { tenantId: tenant.id, roles: ['admin'], jobRoles: [] });
    const agentUser = await createUser(t, { tenantId: tenant.id, roles: ['agent'], jobRoles: ['OCC'] });
    return {
      tenantId: tenant.id,
      tenantCode: tenant.code,
      customer: await createCustomer(t, { tenantId: tenant.id }),
      supervisor: await supervisorUser.login(),
      officer: await officerUser.login(),
      admin: await adminUser.login(),
      officerId: officerUser.id,
      agentId: agentUser.id,
      registered: [],
    };
  }

  /** Another tenant with one complaint of its own, from someone not on file, and its supervisor. */
  async function otherTenant(): Promise<Headers> {
    const tenant = await createTenant(t);
    const user = await createUser(t, {
      tenantId: tenant.id,
      roles: ['officer', 'supervisor'],
      jobRoles: ['RSP', 'SEF'],
    });
    await register({ tenantId: tenant.id, customer: null, registered: [] }, 'facturare');
    return user.login();
  }

  async function register(
    own: Pick<OwnTenant, 'tenantId' | 'customer' | 'registered'>,
    category: 'facturare' | 'grup_masurare',
    receivedAt?: Date,
  ) {
    // The own tenant's cases are its customer's (no place named); the other tenant's come from someone not on file.
    const reg = await createCase(t, {
      tenantId: own.tenantId,
      customer: own.customer,
      category,
      subject: 'Reclamație pentru supervizare',
      body: 'Consumul facturat este mult mai mare decât cel real; vă rog să verificați.',
      place: null,
      contactName: 'Ana Pop',
      contactEmail: `sup-${Date.now()}-${Math.random().toString(36).slice(2)}@example.test`,
      receivedAt,
    });
    own.registered.push(reg);
    return reg;
  }

  async function openCases(headers: Headers, query = '') {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/supervision/cases?pageSize=100${query}`,
      headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{
      counts: { open: number; late: number; atRisk: number };
      items: OpenCase[];
      total: number;
    }>();
  }

  const complete = (headers: Headers, number: string, name: string, payload: Record<string, unknown>) =>
    completeTask(t, headers, number, name, payload, 60_000);

  /** Two billing complaints, one received 60 days ago, each once its first task is open in the view. */
  async function onTimeAndLate(own: OwnTenant) {
    const onTime = await register(own, 'facturare');
    const late = await register(own, 'facturare', new Date(Date.now() - 60 * 24 * 3600e3));
    const view = await waitFor(async () => {
      const v = await openCases(own.supervisor);
      const l = v.items.find((c) => c.number === late.number);
      const o = v.items.find((c) => c.number === onTime.number);
      return l?.progress.openTasks.length && o?.progress.openTasks.length ? v : null;
    });
    return { onTime, late, view };
  }

  it('lists open cases late and at risk first, with their open tasks and time left', async () => {
    const own = await ownTenant();
    const { supervisor, officer } = own;
    const other = await otherTenant();
    const { onTime, late, view } = await onTimeAndLate(own);
    expect(view.items.map((c) => c.number)).toEqual([late.number, onTime.number]);
    const [l, o] = view.items;
    expect(l!.risk).toBe('late');
    expect(l!.timeLeft.calendarDays).toBeLessThan(0);
    expect(o!.risk).toBe('on_time');
    expect(o!.timeLeft.workingDays).toBeGreaterThan(5);
    expect(o!.progress.openTasks[0]).toMatchObject({
      name: 'Clasificarea și admisibilitatea reclamației',
      assignee: null,
    });
    expect(o!.progress.steps.total).toBeGreaterThan(0);
    expect(view.counts).toMatchObject({ open: 2, late: 1 });
    // Filter by risk.
    expect((await openCases(supervisor, '&risk=late')).items.map((c) => c.number)).toEqual([late.number]);
    // Only supervisors; the other tenant sees only its own case.
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/supervision/cases', headers: officer })).statusCode,
    ).toBe(403);
    const otherView = await openCases(other);
    expect(otherView.items.some((c) => own.registered.some((r) => r.number === c.number))).toBe(false);
    expect(otherView.counts.open).toBe(1);
  });

  it('filters open cases at risk by the tenant’s warning lead time, apart from the late and the on-time ones', async () => {
    const own = await ownTenant();
    const onTime = await register(own, 'facturare');
    // Twelve days into its fifteen working days: a few working days left.
    const soon = await register(own, 'facturare', new Date(Date.now() - 12 * 24 * 3600e3));
    const late = await register(own, 'facturare', new Date(Date.now() - 60 * 24 * 3600e3));
    const before = await openCases(own.supervisor);
    const left = (n: string) => before.items.find((c) => c.number === n)!.timeLeft.workingDays;
    expect(left(soon.number)).toBeGreaterThanOrEqual(0);
    expect(left(onTime.number)).toBeGreaterThan(left(soon.number) + 1);
    // The warning goes out one working day more ahead than the closer case has left: that case is now at risk
    // (whether or not its due date is a working day), the other one still on time.
    const patch = await t.app.inject({
      method: 'PATCH',
      url: '/api/tenant-settings',
      headers: own.admin,
      payload: { warnWorkingDaysBefore: left(soon.number) + 1 },
    });
    expect(patch.statusCode, patch.body).toBe(200);

    const all = await openCases(own.supervisor);
    expect(all.counts).toEqual({ open: 3, late: 1, atRisk: 1 });
    expect(Object.fromEntries(all.items.map((c) => [c.number, c.risk]))).toEqual({
      [late.number]: 'late',
      [soon.number]: 'at_risk',
      [onTime.number]: 'on_time',
    });
    const atRisk = await openCases(own.supervisor, '&risk=at_risk');
    expect(atRisk.items.map((c) => c.number)).toEqual([soon.number]);
    expect(atRisk.total).toBe(1);
    expect(atRisk.counts).toEqual(all.counts);
    const byRisk = async (risk: string) =>
      (await openCases(own.supervisor, `&risk=${risk}`)).items.map((c) => c.number);
    expect(await byRisk('late')).toEqual([late.number]);
    expect(await byRisk('on_time')).toEqual([onTime.number]);
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/supervision/cases?risk=soon',
      headers: own.supervisor,
    });
    expect(bad.statusCode).toBe(400);
  });

  it('reassigns a task to an officer who holds its role, through the engine; refuses others', async () => {
    const own = await ownTenant();
    const { supervisor, officer, officerId, agentId } = own;
    const { onTime } = await onTimeAndLate(own);
    // The supervisor does not hold RSP: the task comes from the supervision view, not the inbox.
    const task = (await openCases(supervisor)).items.find((c) => c.number === onTime!.number)!.progress
      .openTasks[0]!;
    expect(task.name).toBe('Clasificarea și admisibilitatea reclamației');
    const toAgent = await t.app.inject({
      method: 'PUT',
      url: `/api/supervision/tasks/${task.id}/assignee`,
      headers: supervisor,
      payload: { userId: agentId },
    });
    expect(toAgent.statusCode).toBe(422);
    expect(toAgent.json<{ message: string }>().message).toBe(
      'Utilizatorul ales nu deține funcția cerută de sarcină; actualizați întâi organigrama.',
    );
    const byOfficer = await t.app.inject({
      method: 'PUT',
      url: `/api/supervision/tasks/${task.id}/assignee`,
      headers: officer,
      payload: { userId: officerId },
    });
    expect(byOfficer.statusCode).toBe(403);
    const fromAcme = await t.app.inject({
      method: 'PUT',
      url: `/api/supervision/tasks/${task.id}/assignee`,
      headers: acme,
      payload: { userId: officerId },
    });
    expect(fromAcme.statusCode).toBe(404);
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/supervision/tasks/${task.id}/assignee`,
      headers: supervisor,
      payload: { userId: officerId },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ assignee: { id: officerId, name: expect.any(String) } });
    expect((await t.engine.getTask(task.id))?.assignee).toBe(officerId);
    const audit = await t.db.execute(
      `select details from audit_log where action = 'task.reassigned' and entity_id = '${task.id}'`,
    );
    expect(audit.length).toBe(1);

    // Workload: the officer holds it; the RSP queue still has the late case's task waiting.
    let lastLoad = '';
    const load = await waitFor(async () => {
      const r = await t.app.inject({ method: 'GET', url: '/api/supervision/workload', headers: supervisor });
      lastLoad = r.body;
      const w = r.json<{
        officers: Array<{ userId: string; open: number; jobRoles: string[] }>;
        roles: Array<{ code: string; open: number; unassigned: number; holders: number }>;
      }>();
      return w.officers.find((o) => o.userId === officerId)?.open === 1 ? w : null;
    }).catch((err: Error) => {
      throw new Error(`${err.message}; last workload: ${lastLoad}`);
    });
    expect(load.officers.find((o) => o.userId === officerId)!.jobRoles).toEqual(
      expect.arrayContaining(['RSP', 'SF', 'SM']),
    );
    const rsp = load.roles.find((r) => r.code === 'RSP')!;
    expect(rsp).toMatchObject({ open: 2, unassigned: 1 });
    expect(rsp.holders).toBeGreaterThan(0);
    const acmeLoad = (
      await t.app.inject({ method: 'GET', url: '/api/supervision/workload', headers: acme })
    ).json<{ officers: Array<{ userId: string }>; roles: Array<{ code: string; open: number }> }>();
    expect(acmeLoad.officers.some((o) => o.userId === officerId)).toBe(false);
    expect(acmeLoad.roles.find((r) => r.code === 'RSP')?.open ?? 0).toBe(0);
  });

  it('shows a failed worker job as an incident with its error, and retries it', async () => {
    const own = await ownTenant();
    const { supervisor, officer, admin } = own;
    // The tenant has no distribution operator address: the worker that e-mails the request fails for real,
    // three times with backoff, and the engine raises an incident.
    const patch = await t.app.inject({
      method: 'PATCH',
      url: '/api/tenant-settings',
      headers: admin,
      payload: { operatorEmail: null },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    const reg = await register(own, 'grup_masurare');
    await complete(officer, reg.number, 'Clasificarea și admisibilitatea reclamației', {
      outcome: 'admissible',
    });
    await complete(officer, reg.number, 'Solicitarea verificării contorului și recalcularea consumului', {
      findings: 'Clientul contestă indexul; este necesară verificarea metrologică.',
      branch: 'verificare_contor',
    });
    await complete(officer, reg.number, 'Solicitarea către OD a datelor de măsurare / recitirii', {
      questions: 'Vă rugăm indexurile citite în ultimele 6 luni.',
    });
    type Incident = {
      id: string;
      type: string;
      message: string | null;
      details: string | null;
      caseNumber: string | null;
    };
    const incident = await waitFor(
      async () => {
        const r = await t.app.inject({
          method: 'GET',
          url: '/api/supervision/incidents',
          headers: supervisor,
        });
        return r.json<Incident[]>().find((i) => i.caseNumber === reg.number);
      },
      { timeoutMs: 120_000, stepMs: 1000 },
    );
    const ext = await fetch(`${t.engineRest.url}/external-task?processInstanceBusinessKey=${reg.number}`, {
      headers: { authorization: t.engineRest.authorization },
    }).then((r) => r.text());
    expect(incident.type, `${JSON.stringify(incident)} ${ext}`).toBe('failedExternalTask');
    expect(incident.message, `${JSON.stringify(incident)} ${ext}`).not.toBeNull();
    expect(incident.message).toBe(
      'Furnizorul nu are adresa de e-mail a operatorului de distribuție (Administrare → Setări).',
    );
    expect(incident.details).toContain('send-operator-request');

    // Not visible to, nor retryable by, the other tenant; not for officers.
    const acmeList = await t.app.inject({ method: 'GET', url: '/api/supervision/incidents', headers: acme });
    expect(acmeList.json<Incident[]>().some((i) => i.id === incident.id)).toBe(false);
    const acmeRetry = await t.app.inject({
      method: 'POST',
      url: `/api/supervision/incidents/${incident.id}/retry`,
      headers: acme,
    });
    expect(acmeRetry.statusCode).toBe(404);
    expect(acmeRetry.json<{ message: string }>().message).toBe(
      'Incidentul nu există sau a fost deja rezolvat.',
    );
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/supervision/incidents', headers: officer })).statusCode,
    ).toBe(403);

    // The cause is fixed, the supervisor retries: the worker sends the request and the incident is gone.
    const operatorEmail = `od-${own.tenantCode.toLowerCase()}@distributie.local`;
    await t.app.inject({
      method: 'PATCH',
      url: '/api/tenant-settings',
      headers: admin,
      payload: { operatorEmail },
    });
    const retry = await t.app.inject({
      method: 'POST',
      url: `/api/supervision/incidents/${incident.id}/retry`,
      headers: supervisor,
    });
    expect(retry.statusCode, retry.body).toBe(200);
    const sent = await waitFor(async () =>
      (await readMailbox(operatorEmail)).find(
        (m) => m.subject?.includes(`${reg.number}/OD1`) && m.messageId?.includes(reg.id),
      ),
    );
    expect(sent.text).toContain('indexurile citite');
    await waitFor(async () => {
      const r = await t.app.inject({ method: 'GET', url: '/api/supervision/incidents', headers: supervisor });
      return !r.json<Incident[]>().some((i) => i.id === incident.id);
    });
  });

  it('counts complaints per category and per channel over a period', async () => {
    const own = await ownTenant();
    const { supervisor, registered } = own;
    const other = await otherTenant();
    await register(own, 'facturare');
    await register(own, 'facturare', new Date(Date.now() - 60 * 24 * 3600e3));
    await register(own, 'grup_masurare');
    // Complaints received after opening hours are registered on the next working day: look a week ahead too.
    const inDays = (n: number) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Bucharest' }).format(
        new Date(Date.now() + n * 86_400_000),
      );
    const from = inDays(-300);
    const today = inDays(7);
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/supervision/stats?from=${from}&to=${today}`,
      headers: supervisor,
    });
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json<{
      total: number;
      byCategory: Array<{ key: string; count: number }>;
      byChannel: Array<{ key: string; count: number }>;
    }>();
    expect(s.total).toBe(registered.length);
    expect(s.byCategory.find((c) => c.key === 'facturare')!.count).toBe(2);
    expect(s.byCategory.find((c) => c.key === 'grup_masurare')!.count).toBe(1);
    expect(s.byChannel).toEqual([
      { key: 'call_center', count: registered.length },
      { key: 'email', count: 0 },
      { key: 'portal', count: 0 },
      { key: 'counter', count: 0 },
      { key: 'post', count: 0 },
      { key: 'fax', count: 0 },
    ]);
    const otherStats = (
      await t.app.inject({
        method: 'GET',
        url: `/api/supervision/stats?from=${from}&to=${today}`,
        headers: other,
      })
    ).json<{ total: number }>();
    expect(otherStats.total).toBe(1);
    const bad = await t.app.inject({
      method: 'GET',
      url: `/api/supervision/stats?from=${today}&to=${from}`,
      headers: supervisor,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ message: string }>().message).toBe(
      'Perioada nu este validă: data de început este după data de sfârșit.',
    );
    const long = await t.app.inject({
      method: 'GET',
      url: '/api/supervision/stats?from=2020-01-01&to=2026-01-01',
      headers: supervisor,
    });
    expect(long.json<{ message: string }>().message).toBe('Alegeți o perioadă de cel mult un an.');
  });
});
