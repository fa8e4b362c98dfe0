import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dueDate as legalDueDate } from '../../server/deadlines/calendar.ts';
import { axeViolations, launchBrowser, staffPage } from '../helpers/browser.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';

const PORT = 3391 + Number(process.env.TEST_PORT_OFFSET ?? 0);
const BASE = `http://localhost:${PORT}`;

/**
 * IL-06 on the task page in Chromium: the officer sees the case's category, customer type and energy preselected,
 * changes the category with a reason, and the case's category and due date change.
 */
describe('the triage form in the browser', () => {
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

  /** Registers a billing complaint through the call center and opens its triage task, claimed by the officer. */
  async function openTriage() {
    const agent = await t.login('agent@demo.local');
    const customer = (
      await t.app.inject({ method: 'GET', url: '/api/customers?q=RO005E512345678', headers: agent })
    ).json<{ items: Array<{ id: string; places: Array<{ id: string }> }> }>().items[0]!;
    const reg = (
      await t.app.inject({
        method: 'POST',
        url: '/api/complaints',
        headers: agent,
        payload: {
          customerId: customer.id,
          placeId: customer.places[0]!.id,
          category: 'facturare',
          subject: 'Tensiune scăzută',
          body: 'Seara tensiunea scade și aparatele se opresc.',
        },
      })
    ).json<{ number: string; registeredOn: string; dueDate: string }>();

    const officer = await staffPage(browser, BASE, 'officer@demo.local');
    const name = 'Clasificarea și admisibilitatea reclamației';
    let found = false;
    for (let i = 0; i < 120 && !found; i++) {
      await officer.goto(`${BASE}/inbox?scope=groups`);
      const row = officer.getByRole('row').filter({ hasText: reg.number }).filter({ hasText: name });
      if ((await row.count()) > 0) {
        await row.first().getByRole('link', { name }).click();
        await officer.waitForURL(/\/inbox\/tasks\//);
        found = true;
      } else await officer.waitForTimeout(500);
    }
    expect(found).toBe(true);
    await officer.getByRole('button', { name: 'Preiau sarcina' }).click();
    await officer.getByRole('button', { name: 'Finalizez sarcina' }).waitFor();
    return { agent, reg, officer };
  }

  it('reclassifies a billing complaint as quality of supply', { timeout: 180_000 }, async () => {
    const { agent, reg, officer } = await openTriage();

    const category = officer.getByLabel('Categoria (Ordinul ANRE nr. 16/2015)');
    expect(await category.inputValue()).toBe('facturare');
    expect(await officer.getByLabel('Tipul clientului').inputValue()).toBe('household');
    expect(await officer.getByLabel('Energia').inputValue()).toBe('electricity');
    expect(await axeViolations(officer)).toEqual([]);

    await category.selectOption({ label: 'Calitatea energiei furnizate' });
    await officer.getByLabel('Admisibilă — se analizează').check();
    await officer.getByLabel('Motivare').fill('Clientul reclamă scăderi de tensiune, nu factura.');
    await officer.getByRole('button', { name: 'Finalizez sarcina' }).click();
    await officer.waitForURL(/\/inbox(\?|$)/);

    const c = (
      await t.app.inject({ method: 'GET', url: `/api/complaints/${reg.number}`, headers: agent })
    ).json<{ category: string; dueDate: string }>();
    expect(c.category).toBe('calitate_energie');
    expect(c.dueDate).toBe(legalDueDate(reg.registeredOn, { days: 30, unit: 'calendar' }));
    expect(c.dueDate).not.toBe(reg.dueDate);
  });

  it(
    'an incomplete complaint asks the consumer in words written for them, apart from the internal reason',
    { timeout: 180_000 },
    async () => {
      const { agent, reg, officer } = await openTriage();
      const missing = officer.getByLabel('Ce trebuie să completeze consumatorul (se trimite consumatorului)');
      expect(await missing.getAttribute('required')).toBeNull();
      await officer.getByLabel('Incompletă — se cer completări clientului').check();
      // Required once the outcome is incomplete: the browser keeps the form until it is filled in.
      expect(await missing.getAttribute('required')).not.toBeNull();
      await officer.getByLabel('Motivare').fill('Intern: lipsește factura, clientul pare grăbit.');
      expect(await axeViolations(officer)).toEqual([]);
      await missing.fill('Numărul și data facturii pe care o contestați.');
      await officer.getByRole('button', { name: 'Finalizez sarcina' }).click();
      await officer.waitForURL(/\/inbox(\?|$)/);

      const c = (
        await t.app.inject({ method: 'GET', url: `/api/complaints/${reg.number}`, headers: agent })
      ).json<{ events: Array<{ type: string; visibility: string; message: string }> }>();
      expect(c.events).toContainEqual(
        expect.objectContaining({
          type: 'missing_information',
          message: 'Numărul și data facturii pe care o contestați.',
        }),
      );
    },
  );
});
