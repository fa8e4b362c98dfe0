import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, staffPage } from '../helpers/browser.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';

const PORT = 3377 + Number(process.env.TEST_PORT_OFFSET ?? 0);
const BASE = `http://localhost:${PORT}`;
const SHOTS = 'test-results/screenshots';

/**
 * The foundation's step 4 in a real browser (Debian's chromium): the agent registers a complaint during a call,
 * an officer analyses it and drafts the answer, the supervisor approves, and the consumer follows it online.
 */
describe('the complaint journey in the browser', () => {
  let t: TestContext;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    t = await createTestContext({ workers: true, webPort: PORT });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function openTask(page: Page, number: string, taskName: string) {
    for (let i = 0; i < 120; i++) {
      await page.goto(`${BASE}/inbox?scope=groups`);
      const row = page.getByRole('row').filter({ hasText: number }).filter({ hasText: taskName });
      if ((await row.count()) > 0) {
        await row.first().getByRole('link', { name: taskName }).click();
        await page.waitForURL(/\/inbox\/tasks\//);
        return;
      }
      await page.waitForTimeout(500);
    }
    throw new Error(`task "${taskName}" of ${number} never reached the inbox`);
  }

  async function claimAndComplete(page: Page, fill: () => Promise<void>) {
    await page.getByRole('button', { name: 'Preiau sarcina' }).click();
    await page.getByRole('button', { name: 'Finalizez sarcina' }).waitFor();
    await fill();
    await page.getByRole('button', { name: 'Finalizez sarcina' }).click();
    await page.waitForURL(/\/inbox(\?|$)/);
  }

  it('agent, officer, supervisor and consumer each do their part', { timeout: 240_000 }, async () => {
    const violations: Record<string, string[]> = {};

    // Call center: find the customer, pick the place, register, read the number back.
    const agent = await staffPage(browser, BASE, 'agent@demo.local');
    expect(new URL(agent.url()).pathname).toBe('/call-center');
    violations['call-center'] = await axeViolations(agent);
    await agent.getByLabel('Caută client').fill('Maria Ionescu');
    await agent.getByRole('button', { name: 'Caută' }).click();
    await agent.getByText('RO005E512345678').first().click();
    await agent.getByLabel('Categorie').selectOption({ label: 'Facturarea' });
    await agent.getByLabel('Subiect').fill('Factură estimată prea mare');
    await agent
      .getByLabel('Textul reclamației')
      .fill('Am primit o factură estimată de 900 lei, deși consumul real este mult mai mic.');
    await agent.getByLabel('E-mail de contact').fill('maria.browser@example.test');
    await agent.screenshot({ path: `${SHOTS}/1-call-center-form.png`, fullPage: true });
    await agent.getByRole('button', { name: 'Înregistrează reclamația' }).click();
    await agent.getByRole('heading', { name: 'Reclamația a fost înregistrată' }).waitFor();
    const confirmation = await agent.locator('body').innerText();
    const number = /DEMO-\d{4}-\d{6}/.exec(confirmation)?.[0];
    expect(number).toBeDefined();
    const code = new URL(
      (await agent
        .getByRole('link', { name: /\/status\// })
        .first()
        .getAttribute('href')) ?? '',
      BASE,
    ).searchParams.get('code');
    expect(code).toMatch(/^[A-Z2-7]{10}$/);
    violations['registered'] = await axeViolations(agent);
    await agent.screenshot({ path: `${SHOTS}/2-call-center-registered.png`, fullPage: true });

    // Officer: classification (IL-06), the invoice check (IL-10), the analysis, then the draft answer.
    const officer = await staffPage(browser, BASE, 'officer@demo.local');
    await openTask(officer, number!, 'Clasificarea și admisibilitatea reclamației');
    await claimAndComplete(officer, async () => {
      await officer.getByLabel('Admisibilă — se analizează').check();
      await officer
        .getByLabel('Motivare')
        .fill('Reclamație privind facturarea, cu datele clientului complete.');
    });
    await openTask(officer, number!, 'Verificarea facturii contestate');
    await claimAndComplete(officer, async () => {
      await officer
        .getByLabel('Rezultatul verificării')
        .fill('Prețul aplicat corespunde ofertei; consumul a fost estimat.');
      await officer.getByLabel('Prețul aplicat').check();
    });
    await openTask(officer, number!, 'Analiza reclamației și nota de constatare');
    violations['task'] = await axeViolations(officer);
    await officer.screenshot({ path: `${SHOTS}/3-officer-task.png`, fullPage: true });
    await claimAndComplete(officer, () =>
      officer
        .getByLabel('Constatări (nota de constatare)')
        .fill('Factura a fost emisă pe index estimat; indexul real este 4120.'),
    );
    violations['inbox'] = await axeViolations(officer);
    await officer.screenshot({ path: `${SHOTS}/4-officer-inbox.png`, fullPage: true });
    await openTask(officer, number!, 'Redactarea răspunsului către client');
    await claimAndComplete(officer, () =>
      officer
        .getByLabel('Răspunsul către client')
        .fill('Am refăcut factura pe indexul real; veți primi o factură de stornare de 612 lei.'),
    );

    // Supervisor: approves.
    const supervisor = await staffPage(browser, BASE, 'supervisor@demo.local');
    await openTask(supervisor, number!, 'Aprobarea răspunsului');
    await claimAndComplete(supervisor, async () => {
      await supervisor.getByLabel('Aprob').check();
      await supervisor.screenshot({ path: `${SHOTS}/5-supervisor-approval.png`, fullPage: true });
    });

    // Consumer: the public status page, no login, on a phone-sized screen.
    const consumer = await (
      await browser.newContext({ locale: 'ro-RO', viewport: { width: 390, height: 844 } })
    ).newPage();
    await consumer.goto(`${BASE}/status`);
    await consumer.getByLabel('Număr de înregistrare').fill(number!);
    await consumer.getByLabel('Cod de acces').fill(code!);
    await consumer.getByRole('button', { name: /Vezi|Caută|Urmăr/ }).click();
    for (let i = 0; i < 120 && !(await consumer.getByText('Soluționată').count()); i++) {
      await consumer.waitForTimeout(500);
      await consumer.reload();
    }
    await consumer.screenshot({ path: `${SHOTS}/6-consumer-status.png`, fullPage: true });
    await expect(consumer.getByText('Soluționată').first().isVisible()).resolves.toBe(true);
    await expect(consumer.getByText('Răspunsul a fost transmis prin e-mail.').isVisible()).resolves.toBe(
      true,
    );
    violations['status'] = await axeViolations(consumer);

    expect(violations).toEqual({ 'call-center': [], registered: [], task: [], inbox: [], status: [] });
  });
});
