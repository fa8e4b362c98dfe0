import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, browserSuite } from '../helpers/browser.ts';
import { readMailbox } from '../helpers/mailbox.ts';
import { waitFor } from '../helpers/wait.ts';

const SLOW = { timeout: 25_000 };

/**
 * The admin creates a colleague's account in the browser; the colleague opens the e-mailed link in a browser
 * without JavaScript, chooses a password (refused first when too short or not confirmed) and logs in; the admin
 * then deactivates the account, which ends the colleague's session at once.
 */
describe('staff accounts in the browser', () => {
  const web = browserSuite({ taskEvents: false });

  /** Lets the server's own checks answer: the browser would otherwise stop the form before sending it. */
  async function withoutBrowserChecks(page: Page) {
    await page.evaluate(() => {
      for (const el of document.querySelectorAll('input')) {
        el.removeAttribute('minlength');
        el.removeAttribute('required');
      }
    });
  }

  it(
    'admin creates an account, the person sets a password without JavaScript and logs in',
    { timeout: 400_000 },
    async () => {
      const violations: Record<string, string[]> = {};
      const email = `elena-${Date.now()}@demo.local`;

      const admin = await web.staffPage('admin@demo.local', SLOW);
      await admin
        .getByRole('navigation', { name: 'Secțiunile administrării' })
        .getByRole('link', { name: 'Utilizatori' })
        .click();
      await admin.getByRole('heading', { name: 'Utilizatori', level: 1 }).waitFor();
      expect(await admin.getByRole('link', { name: 'Utilizatori' }).getAttribute('aria-current')).toBe(
        'page',
      );
      // The seeded staff are listed, the admin's own card has no "deactivate".
      await admin.getByRole('heading', { name: /Adrian Admin \(dumneavoastră\)/ }).waitFor();
      expect(await admin.getByText('Dezactivează contul lui Ana Agent', { exact: true }).count()).toBe(1);
      expect(await admin.getByText('Dezactivează contul lui Adrian Admin', { exact: true }).count()).toBe(0);
      violations.list = await axeViolations(admin);

      const create = admin.getByRole('form', { name: 'Adaugă un utilizator' });
      await create.getByLabel('Numele și prenumele').fill('Elena Mureșan');
      await create.getByLabel('Adresa de e-mail').fill(email);
      await create.getByLabel(/Responsabil reclamații/).check();
      await create.getByRole('button', { name: 'Creează contul și trimite linkul' }).click();
      await admin
        .getByRole('status')
        .filter({
          hasText: `Contul lui Elena Mureșan a fost creat. Linkul pentru alegerea parolei a fost trimis la ${email}`,
        })
        .waitFor();
      const card = admin
        .getByRole('listitem')
        .filter({ has: admin.getByRole('heading', { name: 'Elena Mureșan' }) });
      await card.getByText('Link trimis, valabil până la').waitFor();
      await card.getByText('niciuna înregistrată').waitFor();
      await web.shot(admin, 'users-1-created');

      // The same address again: refused, with the form kept.
      await create.getByLabel('Numele și prenumele').fill('Elena Dublură');
      await create.getByLabel('Adresa de e-mail').fill(email.toUpperCase());
      await create.getByLabel(/Agent call center/).check();
      await create.getByRole('button', { name: 'Creează contul și trimite linkul' }).click();
      await admin
        .getByRole('alert')
        .filter({ hasText: 'Adresa de e-mail este deja folosită de un alt cont.' })
        .waitFor();
      expect(await create.getByLabel('Numele și prenumele').inputValue()).toBe('Elena Dublură');
      violations.createError = await axeViolations(admin);

      // The link from the real mailbox, opened in a browser without JavaScript.
      const mail = await waitFor(async () => (await readMailbox(email))[0]);
      const link = /http:\/\/localhost:\d+\/account\/password\?token=[a-z2-7]{32}/.exec(mail.text ?? '')?.[0];
      expect(link).toBeDefined();
      expect(link!.startsWith(`${web.base}/account/password`)).toBe(true);
      // The e-mail as a mail client would show it.
      const mailView = await (await web.browser.newContext({ locale: 'ro-RO' })).newPage();
      await mailView.setContent(typeof mail.html === 'string' ? mail.html : '');
      await mailView.getByText('Bun venit, Elena Mureșan').waitFor();
      await web.shot(mailView, 'users-0-invitation-mail');
      await mailView.context().close();

      // axe needs a script on the page: the same page, checked in a browser with JavaScript (a refused
      // password leaves the link usable).
      const withJs = await (await web.browser.newContext({ locale: 'ro-RO' })).newPage();
      await withJs.goto(link!);
      await withJs.getByRole('heading', { name: 'Alegeți parola', level: 1 }).waitFor();
      violations.password = await axeViolations(withJs);
      await withJs.getByLabel('Parola nouă', { exact: true }).fill('Brazi verzi pe Ceahlău');
      await withJs.getByLabel('Confirmați parola').fill('Brazi verzi pe Ceahlău!');
      await withJs.getByRole('button', { name: 'Salvează parola' }).click();
      await withJs.getByRole('alert').filter({ hasText: 'Parola și confirmarea ei nu coincid.' }).waitFor();
      violations.passwordError = await axeViolations(withJs);
      await withJs.context().close();

      const ctx = await web.browser.newContext({ locale: 'ro-RO', javaScriptEnabled: false });
      ctx.setDefaultTimeout(SLOW.timeout);
      const person = await ctx.newPage();
      await person.goto(link!);
      await person.getByRole('heading', { name: 'Alegeți parola', level: 1 }).waitFor();
      await person.getByText('Contul lui Elena Mureșan').waitFor();
      await person.getByText('cel puțin 12 caractere').waitFor();
      await web.shot(person, 'users-2-choose-password');

      await withoutBrowserChecks(person);
      await person.getByLabel('Parola nouă', { exact: true }).fill('scurtă');
      await person.getByLabel('Confirmați parola').fill('scurtă');
      await person.getByRole('button', { name: 'Salvează parola' }).click();
      await person
        .getByRole('alert')
        .filter({ hasText: 'Parola trebuie să aibă cel puțin 12 caractere.' })
        .waitFor();
      expect(await person.getByLabel('Parola nouă', { exact: true }).getAttribute('aria-invalid')).toBe(
        'true',
      );

      await person.getByLabel('Parola nouă', { exact: true }).fill('Brazi verzi pe Ceahlău');
      await person.getByLabel('Confirmați parola').fill('Brazi verzi pe Ceahlau');
      await person.getByRole('button', { name: 'Salvează parola' }).click();
      await person.getByRole('alert').filter({ hasText: 'Parola și confirmarea ei nu coincid.' }).waitFor();
      await web.shot(person, 'users-3-mismatch');

      await person.getByLabel('Parola nouă', { exact: true }).fill('Brazi verzi pe Ceahlău');
      await person.getByLabel('Confirmați parola').fill('Brazi verzi pe Ceahlău');
      await person.getByRole('button', { name: 'Salvează parola' }).click();
      await person.getByRole('status').filter({ hasText: 'Parola a fost salvată.' }).waitFor();
      await web.shot(person, 'users-4-password-set');

      // The link is spent.
      await person.goto(link!);
      await person.getByRole('alert').filter({ hasText: 'a fost deja folosit' }).waitFor();

      // Log in with the new password (still without JavaScript): an officer lands in the inbox.
      await person.goto(`${web.base}/login`);
      await person.getByLabel('Adresă de e-mail').fill(email);
      await person.getByLabel('Parolă').fill('Brazi verzi pe Ceahlău');
      await person.getByRole('button', { name: 'Autentificare' }).click();
      await person.waitForURL((u) => u.pathname === '/inbox');

      // The admin sees the login and deactivates the account: the person's session ends at once.
      await admin.reload();
      await card.getByText('Ultima autentificare').waitFor();
      expect(await card.getByText('niciuna înregistrată').count()).toBe(0);
      // Deactivation asks first: the question names what happens, "Renunț" leaves the account as it was.
      await card.getByText('Dezactivează contul lui Elena Mureșan', { exact: true }).click();
      await card.getByText('Sesiunile lui Elena Mureșan se închid imediat').waitFor();
      await card.getByRole('button', { name: 'Renunț' }).click();
      await card.getByText('Sesiunile lui Elena Mureșan se închid imediat').waitFor({ state: 'hidden' });
      await card.getByText('Dezactivează contul lui Elena Mureșan', { exact: true }).click();
      violations.confirm = await axeViolations(admin);
      await web.shot(admin, 'users-4b-confirm-deactivation');
      await card.getByRole('button', { name: 'Da, dezactivează contul lui Elena Mureșan' }).click();
      await admin
        .getByRole('status')
        .filter({ hasText: 'Contul lui Elena Mureșan a fost dezactivat' })
        .waitFor();
      await card.getByText('Dezactivat', { exact: true }).waitFor();
      await web.shot(admin, 'users-5-deactivated');
      await person.goto(`${web.base}/inbox`);
      expect(new URL(person.url()).pathname).toBe('/login');

      // Roles through the disclosure, with the keyboard.
      await card.getByRole('button', { name: 'Reactivează contul lui Elena Mureșan' }).click();
      await admin.getByRole('status').filter({ hasText: 'este din nou activ' }).waitFor();
      await card.getByText('Modifică rolurile').focus();
      await admin.keyboard.press('Enter');
      await card
        .getByRole('group', { name: 'Rolurile lui Elena Mureșan' })
        .getByLabel('Șef serviciu')
        .check();
      await card.getByRole('button', { name: 'Salvează rolurile pentru Elena Mureșan' }).click();
      await admin
        .getByRole('status')
        .filter({ hasText: 'Rolurile lui Elena Mureșan au fost salvate.' })
        .waitFor();
      await card.getByText('Responsabil reclamații, Șef serviciu').waitFor();
      violations.afterActions = await axeViolations(admin);

      // On a phone.
      const phone = await web.staffPage('admin@demo.local', {
        ...SLOW,
        viewport: { width: 390, height: 844 },
      });
      await phone.goto(`${web.base}/admin/users`);
      violations.phone = await axeViolations(phone);
      await web.shot(phone, 'users-6-phone');

      // Other roles have no such page.
      const officer = await web.staffPage('officer@demo.local', SLOW);
      expect((await officer.goto(`${web.base}/admin/users`))?.status()).toBe(403);

      expect(violations).toEqual({
        list: [],
        createError: [],
        password: [],
        passwordError: [],
        confirm: [],
        afterActions: [],
        phone: [],
      });
    },
  );
});
