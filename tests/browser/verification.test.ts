import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, staffPage } from '../helpers/browser.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';

const PORT = 3611 + Number(process.env.TEST_PORT_OFFSET ?? 0);
const BASE = `http://localhost:${PORT}`;

type Headers = { authorization: string };
interface Item {
  id: string;
  name: string;
  case: { number: string } | null;
}

const CHECK_INVOICE = 'Verificarea facturii contestate';
const CHECK_METER = 'Solicitarea verificării contorului și recalcularea consumului';

/**
 * The task page in Chromium for the verifications (IL-06, IL-31): triage names a further category, so billing and
 * metering are verified in parallel; the supervisor rejects the answer and sends it back to verification.
 */
describe('parallel verifications and the way back to them, in the browser', () => {
  let t: TestContext;
  let browser: Browser;

  beforeAll(async () => {
    t = await createTestContext({ workers: true, webPort: PORT });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function openTasks(headers: Headers, number: string): Promise<Item[]> {
    const res = await t.app.inject({ method: 'GET', url: '/api/tasks?scope=groups&pageSize=100', headers });
    return res.json<{ items: Item[] }>().items.filter((x) => x.case?.number === number);
  }

  async function complete(headers: Headers, number: string, name: string, payload: Record<string, unknown>) {
    const task = await waitFor(async () => (await openTasks(headers, number)).find((x) => x.name === name));
    await t.app.inject({ method: 'POST', url: `/api/tasks/${task.id}/claim`, headers });
    const r = await t.app.inject({ method: 'POST', url: `/api/tasks/${task.id}/complete`, headers, payload });
    expect(r.statusCode, `${name}: ${r.body}`).toBe(200);
  }

  /** Opens the task from the team's inbox and claims it. */
  async function openTask(page: Page, number: string, name: string) {
    let found = false;
    for (let i = 0; i < 120 && !found; i++) {
      await page.goto(`${BASE}/inbox?scope=groups`);
      const row = page.getByRole('row').filter({ hasText: number }).filter({ hasText: name });
      if ((await row.count()) > 0) {
        await row.first().getByRole('link', { name }).click();
        await page.waitForURL(/\/inbox\/tasks\//);
        found = true;
      } else await page.waitForTimeout(500);
    }
    expect(found).toBe(true);
    await page.getByRole('button', { name: 'Preiau sarcina' }).click();
    await page.getByRole('button', { name: 'Finalizez sarcina' }).waitFor();
  }

  it(
    'verifies billing and metering in parallel and sends a rejected answer back to them',
    { timeout: 240_000 },
    async () => {
      const officerApi = await t.login('officer@demo.local');
      const customer = (
        await t.app.inject({ method: 'GET', url: '/api/customers?q=RO005E512345678', headers: officerApi })
      ).json<{ items: Array<{ id: string; places: Array<{ id: string }> }> }>().items[0]!;
      const reg = (
        await t.app.inject({
          method: 'POST',
          url: '/api/complaints',
          headers: await t.login('agent@demo.local'),
          payload: {
            customerId: customer.id,
            placeId: customer.places[0]!.id,
            category: 'facturare',
            subject: 'Factură dublă, contor suspect',
            body: 'Factura din octombrie este dublă și contorul pare să numere mai mult.',
          },
        })
      ).json<{ number: string }>();

      const officer = await staffPage(browser, BASE, 'officer@demo.local');
      await openTask(officer, reg.number, 'Clasificarea și admisibilitatea reclamației');
      const further = officer.getByRole('group', { name: 'Categorii suplimentare (opțional)' });
      // The case's own category is not offered again.
      expect(await further.getByLabel('Facturarea', { exact: true }).count()).toBe(0);
      await further.getByLabel('Funcționarea grupurilor de măsurare').check();
      await officer.getByLabel('Admisibilă — se analizează').check();
      // A further category moves the due date (the earliest of the categories'): a reclassification, with its reason.
      await officer.getByLabel('Motivare').fill('Clientul reclamă și contorul, nu doar factura.');
      expect(await axeViolations(officer)).toEqual([]);
      await officer.getByRole('button', { name: 'Finalizez sarcina' }).click();
      await officer.waitForURL(/\/inbox(\?|$)/);

      await waitFor(async () => {
        const names = (await openTasks(officerApi, reg.number)).map((x) => x.name);
        return names.includes(CHECK_INVOICE) && names.includes(CHECK_METER);
      });
      await complete(officerApi, reg.number, CHECK_INVOICE, {
        findings: 'Prețul aplicat corespunde ofertei acceptate.',
        branch: 'pret',
      });
      await complete(officerApi, reg.number, CHECK_METER, {
        findings: 'Clientul contestă procesul-verbal al OD.',
        branch: 'pv_consum_neinregistrat',
      });
      await complete(officerApi, reg.number, 'Analiza contestației privind procesul-verbal al OD', {
        findings: 'Procesul-verbal nu poate fi reținut.',
        needsCorrection: false,
      });
      await complete(officerApi, reg.number, 'Analiza reclamației și nota de constatare', {
        findings: 'Factura corectă; procesul-verbal al OD nu poate fi reținut.',
      });
      await complete(officerApi, reg.number, 'Redactarea răspunsului către client', {
        answerText: 'Stimate client, am verificat factura și contorul.',
      });

      const supervisor = await staffPage(browser, BASE, 'supervisor@demo.local');
      await openTask(supervisor, reg.number, 'Aprobarea răspunsului');
      const back = supervisor.getByRole('group', { name: 'La respingere, dosarul se întoarce' });
      expect(await back.getByLabel('La redactarea răspunsului').isChecked()).toBe(true);
      await supervisor.getByLabel('Resping').check();
      await back.getByLabel('La verificare').check();
      await supervisor
        .locator('textarea#comment')
        .fill('Lipsesc indexurile din procesul-verbal; reluați verificarea.');
      expect(await axeViolations(supervisor)).toEqual([]);
      await supervisor.getByRole('button', { name: 'Finalizez sarcina' }).click();
      await supervisor.waitForURL(/\/inbox(\?|$)/);

      const again = await waitFor(async () => {
        const names = (await openTasks(officerApi, reg.number)).map((x) => x.name);
        return names.includes(CHECK_INVOICE) && names.includes(CHECK_METER) ? names : null;
      });
      expect(again).not.toContain('Redactarea răspunsului către client');
    },
  );
});
