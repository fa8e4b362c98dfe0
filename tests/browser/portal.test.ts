/// <reference lib="dom" />
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { storeDocument } from '../../server/documents/documents.repo.ts';
import { axeViolations, axeViolationsWithoutScripts, browserSuite, SHOTS } from '../helpers/browser.ts';
import { freshEmail, MARIA, PDF, PNG, waitForCode } from '../api/portal-helpers.ts';

const PHONE = { width: 390, height: 844 };
/** Form posts under a loaded shared machine can take a few seconds. */
const POLL = { timeout: 20_000, interval: 200 };

/** Nothing wider than the phone: no sideways scrolling. */
async function fitsThePhone(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
}

/**
 * The consumer's journey on a phone: pick the supplier, log in with the code from the real mailbox, link the
 * customer account, file a complaint with a photo, see it, download the answer, add information. Once with
 * JavaScript (axe-checked), once without (plain forms only).
 */
describe('the consumer portal in the browser', () => {
  const web = browserSuite();

  async function logIn(context: BrowserContext, email: string, js: boolean): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${web.base}/portal`);
    await page.getByRole('link', { name: /Demo Energie SA/ }).click();
    await page.waitForURL(`${web.base}/portal/DEMO/login`);
    await page.getByLabel('Adresa de e-mail').fill(email);
    await page.getByRole('button', { name: 'Trimiteți codul' }).click();
    await expect.poll(() => page.getByLabel('Codul din e-mail').count(), POLL).toBe(1);
    await page.getByRole('status').first().waitFor();
    expect(await page.getByRole('status').first().textContent()).toContain('cod de 6 cifre');
    if (js) {
      await web.shot(page, 'portal-02-code-phone');
      expect(await axeViolations(page)).toEqual([]);
      // A wrong code first: the message says what to do, the form stays.
      await page.getByLabel('Codul din e-mail').fill('000000');
      await page.getByRole('button', { name: 'Intrați' }).click();
      await expect.poll(() => page.getByRole('alert').textContent(), POLL).toContain('nu este corect');
    }
    const code = await waitForCode(email);
    await page.getByLabel('Codul din e-mail').fill(code);
    await page.getByRole('button', { name: 'Intrați' }).click();
    await page.waitForURL(`${web.base}/portal/DEMO`);
    return page;
  }

  it('with JavaScript, on a phone: log in, link, complain with a photo, download the answer, add information', async () => {
    const context = await web.browser.newContext({
      locale: 'ro-RO',
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
    });
    const start = await context.newPage();
    await start.goto(`${web.base}/portal`);
    await web.shot(start, 'portal-01-suppliers-phone');
    expect(await axeViolations(start)).toEqual([]);
    await start.close();

    const email = freshEmail('browser');
    const page = await logIn(context, email, true);
    await page.getByRole('heading', { name: 'Contul meu' }).first().waitFor();
    expect(await axeViolations(page)).toEqual([]);

    // Link the customer account: wrong data first, then right.
    await page.getByRole('link', { name: 'Asociați contul de client' }).first().click();
    await page.waitForURL(`${web.base}/portal/DEMO/link`);
    await page.getByLabel('Codul de client').fill(MARIA.customerCode);
    await page.getByLabel('Codul locului de consum (POD sau CLC)').fill(MARIA.placeCode);
    // Both second factors are needed: with the contract number alone the form says what is missing.
    await page.getByLabel('Numărul contractului').fill(MARIA.contractNumber);
    await page.getByLabel('Seria contorului').fill('');
    await page.getByLabel('Seria contorului').evaluate((el) => el.removeAttribute('required'));
    await page.getByRole('button', { name: 'Asociați' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent(), POLL)
      .toContain('Completați seria contorului.');
    // One factor wrong: the one answer every failure gets.
    await page.getByLabel('Numărul contractului').fill('E-1/2000');
    await page.getByLabel('Seria contorului').fill(MARIA.meterSerial);
    await page.getByRole('button', { name: 'Asociați' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent(), POLL)
      .toContain('Nu am putut asocia contul de client.');
    await web.shot(page, 'portal-03-link-error-phone');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Numărul contractului').fill(MARIA.contractNumber);
    await page.getByRole('button', { name: 'Asociați' }).click();
    await page.waitForURL(`${web.base}/portal/DEMO?asociat=1`);
    await page.getByText('RO005E512345678').first().waitFor();
    await web.shot(page, 'portal-04-home-phone');
    expect(await fitsThePhone(page)).toBe(true);

    // A complaint with a photo.
    await page.getByRole('link', { name: 'Reclamație nouă' }).first().click();
    await page.waitForURL(`${web.base}/portal/DEMO/complaints/new`);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel(/Locul de consum RO005E512345678/).check();
    await page.getByLabel('Categoria').selectOption('facturare');
    await page.getByLabel('Subiectul').fill('Factură estimată greșit');
    await page
      .getByLabel('Descrierea')
      .fill('Factura din noiembrie are un index estimat mult peste cel real; atașez fotografia contorului.');
    // The file input in Romanian: a button-styled label, the chosen files (none yet) listed in words.
    const files = page.getByLabel(/Fotografii și documente/);
    await page.getByText('Niciun fișier ales').waitFor();
    expect(await page.locator('label.file-button').innerText()).toBe('Alegeți fișierele');
    expect(await files.evaluate((el) => getComputedStyle(el).display)).not.toBe('none');
    // The keyboard reaches the native input itself (Tab from the field before it); the focus ring shows on
    // the button that stands for it.
    await page.getByLabel(/^Telefon/).focus();
    await page.keyboard.press('Tab');
    expect(await files.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await page.locator('label.file-button').evaluate((el) => getComputedStyle(el).outlineStyle)).toBe(
      'solid',
    );
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('label.file-button').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/portal-05a-file-picker-focus-phone.png` });
    await files.setInputFiles({ name: 'contor.png', mimeType: 'image/png', buffer: PNG });
    await page.getByRole('list', { name: 'Fișiere alese' }).first().waitFor();
    expect(await page.getByRole('list', { name: 'Fișiere alese' }).first().textContent()).toContain(
      'contor.png',
    );
    await web.shot(page, 'portal-05-new-complaint-phone');
    await page.getByRole('button', { name: 'Trimiteți reclamația' }).click();
    await page.waitForURL(/\/portal\/DEMO\/complaints\/DEMO-\d{4}-\d{6}\?trimisa=1$/);
    const number = /complaints\/(DEMO-\d{4}-\d{6})/.exec(page.url())![1]!;
    await page.getByRole('status').first().waitFor();
    expect(await page.getByRole('status').first().textContent()).toContain(number);
    await page.getByRole('list', { name: 'Fișiere atașate' }).first().waitFor();
    expect(await page.getByRole('list', { name: 'Fișiere atașate' }).first().textContent()).toContain(
      'contor.png',
    );
    await page.getByRole('list', { name: 'Fișiere atașate' }).first().waitFor();
    expect(await page.getByRole('list', { name: 'Fișiere atașate' }).first().textContent()).toContain(
      'imagine PNG',
    );
    expect(await fitsThePhone(page)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await web.shot(page, 'portal-06-case-phone');

    // The answer letter appears among the documents and downloads as stored.
    const [c] = await web.t.db.execute<{ id: string }>(sql`select id from cases where number = ${number}`);
    await storeDocument(web.t.db, {
      tenantId: web.t.demoTenantId,
      caseId: c!.id,
      kind: 'answer_letter',
      fileName: `raspuns-${number}.pdf`,
      content: PDF,
      sha256: createHash('sha256').update(PDF).digest('hex'),
    });
    await page.reload();
    const link = page.getByRole('link', { name: 'Răspunsul la reclamație' });
    await link.first().waitFor();
    const pdf = await page.request.get(new URL((await link.getAttribute('href'))!, web.base).toString());
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect(Buffer.compare(await pdf.body(), PDF)).toBe(0);

    // Add information.
    await page.getByLabel('Mesajul dumneavoastră').fill('Am găsit și factura anterioară, cu indexul corect.');
    const infoFiles = page.locator('#info-files');
    await infoFiles.setInputFiles({
      name: 'factura-anterioara.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    const infoChosen = page.locator('#info-files-chosen');
    await expect.poll(() => infoChosen.innerText()).toContain('factura-anterioara.pdf');
    await page.getByRole('button', { name: 'Trimiteți', exact: true }).click();
    await expect.poll(() => page.getByText('Informațiile au fost atașate la dosar').count(), POLL).toBe(1);
    expect(await page.getByRole('status').filter({ hasText: 'atașate la dosar' }).innerText()).toBe(
      'Informațiile au fost atașate la dosar (un fișier).',
    );
    // The sent form is emptied, and the list of chosen files with it.
    await expect.poll(() => infoChosen.innerText(), POLL).toBe('Niciun fișier ales');
    await page.getByText('Ați transmis informații suplimentare prin portal').first().waitFor();
    await web.shot(page, 'portal-07-information-added-phone');

    // Once the answer went out, the consumer may contest it: a new case, linked.
    await web.t.db.execute(sql`update cases set status = 'answer_sent' where number = ${number}`);
    await page.reload();
    await page
      .getByLabel('Ce nu este corect în răspuns')
      .fill('Răspunsul nu ține cont de fotografia indexului.');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Contestați răspunsul' }).click();
    await page.waitForURL(
      (u) => /\/complaints\/DEMO-\d{4}-\d{6}$/.test(u.pathname) && !u.pathname.endsWith(number),
    );
    await page.getByText(`Contestație la răspunsul dat reclamației nr. ${number}.`).waitFor();
    await web.shot(page, 'portal-11-contestation-phone');

    // The same page on a desktop screen.
    await page.setViewportSize({ width: 1280, height: 900 });
    await web.shot(page, 'portal-10-case-desktop');
    expect(await axeViolations(page)).toEqual([]);

    // Logging out ends the session.
    await page.getByRole('button', { name: 'Ieșire' }).click();
    await page.waitForURL(`${web.base}/portal/DEMO/login`);
    await page.goto(`${web.base}/portal/DEMO/complaints/${number}`);
    await page.waitForURL(`${web.base}/portal/DEMO/login`);
    await context.close();
  });

  it('without JavaScript: every step is a plain form', async () => {
    const context = await web.browser.newContext({
      locale: 'ro-RO',
      viewport: PHONE,
      javaScriptEnabled: false,
    });
    const email = freshEmail('fara-js');
    const page = await logIn(context, email, false);
    await page.getByRole('link', { name: 'Asociați contul de client' }).first().click();
    await page.getByLabel('Codul de client').fill(MARIA.customerCode);
    await page.getByLabel('Codul locului de consum (POD sau CLC)').fill(MARIA.placeCode);
    await page.getByLabel('Numărul contractului').fill(MARIA.contractNumber);
    await page.getByLabel('Seria contorului').fill(MARIA.meterSerial);
    await page.getByRole('button', { name: 'Asociați' }).click();
    await page.waitForURL(`${web.base}/portal/DEMO?asociat=1`);

    await page.getByRole('link', { name: 'Reclamație nouă' }).first().click();
    // A file of a type we do not take: the form comes back with the message and the text kept.
    await page.getByLabel('Categoria').selectOption('grup_masurare');
    await page.getByLabel('Subiectul').fill('Contor defect');
    await page.getByLabel('Descrierea').fill('Afișajul contorului este stins de trei zile.');
    await page.getByLabel(/Fotografii și documente/).setInputFiles({
      name: 'poza.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.from('nu este o fotografie'),
    });
    await page.getByRole('button', { name: 'Trimiteți reclamația' }).click();
    await page.getByRole('alert').first().waitFor();
    expect(await page.getByRole('alert').first().textContent()).toContain(
      'Fișierul „poza.jpg” nu este de un tip acceptat',
    );
    expect(await page.getByLabel('Subiectul').inputValue()).toBe('Contor defect');
    await web.shot(page, 'portal-08-bad-file-nojs');
    // A file past 10 MB: the API refuses it while the page still passes the form on (nothing held whole on the
    // way), and the form comes back the same way.
    await page.getByLabel(/Fotografii și documente/).setInputFiles({
      name: 'scanare.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(11 * 1024 * 1024, 0x41)]),
    });
    await page.getByRole('button', { name: 'Trimiteți reclamația' }).click();
    await page.getByText('Un fișier depășește 10 MB.').first().waitFor();
    expect(await page.getByLabel('Subiectul').inputValue()).toBe('Contor defect');
    expect(await page.getByLabel('Descrierea').inputValue()).toBe(
      'Afișajul contorului este stins de trei zile.',
    );
    // Without JavaScript the Romanian button stands in for the browser's own; the input shows what was chosen.
    await page.getByText('Alegeți fișierele').waitFor();
    await page
      .getByLabel(/Fotografii și documente/)
      .setInputFiles({ name: 'contor.png', mimeType: 'image/png', buffer: PNG });
    expect(await axeViolationsWithoutScripts(page)).toEqual([]);
    await page.locator('label.file-button').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/portal-08a-file-chosen-nojs.png` });
    await page.getByRole('button', { name: 'Trimiteți reclamația' }).click();
    await page.waitForURL(/\/portal\/DEMO\/complaints\/DEMO-\d{4}-\d{6}\?trimisa=1$/);
    await page.getByRole('list', { name: 'Fișiere atașate' }).first().waitFor();
    expect(await page.getByRole('list', { name: 'Fișiere atașate' }).first().textContent()).toContain(
      'contor.png',
    );

    await page.getByLabel('Mesajul dumneavoastră').fill('Completare trimisă fără JavaScript.');
    await page.getByRole('button', { name: 'Trimiteți', exact: true }).click();
    await page.getByText('Informațiile au fost atașate la dosar').first().waitFor();
    await page.getByText('Completare trimisă fără JavaScript.').first().waitFor();
    await web.shot(page, 'portal-09-case-nojs');

    // The consumer's session opens no staff page.
    await page.goto(`${web.base}/inbox`);
    await page.waitForURL((u) => u.pathname === '/login');
    await context.close();
  });
});
