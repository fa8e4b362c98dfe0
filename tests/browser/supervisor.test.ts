import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { cases, users } from '../../server/db/schema/index.ts';
import { registerComplaint } from '../../server/intake/register-complaint.ts';
import { axeViolations, launchBrowser, staffPage } from '../helpers/browser.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';

const PORT = 3391 + Number(process.env.TEST_PORT_OFFSET ?? 0);
const BASE = `http://localhost:${PORT}`;
const SHOTS = 'test-results/screenshots';
/** The machine is shared: page loads in this long journey can take a while under load. */
const SLOW = { timeout: 90_000 };

type Headers = { authorization: string };

/**
 * The supervisor's journey in a real browser: open cases late first, reassigning a task, the workload, an incident
 * of a really failing worker job retried after its cause was fixed, and the charts of a period. axe-clean pages.
 */
describe('the supervisor view in the browser', () => {
  let t: TestContext;
  let browser: Browser;
  let officer: Headers;
  let admin: Headers;
  let officerId = '';

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    t = await createTestContext({ workers: true, webPort: PORT, taskEvents: true });
    [officer, admin] = await Promise.all([t.login('officer@demo.local'), t.login('admin@demo.local')]);
    officerId = (
      await t.db.select({ id: users.id }).from(users).where(eq(users.email, 'officer@demo.local'))
    )[0]!.id;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function register(category: 'facturare' | 'grup_masurare', receivedAt?: Date) {
    const [customer] = (
      await t.app.inject({ method: 'GET', url: '/api/customers?q=RO005E512345678', headers: officer })
    ).json<{ items: Array<{ id: string }> }>().items;
    return registerComplaint(t.app.registerDeps, {
      tenantId: t.demoTenantId,
      channel: 'call_center',
      category,
      subject: category === 'facturare' ? 'Factură prea mare' : 'Contor defect',
      body: 'Consumul facturat este mult mai mare decât cel real; vă rog să verificați.',
      customerId: customer!.id,
      contactEmail: `sup-browser-${Date.now()}@example.test`,
      receivedAt,
      actor: { id: null, kind: 'system' },
    });
  }

  async function completeByApi(
    number: string,
    name: string,
    payload: Record<string, unknown>,
    as: { authorization: string } = officer,
  ) {
    const headers = as;
    const task = await waitFor(async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/tasks?scope=groups&pageSize=100',
        headers,
      });
      return res
        .json<{ items: Array<{ id: string; name: string; case: { number: string } | null }> }>()
        .items.find((x) => x.case?.number === number && x.name === name);
    }, 60_000);
    await t.app.inject({ method: 'POST', url: `/api/tasks/${task.id}/claim`, headers });
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${task.id}/complete`,
      headers,
      payload,
    });
    expect(r.statusCode, r.body).toBe(200);
  }

  it(
    'follows open cases, reassigns, retries an incident and reads the charts',
    { timeout: 500_000 },
    async () => {
      const violations: Record<string, string[]> = {};
      const onTime = await register('facturare');
      const late = await register('facturare', new Date(Date.now() - 60 * 24 * 3600e3));

      const sup = await staffPage(browser, BASE, 'supervisor@demo.local', SLOW);
      await sup.getByRole('link', { name: 'Supervizare' }).click();
      await sup.waitForURL(/\/supervisor$/);
      // The read model fills in as the engine's task events arrive.
      for (let i = 0; i < 60; i++) {
        if ((await sup.getByRole('button', { name: 'Repartizează' }).count()) >= 2) break;
        await sup.waitForTimeout(500);
        await sup.reload();
      }
      const rows = sup.getByRole('row');
      await expect.poll(() => rows.nth(1).innerText()).toContain(late.number);
      expect(await rows.nth(1).innerText()).toContain('Termen depășit');
      expect(await rows.nth(2).innerText()).toContain(onTime.number);
      expect(await rows.nth(2).innerText()).toContain('În termen');
      violations.cases = await axeViolations(sup);
      await sup.screenshot({ path: `${SHOTS}/supervisor-1-cases.png`, fullPage: true });

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
      await sup.screenshot({ path: `${SHOTS}/supervisor-2-reassigned.png`, fullPage: true });

      // The full degree of execution of one case: open tasks, what may still come, the versions it runs under.
      await sup.getByRole('link', { name: `Detalii despre ${late.number}` }).click();
      await sup.getByRole('heading', { name: `Grad de execuție ${late.number}` }).waitFor();
      expect(await sup.getByText('Ce mai poate urma').count()).toBe(1);
      expect(await sup.getByRole('cell', { name: /^[0-9a-f]{64}$/ }).count()).toBeGreaterThan(0);
      violations.detail = await axeViolations(sup);
      await sup.screenshot({ path: `${SHOTS}/supervisor-2b-case-progress.png`, fullPage: true });

      await sup.getByRole('link', { name: 'Încărcare' }).click();
      await sup.getByRole('heading', { name: 'Încărcare', level: 1 }).waitFor();
      const officerRow = sup.getByRole('row').filter({ hasText: 'Oana' }).first();
      expect(await officerRow.innerText()).toMatch(/RSP/);
      violations.workload = await axeViolations(sup);
      await sup.screenshot({ path: `${SHOTS}/supervisor-3-workload.png`, fullPage: true });

      // A worker job that really fails: no distribution operator address.
      await t.app.inject({
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
      for (let i = 0; i < 120; i++) {
        if ((await sup.getByText(metering.number).count()) > 0) break;
        await sup.waitForTimeout(1000);
        await sup.reload();
      }
      await sup
        .getByText('Furnizorul nu are adresa de e-mail a operatorului de distribuție')
        .first()
        .waitFor();
      violations.incidents = await axeViolations(sup);
      await sup.screenshot({ path: `${SHOTS}/supervisor-4-incident.png`, fullPage: true });
      await t.app.inject({
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
      for (let i = 0; i < 60; i++) {
        await sup.reload();
        if ((await sup.getByText('Niciun incident deschis.').count()) > 0) break;
        await sup.waitForTimeout(1000);
      }
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
      await sup.screenshot({ path: `${SHOTS}/supervisor-5-stats.png`, fullPage: true });

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
        await t.login('supervisor@demo.local'),
      );
      await waitFor(async () => {
        const [row] = await t.db
          .select({ status: cases.status })
          .from(cases)
          .where(eq(cases.number, dup.number));
        return row?.status === 'filed';
      });
      await sup.goto(`${BASE}/cases/${dup.number}`);
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
      await sup.screenshot({ path: `${SHOTS}/supervisor-7-contestation.png`, fullPage: true });
      await sup.getByRole('link', { name: dup.number }).click();
      await sup
        .getByRole('note')
        .filter({ hasText: 'Răspunsul la această reclamație a fost contestat' })
        .waitFor();

      // On a phone.
      const phone = await staffPage(browser, BASE, 'supervisor@demo.local', {
        ...SLOW,
        viewport: { width: 390, height: 844 },
      });
      await phone.goto(`${BASE}/supervisor`);
      await phone.getByRole('heading', { name: 'Supervizare', level: 1 }).waitFor();
      violations.phone = await axeViolations(phone);
      await phone.screenshot({ path: `${SHOTS}/supervisor-6-phone.png`, fullPage: true });

      // Officers have no supervisor view.
      const off = await staffPage(browser, BASE, 'officer@demo.local', SLOW);
      const res = await off.goto(`${BASE}/supervisor`);
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
