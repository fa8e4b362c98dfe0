import { describe, expect, it } from 'vitest';
import { createPrivacyRequest } from '../factories/index.ts';
import { axeViolations, browserSuite } from '../helpers/browser.ts';

const SLOW = { timeout: 90_000 };

/**
 * The data-protection officer's page in a real browser: an open GDPR request is extended with its reason (the
 * notice is issued) and answered; the access log shows who read a case and why; others are refused the page.
 */
describe('the DPO page in the browser', () => {
  const web = browserSuite({ taskEvents: false });

  it(
    'extends and answers a GDPR request, shows the access log, passes axe',
    { timeout: 300_000 },
    async () => {
      const agent = await web.t.login('agent@demo.local');
      const dpo = await web.t.login('legal@demo.local');
      const { number } = await createPrivacyRequest(web.t, agent);
      // A read to find in the log.
      const customers = await web.t.app.inject({
        method: 'GET',
        url: '/api/customers?q=Gheorghe',
        headers: agent,
      });
      expect(customers.statusCode).toBe(200);

      const page = await web.staffPage('legal@demo.local', SLOW);
      await page.goto(`${web.base}/admin/privacy`);
      await page.getByRole('heading', { name: 'Protecția datelor', level: 1 }).waitFor();
      const request = page.getByRole('article', { name: new RegExp(number) });
      await request.getByLabel('Prelungire').selectOption('2');
      await request
        .getByLabel('Motivul (apare în notificarea către persoană)')
        .fill('Cererea privește înregistrări din mai mulți ani.');
      await request.getByRole('button', { name: 'Prelungește și notifică' }).click();
      await page.getByText(`Termenul cererii ${number} a fost prelungit`).waitFor();
      const extended = await web.t.app.inject({
        method: 'GET',
        url: `/api/privacy/requests/${number}`,
        headers: dpo,
      });
      expect(extended.json<{ originalDueDate: string | null }>().originalDueDate).not.toBeNull();

      // The access log lists the agent's customer search, with what led there: the route, as the API call named
      // no reason of its own.
      const log = page.getByRole('table', { name: /Accesări ale datelor personale/ });
      await expect(log.getByRole('cell', { name: 'GET /api/customers' }).count()).resolves.toBeGreaterThan(0);
      expect(await axeViolations(page)).toEqual([]);

      await request.getByLabel('Răspunsul').fill('Vă transmitem datele solicitate, în format electronic.');
      await request.getByRole('button', { name: 'Emite răspunsul' }).click();
      await page.getByText(`Răspunsul la cererea ${number} a fost emis.`).waitFor();
      const answered = await web.t.app.inject({
        method: 'GET',
        url: `/api/privacy/requests/${number}`,
        headers: dpo,
      });
      expect(answered.json<{ status: string }>().status).toBe('answered');

      // Someone without the DPO job role is refused the page.
      const other = await web.staffPage('agent@demo.local', SLOW);
      const res = await other.goto(`${web.base}/admin/privacy`);
      expect(res?.status()).toBe(403);
    },
  );
});
