import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createPrivacyRequest } from '../factories/index.ts';
import { axeViolations, browserSuite, reloadUntil } from '../helpers/browser.ts';

const SLOW = { timeout: 90_000 };

/**
 * A GDPR request's task in the DPO's inbox, in a real browser: the row shows the request's number and right, the
 * task page shows the request (no "case not found") and leads to it on the DPO's page. And the quarantine page
 * turns a quarantined e-mail into a GDPR request.
 */
describe('GDPR tasks and the quarantine in the browser', () => {
  const web = browserSuite();

  it(
    "the DPO opens a GDPR task from the inbox and reaches the request on the DPO's page; axe clean",
    { timeout: 300_000 },
    async () => {
      const agent = await web.t.login('agent@demo.local');
      const { number } = await createPrivacyRequest(web.t, agent);

      const page = await web.staffPage('legal@demo.local', SLOW);
      // The row appears once the read model has the engine's task event.
      const row = page.getByRole('row', { name: new RegExp(number) });
      await reloadUntil(page, async () => (await row.count()) === 1, {
        url: `${web.base}/inbox?view=groups`,
        stepMs: 200,
        what: 'the GDPR task in the inbox',
      });
      await expect(
        row.getByRole('cell', { name: /Dreptul: Acces la date \(art\. 15\)/ }).count(),
      ).resolves.toBe(1);
      await expect(row.getByRole('cell', { name: /Cerere GDPR/ }).count()).resolves.toBe(1);

      const opened = page.waitForResponse(
        (r) => r.url().includes('/inbox/tasks/') && r.request().method() === 'GET',
      );
      await row.getByRole('link', { name: 'Soluționarea cererii persoanei vizate' }).click();
      expect((await opened).status()).toBe(200);
      await page.getByRole('heading', { name: 'Cerere privind datele personale (GDPR)', level: 2 }).waitFor();
      await expect(page.getByText('Sarcina nu este legată de o reclamație').count()).resolves.toBe(0);
      await expect(page.getByRole('button', { name: 'Finalizez sarcina' }).count()).resolves.toBe(0);
      expect(await axeViolations(page)).toEqual([]);

      await page.getByRole('link', { name: new RegExp(`Deschide cererea ${number}`) }).click();
      await page.waitForURL(/\/admin\/privacy/);
      await page.getByRole('article', { name: new RegExp(number) }).waitFor();
    },
  );

  it(
    'an officer registers a quarantined e-mail as a GDPR request from the quarantine page',
    { timeout: 300_000 },
    async () => {
      const arrivedAt = new Date(Date.now() - 2 * 86_400_000);
      const [q] = await web.t.db.execute<{ id: number }>(sql`
      insert into mail_quarantine (tenant_id, subject, from_address, reason, folder, arrived_at)
      values (${web.t.demoTenantId}, 'Datele mele', 'ana.marin@example.ro', 'mesaj MIME ilizibil', 'Quarantine',
        ${arrivedAt.toISOString()}::timestamptz)
      returning id`);
      const page = await web.staffPage('officer@demo.local', SLOW);
      const res = await page.goto(`${web.base}/intake/quarantine/${q!.id}`);
      expect(res?.status()).toBe(200);
      const section = page.getByRole('region', { name: 'Înregistrează ca cerere GDPR' });
      await section.waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await section.getByLabel('Dreptul exercitat').selectOption('erasure');
      await section.getByLabel('Ce cere persoana').fill('Solicită ștergerea datelor personale.');
      await section.getByRole('button', { name: 'Înregistrează cererea GDPR' }).click();
      const status = page
        .getByRole('status')
        .filter({ hasText: 'cerere privind datele personale (GDPR) nr.' });
      await status.waitFor();
      const [row] = await web.t.db.execute<{ number: string; right: string; channel: string }>(sql`
      select r.number, r.right, r.channel from data_subject_requests r
      join mail_quarantine q on q.resolution_note = 'cerere GDPR ' || r.number
      where q.id = ${q!.id}`);
      expect(row).toMatchObject({ right: 'erasure', channel: 'email' });
      expect(await status.textContent()).toContain(row!.number);
      // Resolved: the page no longer offers the ways out.
      await expect(section.count()).resolves.toBe(0);
    },
  );
});
