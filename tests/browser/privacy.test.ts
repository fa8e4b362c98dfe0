import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, staffPage } from '../helpers/browser.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';

const PORT = 3623 + Number(process.env.TEST_PORT_OFFSET ?? 0);
const BASE = `http://localhost:${PORT}`;
const SLOW = { timeout: 90_000 };

/**
 * The data-protection officer's page in a real browser: an open GDPR request is extended with its reason (the
 * notice is issued) and answered; the access log shows who read a case and why; others are refused the page.
 */
describe('the DPO page in the browser', () => {
  let t: TestContext;
  let browser: Browser;

  beforeAll(async () => {
    t = await createTestContext({ webPort: PORT, taskEvents: false });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it(
    'extends and answers a GDPR request, shows the access log, passes axe',
    { timeout: 300_000 },
    async () => {
      const agent = await t.login('agent@demo.local');
      const dpo = await t.login('legal@demo.local');
      const reg = await t.app.inject({
        method: 'POST',
        url: '/api/privacy/requests',
        headers: agent,
        payload: {
          right: 'access',
          channel: 'call_center',
          contactName: 'Elena Radu',
          contactPhone: '0722000111',
          details: 'Cere copia datelor personale.',
        },
      });
      expect(reg.statusCode).toBe(201);
      const number = reg.json<{ number: string }>().number;
      // A read to find in the log.
      const customers = await t.app.inject({
        method: 'GET',
        url: '/api/customers?q=Gheorghe',
        headers: agent,
      });
      expect(customers.statusCode).toBe(200);

      const page = await staffPage(browser, BASE, 'legal@demo.local', SLOW);
      await page.goto(`${BASE}/admin/privacy`);
      await page.getByRole('heading', { name: 'Protecția datelor', level: 1 }).waitFor();
      const request = page.getByRole('article', { name: new RegExp(number) });
      await request.getByLabel('Prelungire').selectOption('2');
      await request
        .getByLabel('Motivul (apare în notificarea către persoană)')
        .fill('Cererea privește înregistrări din mai mulți ani.');
      await request.getByRole('button', { name: 'Prelungește și notifică' }).click();
      await page.getByText(`Termenul cererii ${number} a fost prelungit`).waitFor();
      const extended = await t.app.inject({
        method: 'GET',
        url: `/api/privacy/requests/${number}`,
        headers: dpo,
      });
      expect(extended.json<{ originalDueDate: string | null }>().originalDueDate).not.toBeNull();

      // The access log lists the agent's customer search, with its reason.
      const log = page.getByRole('table', { name: /Accesări ale datelor personale/ });
      await expect(log.getByRole('cell', { name: 'search' }).count()).resolves.toBeGreaterThan(0);
      expect(await axeViolations(page)).toEqual([]);

      await request.getByLabel('Răspunsul').fill('Vă transmitem datele solicitate, în format electronic.');
      await request.getByRole('button', { name: 'Emite răspunsul' }).click();
      await page.getByText(`Răspunsul la cererea ${number} a fost emis.`).waitFor();
      const answered = await t.app.inject({
        method: 'GET',
        url: `/api/privacy/requests/${number}`,
        headers: dpo,
      });
      expect(answered.json<{ status: string }>().status).toBe('answered');

      // Someone without the DPO job role is refused the page.
      const other = await staffPage(browser, BASE, 'agent@demo.local', SLOW);
      const res = await other.goto(`${BASE}/admin/privacy`);
      expect(res?.status()).toBe(403);
    },
  );
});
