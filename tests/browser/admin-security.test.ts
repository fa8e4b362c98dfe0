import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { totpCode } from '../../server/auth/totp.ts';
import { axeViolations, logIn, browserSuite } from '../helpers/browser.ts';
import { PASSWORD } from '../helpers/test-context.ts';

const SLOW = { timeout: 30_000 };
const ADMIN = 'admin@demo.local';
const COLLEAGUE = 'officer@demo.local';

/**
 * The admin's side of staff TOTP in the browser: the users page says who uses it and resets a colleague's (lost
 * phone) after a confirmation and a re-authentication; the new-account and mailbox forms come back from the
 * re-authentication as typed (never the password, which the page asks for again); the security page refuses a
 * session lifetime outside 1-24 hours in Romanian, keeps the choices across the re-authentication, and turning
 * TOTP on for all staff takes the admin (not enrolled) and then the colleague to enrolment; the same round trip
 * without JavaScript. axe on every step.
 */
describe('admin security in the browser', () => {
  const web = browserSuite({ taskEvents: false });

  /** Eleven minutes after the admin's sign-in, as far as the re-authentication window is concerned. */
  const signedInLongAgo = () =>
    web.t.db.execute(
      sql`update sessions set authenticated_at = now() - interval '11 minutes'
          where user_id = (select id from users where email = ${ADMIN})`,
    );

  /** The re-authentication page: its address carries only where to go back, never what was typed. */
  async function reauthenticate(page: Page, back: string, notInAddress: string[]) {
    await page.waitForURL((u) => u.pathname === '/account/reauth');
    await page.getByRole('heading', { name: 'Confirmați identitatea', level: 1 }).waitFor();
    const url = new URL(page.url());
    expect(url.searchParams.get('next')).toBe(back);
    for (const text of notInAddress) {
      expect(decodeURIComponent(page.url())).not.toContain(text);
    }
    await page.getByLabel('Parola').fill(PASSWORD);
    await page.getByRole('button', { name: 'Confirmă' }).click();
    await page.waitForURL((u) => u.pathname === back);
  }

  const draftCookies = async (page: Page) =>
    (await page.context().cookies()).filter((c) => c.name === 'reauth-draft');

  const auditCount = async (action: string) =>
    (
      (await web.t.db.execute(
        sql`select count(*)::int as n from audit_log where action = ${action} and tenant_id = ${web.t.demoTenantId}`,
      )) as unknown as Array<{ n: number }>
    )[0]!.n;

  it(
    "resets a colleague's TOTP, keeps forms across re-authentication and changes the security policy",
    { timeout: 420_000 },
    async () => {
      const violations: Record<string, string[]> = {};

      // The colleague uses TOTP (enrolled through the API) and has a session open.
      const colleague = await web.t.login(COLLEAGUE);
      const setup = await web.t.app.inject({
        method: 'POST',
        url: '/api/account/totp/setup',
        headers: colleague,
      });
      const { secret } = setup.json<{ secret: string }>();
      const confirmed = await web.t.app.inject({
        method: 'POST',
        url: '/api/account/totp/confirm',
        headers: colleague,
        payload: { code: totpCode(secret) },
      });
      expect(confirmed.statusCode).toBe(200);

      // 1. The users page says who uses TOTP; the reset is offered for the colleague only.
      const admin = await web.staffPage(ADMIN, SLOW);
      await admin.goto(`${web.base}/admin/users`);
      await admin.getByRole('heading', { name: 'Utilizatori', level: 1 }).waitFor();
      const cardOf = (name: string) =>
        admin.getByRole('listitem').filter({ has: admin.getByRole('heading', { name }) });
      const oana = cardOf('Oana Ofițer');
      const totpFact = (card: ReturnType<typeof cardOf>) =>
        card.locator('dt', { hasText: 'Autentificare în doi pași' }).locator('xpath=following-sibling::dd');
      expect(await totpFact(oana).textContent()).toBe('activă');
      expect(await totpFact(cardOf('Ana Agent')).textContent()).toBe('neconfigurată');
      const resetSummary = 'Resetează autentificarea în doi pași pentru Oana Ofițer';
      expect(await oana.getByText(resetSummary, { exact: true }).count()).toBe(1);
      expect(await admin.getByText(/^Resetează autentificarea în doi pași pentru/).count()).toBe(1);
      violations.users = await axeViolations(admin);

      // 2. The reset asks first, then (signed in more than 10 minutes ago) for the admin's password.
      await signedInLongAgo();
      await oana.getByText(resetSummary, { exact: true }).click();
      await oana.getByText('Resetați numai după ce ați verificat, direct cu persoana').waitFor();
      violations.resetQuestion = await axeViolations(admin);
      await web.shot(admin, 'admin-security-1-reset-question');
      await oana.getByRole('button', { name: 'Da, resetează pentru Oana Ofițer' }).click();
      await reauthenticate(admin, '/admin/users', []);
      // Back: the same question, open again, with a word on why.
      await admin
        .getByRole('status')
        .filter({ hasText: 'Confirmați din nou resetarea autentificării în doi pași pentru Oana Ofițer.' })
        .waitFor();
      await oana.getByRole('button', { name: 'Da, resetează pentru Oana Ofițer' }).waitFor();
      violations.resetAgain = await axeViolations(admin);
      await web.shot(admin, 'admin-security-2-reset-again');
      await oana.getByRole('button', { name: 'Da, resetează pentru Oana Ofițer' }).click();
      await admin
        .getByRole('status')
        .filter({
          hasText:
            'Autentificarea în doi pași a lui Oana Ofițer a fost resetată; o sesiune deschisă a fost închisă.',
        })
        .waitFor();
      await oana
        .getByRole('button', { name: 'Da, resetează pentru Oana Ofițer' })
        .waitFor({ state: 'detached' });
      expect(await totpFact(oana).textContent()).toBe('neconfigurată');
      expect(await admin.getByText(/^Resetează autentificarea în doi pași pentru/).count()).toBe(0);
      // Her session ended; the reset is audited once.
      expect(
        (await web.t.app.inject({ method: 'GET', url: '/api/auth/me', headers: colleague })).statusCode,
      ).toBe(401);
      expect(await auditCount('user.totp_reset_by_admin')).toBe(1);
      violations.resetDone = await axeViolations(admin);
      await web.shot(admin, 'admin-security-3-reset-done');

      // 3. A new account with roles needs the re-authentication too: the form comes back as typed.
      const email = `petra-${randomBytes(3).toString('hex')}@demo.local`;
      await signedInLongAgo();
      const create = admin.getByRole('form', { name: 'Adaugă un utilizator' });
      await create.getByLabel('Numele și prenumele').fill('Petra Nistor-Țăranu');
      await create.getByLabel('Adresa de e-mail').fill(email);
      await create.getByLabel(/Responsabil reclamații/).check();
      await create.getByLabel(/Șef serviciu/).check();
      await create.getByRole('button', { name: 'Creează contul și trimite linkul' }).click();
      await reauthenticate(admin, '/admin/users', ['Petra', email]);
      await admin.getByRole('status').filter({ hasText: 'Identitatea a fost confirmată.' }).waitFor();
      expect(await create.getByLabel('Numele și prenumele').inputValue()).toBe('Petra Nistor-Țăranu');
      expect(await create.getByLabel('Adresa de e-mail').inputValue()).toBe(email);
      expect(await create.getByLabel(/Responsabil reclamații/).isChecked()).toBe(true);
      expect(await create.getByLabel(/Șef serviciu/).isChecked()).toBe(true);
      expect(await create.getByLabel(/Agent call center/).isChecked()).toBe(false);
      // Read once: the draft is gone from the browser.
      expect(await draftCookies(admin)).toEqual([]);
      violations.createBack = await axeViolations(admin);
      await create.getByRole('button', { name: 'Creează contul și trimite linkul' }).click();
      await admin
        .getByRole('status')
        .filter({ hasText: 'Contul lui Petra Nistor-Țăranu a fost creat.' })
        .waitFor();
      await cardOf('Petra Nistor-Țăranu').getByText('Responsabil reclamații, Șef serviciu').waitFor();

      // 4. The mailbox: everything comes back except the password, which the page asks for again.
      const box = `reclamatii-${randomBytes(3).toString('hex')}@furnizor.local`;
      const mailboxPassword = 'parola-cutiei-de-test';
      await signedInLongAgo();
      await admin.goto(`${web.base}/admin/mailbox`);
      await admin.getByRole('heading', { name: 'Căsuța de e-mail pentru reclamații', level: 1 }).waitFor();
      await admin.getByLabel('Serverul IMAP').fill(inject('imapHost'));
      await admin.getByLabel('Portul', { exact: true }).fill(String(inject('imapPort')));
      await admin.getByLabel(/Conexiune securizată/).uncheck();
      await admin.getByLabel('Utilizatorul').fill(box);
      await admin.getByLabel('Mesajele noi sosesc în').fill('Reclamatii');
      await admin.getByLabel('Parola', { exact: true }).fill(mailboxPassword);
      await admin.getByRole('button', { name: 'Salvează' }).click();
      await admin.waitForURL((u) => u.pathname === '/account/reauth');
      // The draft waits in an HttpOnly, same-site cookie for the mailbox page only, without the password.
      const [kept] = await draftCookies(admin);
      expect(kept).toMatchObject({ path: '/admin/mailbox', httpOnly: true, sameSite: 'Strict' });
      expect(decodeURIComponent(kept!.value)).toContain(box);
      expect(decodeURIComponent(kept!.value)).not.toContain(mailboxPassword);
      await reauthenticate(admin, '/admin/mailbox', [box, mailboxPassword]);
      await admin
        .getByRole('status')
        .filter({ hasText: 'în afară de parolă: reintroduceți parola căsuței' })
        .waitFor();
      expect(await admin.getByLabel('Utilizatorul').inputValue()).toBe(box);
      expect(await admin.getByLabel('Portul', { exact: true }).inputValue()).toBe(String(inject('imapPort')));
      expect(await admin.getByLabel('Mesajele noi sosesc în').inputValue()).toBe('Reclamatii');
      expect(await admin.getByLabel(/Conexiune securizată/).isChecked()).toBe(false);
      expect(await admin.getByLabel('Parola', { exact: true }).inputValue()).toBe('');
      expect(await admin.getByLabel('Parola', { exact: true }).getAttribute('required')).not.toBeNull();
      violations.mailboxBack = await axeViolations(admin);
      await web.shot(admin, 'admin-security-4-mailbox-back');
      await admin.getByLabel('Parola', { exact: true }).fill(mailboxPassword);
      await admin.getByRole('button', { name: 'Salvează' }).click();
      await admin.getByRole('status').filter({ hasText: 'Setările au fost salvate.' }).waitFor();
      await admin.getByText(`Preluarea este pornită · ${box} pe`).waitFor();

      // 5. The security page: reached from the admin menu, refusing lifetimes outside 1-24 hours in Romanian.
      await admin
        .getByRole('navigation', { name: 'Secțiunile administrării' })
        .getByRole('link', { name: 'Securitate' })
        .click();
      await admin.getByRole('heading', { name: 'Securitatea conturilor', level: 1 }).waitFor();
      expect(await admin.getByRole('link', { name: 'Securitate' }).getAttribute('aria-current')).toBe('page');
      await admin
        .getByText('Autentificarea în doi pași este obligatorie doar pentru rolurile care o cer')
        .waitFor();
      await admin.getByText('O sesiune durează cel mult 12 ore de la autentificare.').waitFor();
      // Oana's was reset: no one uses it now (the 11 demo staff and Petra).
      await admin
        .getByText('Niciuna dintre cele 12 persoane active nu folosește încă autentificarea în doi pași.')
        .waitFor();
      violations.security = await axeViolations(admin);
      await web.shot(admin, 'admin-security-5-policy');
      const hours = admin.getByLabel('Durata maximă a unei sesiuni (ore, între 1 și 24)');
      const save = admin.getByRole('button', { name: 'Salvează politica' });
      expect(await hours.inputValue()).toBe('12');
      for (const [typed, message] of [
        ['0', 'Durata maximă a unei sesiuni trebuie să fie între 1 și 24 de ore.'],
        ['25', 'Durata maximă a unei sesiuni trebuie să fie între 1 și 24 de ore.'],
        ['1.5', 'Durata maximă a unei sesiuni se scrie în ore întregi, fără zecimale (de exemplu 12).'],
        ['', 'Completați durata maximă a unei sesiuni: un număr întreg de ore, între 1 și 24.'],
      ] as const) {
        await hours.fill(typed);
        // Each answer awaited: the same message twice in a row would otherwise be found before the answer.
        await Promise.all([
          admin.waitForResponse((r) => r.url().endsWith('/admin/security?/save')),
          save.click(),
        ]);
        await admin.getByRole('alert').filter({ hasText: message }).waitFor();
        expect(await hours.getAttribute('aria-invalid')).toBe('true');
        expect(await hours.inputValue()).toBe(typed);
      }
      violations.securityError = await axeViolations(admin);
      await web.shot(admin, 'admin-security-6-policy-error');

      // The lifetime, after the re-authentication, with the typed value kept.
      await signedInLongAgo();
      await hours.fill('8');
      await save.click();
      await reauthenticate(admin, '/admin/security', []);
      await admin.getByRole('status').filter({ hasText: 'Alegerile făcute înainte sunt păstrate' }).waitFor();
      expect(await hours.inputValue()).toBe('8');
      violations.securityBack = await axeViolations(admin);
      await save.click();
      await admin.getByRole('status').filter({ hasText: 'iar o sesiune durează cel mult 8 ore.' }).waitFor();
      expect(await auditCount('tenant.security_policy_changed')).toBe(1);

      // 6. TOTP for all staff: the admin, not enrolled and warned so, is taken to enrolment right after saving.
      await admin.getByText('Dumneavoastră nu folosiți încă autentificarea în doi pași').waitFor();
      await admin.getByLabel('Obligatorie pentru tot personalul').check();
      await save.click();
      await admin.waitForURL((u) => u.pathname === '/account/two-factor');
      expect(new URL(admin.url()).searchParams.get('next')).toBe('/admin/security');
      await admin.goto(`${web.base}/admin/users`);
      expect(new URL(admin.url()).pathname).toBe('/account/two-factor');
      const [policy] = (await web.t.db.execute(
        sql`select totp_for_all_staff, session_max_hours from tenants where id = ${web.t.demoTenantId}`,
      )) as unknown as Array<{ totp_for_all_staff: boolean; session_max_hours: number }>;
      expect(policy).toEqual({ totp_for_all_staff: true, session_max_hours: 8 });
      // The colleague whose TOTP was reset signs in with the password and is taken to enrolment too.
      const oanaPage = await web.staffPage(COLLEAGUE, SLOW);
      expect(new URL(oanaPage.url()).pathname).toBe('/account/two-factor');

      // On a phone, the security page (another admin's view would be the same; this one enrols first).
      const phone = await web.staffPage('admin@demo.local', {
        ...SLOW,
        viewport: { width: 390, height: 844 },
      });
      expect(new URL(phone.url()).pathname).toBe('/account/two-factor');
      await web.t.db.execute(
        sql`update tenants set totp_for_all_staff = false where id = ${web.t.demoTenantId}`,
      );
      await phone.goto(`${web.base}/admin/security`);
      await phone.getByRole('heading', { name: 'Securitatea conturilor', level: 1 }).waitFor();
      violations.phone = await axeViolations(phone);
      await web.shot(phone, 'admin-security-7-phone');

      // Without JavaScript the draft works the same (a cookie, not the page's script).
      const plain = await web.browser.newContext({ locale: 'ro-RO', javaScriptEnabled: false });
      plain.setDefaultTimeout(SLOW.timeout);
      const noJs = await plain.newPage();
      await logIn(noJs, web.base, ADMIN);
      await signedInLongAgo();
      await noJs.goto(`${web.base}/admin/security`);
      await noJs.getByLabel('Durata maximă a unei sesiuni (ore, între 1 și 24)').fill('6');
      await noJs.getByRole('button', { name: 'Salvează politica' }).click();
      await reauthenticate(noJs, '/admin/security', []);
      await noJs.getByText('Alegerile făcute înainte sunt păstrate').waitFor();
      expect(await noJs.getByLabel('Durata maximă a unei sesiuni (ore, între 1 și 24)').inputValue()).toBe(
        '6',
      );
      await noJs.getByRole('button', { name: 'Salvează politica' }).click();
      await noJs.getByText('iar o sesiune durează cel mult 6 ore.').waitFor();
      await plain.close();

      expect(violations).toEqual({
        users: [],
        resetQuestion: [],
        resetAgain: [],
        resetDone: [],
        createBack: [],
        mailboxBack: [],
        security: [],
        securityError: [],
        securityBack: [],
        phone: [],
      });
    },
  );
});
