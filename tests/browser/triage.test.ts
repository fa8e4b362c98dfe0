import { describe, expect, it } from 'vitest';
import { dueDate as legalDueDate } from '../../server/deadlines/calendar.ts';
import { createCase } from '../factories/index.ts';
import { axeViolations, browserSuite } from '../helpers/browser.ts';

/**
 * IL-06 on the task page in Chromium: the officer sees the case's category, customer type and energy preselected,
 * changes the category with a reason, and the case's category and due date change.
 */
describe('the triage form in the browser', () => {
  const web = browserSuite({ workers: true });

  /** Registers a billing complaint through the call center and opens its triage task, claimed by the officer. */
  async function openTriage() {
    const agent = await web.t.login('agent@demo.local');
    const reg = await createCase(web.t, {
      as: agent,
      subject: 'Tensiune scăzută',
      body: 'Seara tensiunea scade și aparatele se opresc.',
    });
    const officer = await web.staffPage('officer@demo.local');
    await web.openTask(officer, reg.number, 'Clasificarea și admisibilitatea reclamației', { claim: true });
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
      await web.t.app.inject({ method: 'GET', url: `/api/complaints/${reg.number}`, headers: agent })
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
        await web.t.app.inject({ method: 'GET', url: `/api/complaints/${reg.number}`, headers: agent })
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
