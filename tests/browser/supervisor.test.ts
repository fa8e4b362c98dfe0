import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { cases, users } from '../../server/db/schema/index.ts';
import { createCase } from '../factories/index.ts';
import { axeViolations, browserSuite, reloadUntil } from '../helpers/browser.ts';
import { completeTask, type Headers } from '../helpers/tasks.ts';
import { waitFor } from '../helpers/wait.ts';

/** The machine is shared: page loads in this long journey can take a while under load. */
const SLOW = { timeout: 90_000 };

/**
 * The supervisor's journey in a real browser: open cases late first, reassigning a task, the workload, an incident
 * of a really failing worker job retried after its cause was fixed, and the charts of a period. axe-clean pages.
 */
describe('the supervisor view in the browser', () => {
  let officer: Headers;
  let admin: Headers;
  let officerId = '';

  const web = browserSuite({ workers: true, taskEvents: true });

  beforeAll(async () => {
    [officer, admin] = await Promise.all([
      web.t.login('officer@demo.local'),
      web.t.login('admin@demo.local'),
    ]);
    officerId = (
      await web.t.db.select({ id: users.id }).from(users).where(eq(users.email, 'officer@demo.local'))
    )[0]!.id;
  });

  function register(category: 'facturare' | 'grup_masurare', receivedAt?: Date) {
    return createCase(web.t, {
      category,
      subject: category === 'facturare' ? 'Factură prea mare' : 'Contor defect',
      body: 'Consumul facturat este mult mai mare decât cel real; vă rog să verificați.',
      place: null,
      contactEmail: `sup-browser-${Date.now()}@example.test`,
      receivedAt,
    });
  }

  function completeByApi(
    number: string,
    name: string,
    payload: Record<string, unknown>,
    as: Headers = officer,
  ) {
    return completeTask(web.t, as, number, name, payload, 60_000);
  }

  it(
    'follows open cases, reassigns, retries an incident and reads the charts',
    { timeout: 500_000 },
    async () => {
      const violations: Record<string, string[]> = {};
      const onTime = await register('facturare');
      const late = await register('facturare', new Date(Date.now() - 60 * 24 * 3600e3));

      const sup = await web.staffPage('supervisor@demo.local', SLOW);
      await sup.getByRole('link', { name: 'Supervizare' }).click();
      await sup.waitForURL(/\/supervisor$/);
      // The read model fills in as the engine's task events arrive.
      await reloadUntil(
        sup,
        async () => (await sup.getByRole('button', { name: 'Repartizează' }).count()) >= 2,
        {
          timeoutMs: 30_000,
          what: 'both cases in the supervisor view',
        },
      );
      const rows = sup.getByRole('row');
      await expect.poll(() => rows.nth(1).innerText()).toContain(late.number);
      expect(await rows.nth(1).innerText()).toContain('Termen depășit');
      expect(await rows.nth(2).innerText()).toContain(onTime.number);
      expect(await rows.nth(2).innerText()).toContain('În termen');
      violations.cases = await axeViolations(sup);
      await web.shot(sup, 'supervisor-1-cases');

      // Reassign the on-time case's classification to the officer.
      const row = rows.filter({ hasText: onTime.number });
      await row.getByLabel(/Repartizează „Clasificarea/).selectOption(officerId);
      await row.getByRole('button', { name: 'Repartizează' }).click();
      await sup.getByRole('status').filter({ hasText: 'a fost repartizată lui' }).waitFor();
      await expect
        .poll(async () =>
          (await sup.getByRole('row').filter({ hasText: onTime.number }).innerText()).includes('Deținută de'),
        )
        .toBe(true);
      await web.shot(sup, 'supervisor-2-reassigned');

      // The full degree of execution of one case: open tasks, what may still come, the versions it runs under.
      await sup.getByRole('link', { name: `Detalii despre ${late.number}` }).click();
      await sup.getByRole('heading', { name: `Grad de execuție ${late.number}` }).waitFor();
      expect(await sup.getByText('Ce mai poate urma').count()).toBe(1);
      expect(await sup.getByRole('cell', { name: /^[0-9a-f]{64}$/ }).count()).toBeGreaterThan(0);
      violations.detail = await axeViolations(sup);
      await web.shot(sup, 'supervisor-2b-case-progress');

      await sup.getByRole('link', { name: 'Încărcare' }).click();
      await sup.getByRole('heading', { name: 'Încărcare', level: 1 }).waitFor();
      const officerRow = sup.getByRole('row').filter({ hasText: 'Oana' }).first();
      expect(await officerRow.innerText()).toMatch(/RSP/);
      violations.workload = await axeViolations(sup);
      await web.shot(sup, 'supervisor-3-workload');

      // A worker job that really fails: no distribution operator address.
      await web.t.app.inject({
        method: 'PATCH',
        url: '/api/tenant-settings',
        headers: admin,
        payload: { operatorEmail: null },
      });
      const metering = await register('grup_masurare');
      await completeByApi(metering.number, 'Clasificarea și admisibilitatea reclamației', {
        outcome: 'admissible',
      });
      await completeByApi(metering.number, 'Solicitarea verificării contorului și recalcularea consumului', {
        findings: 'Clientul contestă indexul.',
        branch: 'verificare_contor',
      });
      await completeByApi(metering.number, 'Solicitarea către OD a datelor de măsurare / recitirii', {
        questions: 'Vă rugăm indexurile citite în ultimele 6 luni.',
      });
      await sup.getByRole('link', { name: 'Incidente' }).click();
      // The link navigates in the page: a reload before it has arrived would load the previous page again.
      await sup.waitForURL(/\/supervisor\/incidents$/);
      // The worker's retries run out before the incident is raised.
      await reloadUntil(sup, async () => (await sup.getByText(metering.number).count()) > 0, {
        timeoutMs: 300_000,
        stepMs: 1000,
        what: 'the incident of the failing job',
      });
      await sup
        .getByText('Furnizorul nu are adresa de e-mail a operatorului de distribuție')
        .first()
        .waitFor();
      violations.incidents = await axeViolations(sup);
      await web.shot(sup, 'supervisor-4-incident');
      await web.t.app.inject({
        method: 'PATCH',
        url: '/api/tenant-settings',
        headers: admin,
        payload: { operatorEmail: 'od-demo@distributie.local' },
      });
      await sup
        .getByRole('button', { name: /Reîncearcă/ })
        .first()
        .click();
      await sup.getByRole('status').filter({ hasText: 'a fost repornit' }).waitFor();
      await reloadUntil(sup, async () => (await sup.getByText('Niciun incident deschis.').count()) > 0, {
        stepMs: 1000,
        what: 'no incident left after the retry',
      });
      await sup.getByText('Niciun incident deschis.').waitFor();

      await sup.getByRole('link', { name: 'Statistici' }).click();
      await sup.getByRole('heading', { name: 'Statistici', level: 1 }).waitFor();
      const inDays = (n: number) =>
        new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Bucharest' }).format(
          new Date(Date.now() + n * 86_400_000),
        );
      await sup.getByLabel('De la').fill(inDays(-90));
      await sup.getByLabel('Până la').fill(inDays(7));
      await sup.getByRole('button', { name: 'Arată' }).click();
      await sup.getByText('3 reclamații înregistrate').waitFor();
      expect(await sup.getByRole('img', { name: /Pe categorii\. .*Facturarea: 2/ }).count()).toBe(1);
      expect(
        await sup.getByRole('img', { name: /Pe canale\. Call center: 3; E-mail: 0; Portal: 0/ }).count(),
      ).toBe(1);
      await sup.getByText('Vezi datele ca tabel').first().click();
      violations.stats = await axeViolations(sup);
      await web.shot(sup, 'supervisor-5-stats');

      // The consumer contests an answer by phone: a new linked case, registered from the case page.
      const dup = await register('facturare');
      await completeByApi(dup.number, 'Clasificarea și admisibilitatea reclamației', {
        outcome: 'duplicate',
        comment: 'Același conținut ca reclamația anterioară.',
      });
      await completeByApi(dup.number, 'Propunerea de clasare sau redirecționare a dosarului', {
        comment: 'Conexată la dosarul anterior.',
      });
      // No filing without the head of service's approval (IL-08).
      await completeByApi(
        dup.number,
        'Aprobarea clasării sau redirecționării',
        { approved: true },
        await web.t.login('supervisor@demo.local'),
      );
      await waitFor(async () => {
        const [row] = await web.t.db
          .select({ status: cases.status })
          .from(cases)
          .where(eq(cases.number, dup.number));
        return row?.status === 'filed';
      });
      await sup.goto(`${web.base}/cases/${dup.number}`);
      await sup
        .getByLabel('Ce contestă consumatorul')
        .fill('Nu este un duplicat: factura din noiembrie este alta.');
      await sup.getByRole('button', { name: 'Înregistrează contestația' }).click();
      await sup.getByRole('status').filter({ hasText: 'Contestația a fost înregistrată' }).waitFor();
      expect(new URL(sup.url()).pathname).not.toBe(`/cases/${dup.number}`);
      await sup
        .getByRole('note')
        .filter({ hasText: `Contestație la răspunsul dat reclamației ${dup.number}` })
        .waitFor();
      violations.contest = await axeViolations(sup);
      await web.shot(sup, 'supervisor-7-contestation');
      await sup.getByRole('link', { name: dup.number }).click();
      await sup
        .getByRole('note')
        .filter({ hasText: 'Răspunsul la această reclamație a fost contestat' })
        .waitFor();

      // On a phone.
      const phone = await web.staffPage('supervisor@demo.local', {
        ...SLOW,
        viewport: { width: 390, height: 844 },
      });
      await phone.goto(`${web.base}/supervisor`);
      await phone.getByRole('heading', { name: 'Supervizare', level: 1 }).waitFor();
      violations.phone = await axeViolations(phone);
      await web.shot(phone, 'supervisor-6-phone');

      // Officers have no supervisor view.
      const off = await web.staffPage('officer@demo.local', SLOW);
      const res = await off.goto(`${web.base}/supervisor`);
      expect(res?.status()).toBe(403);

      expect(violations).toEqual({
        cases: [],
        detail: [],
        workload: [],
        incidents: [],
        stats: [],
        contest: [],
        phone: [],
      });
    },
  );
});
