import { mkdirSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, mailQuarantine } from '../../server/db/schema/index.ts';
import { processInboundMail } from '../../server/intake/mail/process-message.ts';
import { ensureUser } from '../../server/seed/tenant-setup.ts';
import { axeViolations, launchBrowser, staffPage } from '../helpers/browser.ts';
import {
  createTestContext,
  eventually,
  PASSWORD,
  silentLog,
  type TestContext,
} from '../helpers/test-context.ts';
import { messageId, OUR_SENDER, rfc822 } from './intake-helpers.ts';

const PORT = 3462 + Number(process.env.TEST_PORT_OFFSET ?? 0);
const BASE = `http://localhost:${PORT}`;
const SHOTS = 'test-results/screenshots';

/**
 * The intake officer's pages in a real browser: the e-mail quarantine (list, text-only view, register as
 * complaint, mark handled) and the candidate picker of the "identify consumer" task.
 */
describe('intake officer pages in the browser', () => {
  let t: TestContext;
  let browser: Browser;
  const email = `registratura-${Date.now()}@demo.local`;
  let identifyNumber = '';

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    t = await createTestContext({ workers: true, webPort: PORT });
    await ensureUser(t.db, {
      tenantId: t.demoTenantId,
      email,
      name: 'Ioana Registratură',
      password: PASSWORD,
      roles: ['officer'],
      jobRoles: ['REG', 'RRC', 'RSP'],
    });
    const deps = { db: t.db, engine: t.engine, secret: 's', log: silentLog, ownAddresses: [OUR_SENDER] };
    const tenant = { id: t.demoTenantId, code: 'DEMO', intakeEmail: 'demo@reclamatii.local' };
    for (const [subject, body] of [
      ['Factură greșită', 'Bună ziua, factura din octombrie are un index greșit. <script>alert(1)</script>'],
      ['Test', 'mesaj de test, nu este o reclamație'],
    ] as const)
      await processInboundMail(deps, tenant, {
        raw: Buffer.from(
          rfc822({ To: 'demo@reclamatii.local', Subject: subject, 'Message-ID': messageId() }, body),
        ),
        arrivedAt: new Date(),
      });
    const out = await processInboundMail(deps, tenant, {
      raw: Buffer.from(
        rfc822(
          {
            From: 'Ion Popescu <ion.nou@example.test>',
            Subject: 'Curent întrerupt',
            'Message-ID': messageId(),
          },
          'Nu am curent de ieri seară, vă rog să verificați.',
        ),
      ),
      arrivedAt: new Date(),
    });
    if (out.status !== 'registered') throw new Error('expected a registration');
    identifyNumber = out.number;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it(
    'lists quarantined mail, shows it as text, registers one and marks the other handled',
    { timeout: 180_000 },
    async () => {
      const page = await staffPage(browser, BASE, email);
      const violations: Record<string, string[]> = {};
      await page.getByRole('link', { name: 'Carantină' }).click();
      await page.getByRole('heading', { name: 'Carantină e-mail' }).waitFor();
      await expect.poll(() => page.locator('caption').innerText()).toBe('2 mesaje');
      violations['list'] = await axeViolations(page);
      await page.screenshot({ path: `${SHOTS}/intake-1-quarantine-list.png`, fullPage: true });

      await page.getByRole('row').filter({ hasText: 'Factură greșită' }).getByRole('link').click();
      await page.getByRole('heading', { name: 'Factură greșită' }).waitFor();
      const text = await page.getByLabel('Textul mesajului').innerText();
      expect(text).toContain('<script>alert(1)</script>');
      expect(await page.locator('script:text("alert(1)")').count()).toBe(0);
      violations['detail'] = await axeViolations(page);
      await page.getByLabel('Categorie').selectOption({ label: 'Facturarea' });
      await page.getByLabel('Numele petentului').fill('Ana Petrescu');
      await page.getByLabel('Telefon de contact').fill('0744000111');
      await page.screenshot({ path: `${SHOTS}/intake-2-quarantine-detail.png`, fullPage: true });
      await page.getByRole('button', { name: 'Înregistrează reclamația' }).click();
      await page.waitForURL(/\/cases\/DEMO-\d{4}-\d{6}/);
      const number = /DEMO-\d{4}-\d{6}/.exec(page.url())![0];
      const [c] = await t.db.select().from(cases).where(eq(cases.number, number));
      expect(c).toMatchObject({ channel: 'email', contactName: 'Ana Petrescu' });

      await page.goto(`${BASE}/intake/quarantine`);
      await page.getByRole('row').filter({ hasText: 'Test' }).getByRole('link').click();
      await page.getByLabel('Motivul').fill('Mesaj de test trimis de echipa IT.');
      await page.getByRole('button', { name: 'Marchează ca tratat' }).click();
      await page.waitForURL(/\/intake\/quarantine\?status=open/);
      await page.getByText('Niciun mesaj de tratat în carantină.').waitFor();
      const rows = await t.db
        .select()
        .from(mailQuarantine)
        .where(eq(mailQuarantine.tenantId, t.demoTenantId));
      expect(rows.map((r) => r.resolution).sort()).toEqual(['handled', 'registered']);
      expect(violations).toEqual({ list: [], detail: [] });
    },
  );

  it(
    'confirms the consumer with the candidate picker of the identify task',
    { timeout: 180_000 },
    async () => {
      // The e-mail check comes first (REG): done through the API, the picker is the point here.
      const headers = {
        authorization: `Bearer ${(await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: PASSWORD } })).json<{ token: string }>().token}`,
      };
      const taskOf = (key: string) =>
        eventually(async () =>
          (
            await t.engine.queryTasks(
              { tenantIdIn: [t.demoTenantId], processInstanceBusinessKey: identifyNumber },
              { firstResult: 0, maxResults: 20 },
            )
          ).find((x) => x.taskDefinitionKey === key),
        );
      const check = await taskOf('checkEmail');
      await t.app.inject({ method: 'POST', url: `/api/tasks/${check.id}/claim`, headers });
      const done = await t.app.inject({
        method: 'POST',
        url: `/api/tasks/${check.id}/complete`,
        headers,
        payload: { comment: 'Mesaj lizibil; petentul trebuie identificat.' },
      });
      expect(done.statusCode, done.body).toBe(200);
      const identify = await taskOf('identify');

      const page = await staffPage(browser, BASE, email);
      await page.goto(`${BASE}/inbox/tasks/${identify.id}`);
      await page.getByRole('heading', { name: 'Cine a trimis reclamația?' }).waitFor();
      const options = page.getByRole('radio');
      await expect.poll(() => options.count()).toBeGreaterThanOrEqual(2);
      const violations = await axeViolations(page);
      await page.screenshot({ path: `${SHOTS}/intake-3-candidate-picker.png`, fullPage: true });
      // Namesakes: the officer checks the address and picks the Mihai Viteazu one (1000818999).
      await page
        .getByRole('radio', { name: /1000818999/ })
        .first()
        .check();
      await page.getByRole('button', { name: 'Confirm clientul ales' }).click();
      await page.getByRole('status').filter({ hasText: 'Client confirmat: 1000818999' }).waitFor();
      await page.screenshot({ path: `${SHOTS}/intake-4-candidate-confirmed.png`, fullPage: true });
      const [c] = await t.db.select().from(cases).where(eq(cases.number, identifyNumber));
      expect(c!.customerId).not.toBeNull();
      await taskOf('triage');
      expect(violations).toEqual([]);
    },
  );
});
