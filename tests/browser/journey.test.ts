import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, browserSuite, reloadUntil } from '../helpers/browser.ts';

/**
 * The foundation's step 4 in a real browser (Debian's chromium): the agent registers a complaint during a call,
 * an officer analyses it and drafts the answer, the supervisor approves, and the consumer follows it online.
 */
describe('the complaint journey in the browser', () => {
  const web = browserSuite({ workers: true });

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
    const agent = await web.staffPage('agent@demo.local');
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
    await web.shot(agent, '1-call-center-form');
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
      web.base,
    ).searchParams.get('code');
    expect(code).toMatch(/^[A-Z2-7]{10}$/);
    violations['registered'] = await axeViolations(agent);
    await web.shot(agent, '2-call-center-registered');

    // Officer: classification (IL-06), the invoice check (IL-10), the analysis, then the draft answer.
    const officer = await web.staffPage('officer@demo.local');
    await web.openTask(officer, number!, 'Clasificarea și admisibilitatea reclamației');
    await claimAndComplete(officer, async () => {
      await officer.getByLabel('Admisibilă — se analizează').check();
      await officer
        .getByLabel('Motivare')
        .fill('Reclamație privind facturarea, cu datele clientului complete.');
    });
    await web.openTask(officer, number!, 'Verificarea facturii contestate');
    await claimAndComplete(officer, async () => {
      await officer
        .getByLabel('Rezultatul verificării')
        .fill('Prețul aplicat corespunde ofertei; consumul a fost estimat.');
      await officer.getByLabel('Prețul aplicat').check();
    });
    await web.openTask(officer, number!, 'Analiza reclamației și nota de constatare');
    violations['task'] = await axeViolations(officer);
    await web.shot(officer, '3-officer-task');
    await claimAndComplete(officer, () =>
      officer
        .getByLabel('Constatări (nota de constatare)')
        .fill('Factura a fost emisă pe index estimat; indexul real este 4120.'),
    );
    violations['inbox'] = await axeViolations(officer);
    await web.shot(officer, '4-officer-inbox');
    await web.openTask(officer, number!, 'Redactarea răspunsului către client');
    await claimAndComplete(officer, () =>
      officer
        .getByLabel('Răspunsul către client')
        .fill('Am refăcut factura pe indexul real; veți primi o factură de stornare de 612 lei.'),
    );

    // Supervisor: approves.
    const supervisor = await web.staffPage('supervisor@demo.local');
    await web.openTask(supervisor, number!, 'Aprobarea răspunsului');
    await claimAndComplete(supervisor, async () => {
      await supervisor.getByLabel('Aprob').check();
      await web.shot(supervisor, '5-supervisor-approval');
    });

    // Consumer: the public status page, no login, on a phone-sized screen.
    const consumer = await (
      await web.browser.newContext({ locale: 'ro-RO', viewport: { width: 390, height: 844 } })
    ).newPage();
    await consumer.goto(`${web.base}/status`);
    await consumer.getByLabel('Număr de înregistrare').fill(number!);
    await consumer.getByLabel('Cod de acces').fill(code!);
    await consumer.getByRole('button', { name: /Vezi|Caută|Urmăr/ }).click();
    // The answer's sending is a worker's job: the page shows it once done. The form's answer is a POST, so the
    // page is loaded again from the status link (the one the acknowledgement carries), not reloaded.
    const solved = async () => (await consumer.getByText('Soluționată').count()) > 0;
    if (!(await solved()))
      await reloadUntil(consumer, solved, {
        url: `${web.base}/status/${number}?code=${code}`,
        timeoutMs: 120_000,
        what: 'the case solved on the status page',
      });
    await web.shot(consumer, '6-consumer-status');
    await expect(consumer.getByText('Soluționată').first().isVisible()).resolves.toBe(true);
    await expect(consumer.getByText('Răspunsul a fost transmis prin e-mail.').isVisible()).resolves.toBe(
      true,
    );
    violations['status'] = await axeViolations(consumer);

    expect(violations).toEqual({ 'call-center': [], registered: [], task: [], inbox: [], status: [] });
  });
});
