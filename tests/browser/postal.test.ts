import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCase, demoCustomer } from '../factories/index.ts';
import { axeViolations, browserSuite } from '../helpers/browser.ts';
import { waitFor } from '../helpers/wait.ts';

const SLOW = { timeout: 30_000 };

interface Dispatch {
  id: number;
  caseNumber: string;
  dispatchedAt: string | null;
  postalReference: string | null;
  deliveredAt: string | null;
  proofOfDelivery: string | null;
}

/**
 * The officer who posts the letters: a consumer without e-mail complains by phone, the acknowledgement is queued
 * as a PDF letter; the officer downloads it, records the registered-mail number (a wrong entry is refused in
 * Romanian by the server) and later the signed return receipt. Axe-clean, desktop and phone screenshots.
 */
describe('the postal dispatch register in the browser', () => {
  let number: string;

  const web = browserSuite({ workers: true, taskEvents: false });

  beforeAll(async () => {
    const agent = await web.t.login('agent@demo.local');
    // A customer on file without an e-mail address: every letter goes by post.
    const reg = await createCase(web.t, {
      as: agent,
      customer: await demoCustomer(web.t, '2000456789'),
      place: null,
      category: 'informare_clienti',
      subject: 'Nu am primit notificarea de preț',
      body: 'Nu am fost informat despre modificarea prețului din luna trecută.',
    });
    number = reg.number;
    await waitFor(async () => (await dispatches()).find((d) => d.caseNumber === number));
  });

  async function dispatches(): Promise<Dispatch[]> {
    const officer = await web.t.login('officer@demo.local');
    return (await web.t.app.inject({ method: 'GET', url: '/api/postal-dispatches', headers: officer })).json<{
      items: Dispatch[];
    }>().items;
  }

  /** Lets the server's own checks answer: the browser would otherwise stop the form before sending it. */
  const withoutBrowserChecks = (page: Page) =>
    page.evaluate(() => document.querySelectorAll('form').forEach((f) => (f.noValidate = true)));

  it('records the dispatch and the delivery of a letter', { timeout: 180_000 }, async () => {
    const violations: Record<string, string[]> = {};
    const page = await web.staffPage('officer@demo.local', SLOW);
    await page
      .getByRole('navigation', { name: 'Navigare principală' })
      .getByRole('link', { name: 'Poștă' })
      .click();
    await page.getByRole('heading', { name: 'Corespondență poștală', level: 1 }).waitFor();
    const letter = page.getByRole('listitem').filter({ hasText: number });
    await letter.getByRole('heading', { name: `Confirmare de înregistrare · ${number}` }).waitFor();
    await letter.getByText('De trimis', { exact: true }).waitFor();
    expect(await letter.getByText('Gheorghe Dumitrescu').count()).toBe(1);

    // The PDF behind the download link is the stored letter.
    const href = await letter.getByRole('link', { name: /Descarcă scrisoarea/ }).getAttribute('href');
    const pdf = await page.request.get(`${web.base}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    violations.pending = await axeViolations(page);
    await web.shot(page, 'postal-1-pending');

    // A reference too short and a day still to come are refused by the server, in Romanian; nothing is saved.
    await withoutBrowserChecks(page);
    await letter.getByLabel('Numărul trimiterii recomandate sau referința curierului').fill('RR');
    await letter.getByRole('button', { name: 'Înregistrez expedierea' }).click();
    await letter.getByRole('alert').filter({ hasText: 'cel puțin 3 caractere' }).waitFor();
    await withoutBrowserChecks(page);
    await letter.getByLabel('Data expedierii').fill('2099-01-01');
    await letter.getByLabel('Numărul trimiterii recomandate sau referința curierului').fill('RR123456789RO');
    await letter.getByRole('button', { name: 'Înregistrez expedierea' }).click();
    await letter.getByRole('alert').filter({ hasText: 'Data nu poate fi în viitor.' }).waitFor();
    violations.error = await axeViolations(page);
    await web.shot(page, 'postal-2-error');
    expect((await dispatches()).find((d) => d.caseNumber === number)?.dispatchedAt).toBeNull();

    // Sent today: the letter leaves the "to post" list.
    const today = await letter.getByLabel('Data expedierii').getAttribute('max');
    await letter.getByLabel('Data expedierii').fill(today!);
    await letter.getByRole('button', { name: 'Înregistrez expedierea' }).click();
    await page.getByRole('status').filter({ hasText: 'Expedierea a fost înregistrată.' }).waitFor();
    await waitFor(async () => (await letter.count()) === 0);

    // Later the return receipt comes back: recorded from the whole register.
    await page.getByRole('link', { name: 'Toate scrisorile' }).click();
    await letter.getByText('Trimisă, fără confirmare de primire').waitFor();
    expect(await letter.getByText('RR123456789RO').count()).toBe(1);
    await letter.getByLabel(/Dovada primirii/).fill('Confirmare de primire semnată, 2 pagini');
    await letter.getByRole('button', { name: 'Înregistrez primirea' }).click();
    await page.getByRole('status').filter({ hasText: 'Primirea a fost înregistrată.' }).waitFor();
    await letter.getByText('Primită', { exact: true }).waitFor();
    violations.all = await axeViolations(page);
    await web.shot(page, 'postal-3-register');

    const row = (await dispatches()).find((d) => d.caseNumber === number)!;
    expect(row).toMatchObject({
      postalReference: 'RR123456789RO',
      proofOfDelivery: 'Confirmare de primire semnată, 2 pagini',
    });
    expect(row.dispatchedAt!.slice(0, 10)).toBe(today);
    expect(row.deliveredAt).not.toBeNull();

    // On a phone.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    violations.phone = await axeViolations(page);
    await web.shot(page, 'postal-4-phone');

    // The page is for the people who post letters: an agent is refused.
    const agent = await web.staffPage('agent@demo.local', SLOW);
    expect((await agent.goto(`${web.base}/postal`))?.status()).toBe(403);

    expect(violations).toEqual({ pending: [], error: [], all: [], phone: [] });
  });
});
