import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { totpCode } from '../../server/auth/totp.ts';
import { axeViolations, browserSuite } from '../helpers/browser.ts';
import { PASSWORD } from '../helpers/test-context.ts';

/**
 * Staff TOTP in the browser with the production rule on: a supervisor who has not enrolled is taken to
 * enrolment right after the password and cannot open anything else; scans (reads) the QR code's key, confirms a
 * code, sees the recovery codes once; the next sign-in asks for the code (a wrong one is refused in Romanian);
 * a sensitive operation after 10 minutes asks for the password and the code again, then carries on.
 */
describe('two-step sign-in in the browser', () => {
  const email = 'supervisor@demo.local';

  const web = browserSuite({ taskEvents: false, env: { STAFF_TOTP_REQUIRED: 'true' } });

  async function passwordStep(page: Page) {
    await page.goto(`${web.base}/login`);
    await page.getByLabel('Adresă de e-mail').fill(email);
    await page.getByLabel('Parolă').fill(PASSWORD);
    await page.getByRole('button', { name: 'Autentificare' }).click();
  }

  it(
    'enrols, signs in with the code and re-authenticates before a sensitive operation',
    { timeout: 180_000 },
    async () => {
      const violations: Record<string, string[]> = {};
      const context = await web.browser.newContext({
        locale: 'ro-RO',
        viewport: { width: 1280, height: 900 },
      });
      context.setDefaultTimeout(30_000);
      context.setDefaultNavigationTimeout(30_000);
      const page = await context.newPage();

      // 1. The password is right, but a supervisor must enrol first: every page leads to enrolment.
      await passwordStep(page);
      await page.waitForURL((u) => u.pathname === '/account/two-factor');
      await page.getByText('Rolul dumneavoastră în aplicație cere autentificarea în doi pași').waitFor();
      await page.goto(`${web.base}/inbox`);
      expect(new URL(page.url()).pathname).toBe('/account/two-factor');
      violations.forced = await axeViolations(page);

      // 2. Set up: the QR code (drawn by the server) and the key for typing by hand.
      await page.getByRole('button', { name: 'Configurează' }).click();
      const qr = page.getByRole('img', { name: 'Cod QR pentru aplicația de autentificare' });
      await qr.waitFor();
      expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
      const secret = (await page.locator('code.secret').textContent())!.trim();
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      violations.setup = await axeViolations(page);
      await web.shot(page, 'two-factor-1-setup');

      await page.getByLabel('Codul de 6 cifre').fill('000000');
      await page.getByRole('button', { name: 'Activează' }).click();
      await page.getByRole('alert').filter({ hasText: 'Codul nu este corect.' }).waitFor();
      await page.getByLabel('Codul de 6 cifre').fill(totpCode(secret));
      await page.getByRole('button', { name: 'Activează' }).click();
      const codes = page.getByRole('list', { name: 'Coduri de recuperare' }).getByRole('listitem');
      await codes.first().waitFor();
      expect(await codes.count()).toBe(10);
      violations.codes = await axeViolations(page);
      await web.shot(page, 'two-factor-2-recovery-codes');
      await page.getByRole('link', { name: 'Am salvat codurile, continuă' }).click();
      await page.waitForURL((u) => !u.pathname.startsWith('/account/two-factor'));
      await page.goto(`${web.base}/inbox`);
      expect(new URL(page.url()).pathname).toBe('/inbox');

      // 3. The next sign-in asks for the code after the password; a wrong one is refused in Romanian.
      await page.getByRole('button', { name: 'Ieșire' }).click();
      await page.waitForURL((u) => u.pathname === '/login');
      await passwordStep(page);
      await page.waitForURL((u) => u.pathname === '/login/code');
      violations.code = await axeViolations(page);
      await page.getByLabel('Cod').fill('123456');
      await page.getByRole('button', { name: 'Continuă' }).click();
      await page
        .getByRole('alert')
        .filter({ hasText: 'Codul nu este corect sau a fost deja folosit.' })
        .waitFor();
      await web.shot(page, 'two-factor-3-wrong-code');
      // The step used at enrolment is spent; the next one (one step of drift is accepted) opens the session.
      await page.getByLabel('Cod').fill(totpCode(secret, Date.now() + 30_000));
      await page.getByRole('button', { name: 'Continuă' }).click();
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
      await page.goto(`${web.base}/inbox`);
      expect(new URL(page.url()).pathname).toBe('/inbox');

      // 4. Ten minutes later, new recovery codes need the password and the code again.
      await web.t.db.execute(sql`update sessions set authenticated_at = now() - interval '11 minutes'`);
      await page.goto(`${web.base}/account/two-factor`);
      await page.getByRole('button', { name: 'Coduri de recuperare noi' }).click();
      await page.waitForURL((u) => u.pathname === '/account/reauth');
      await page.getByRole('heading', { name: 'Confirmați identitatea' }).waitFor();
      violations.reauth = await axeViolations(page);
      await web.shot(page, 'two-factor-4-reauth');
      await page.getByLabel('Parola').fill(PASSWORD);
      // The test runs faster than the 30 s steps go by: forget the step used last (replay has its own API test).
      await web.t.db.execute(sql`update users set totp_last_step = null where email = ${email}`);
      await page.getByLabel('Codul din aplicația de autentificare').fill(totpCode(secret));
      await page.getByRole('button', { name: 'Confirmă' }).click();
      await page.waitForURL((u) => u.pathname === '/account/two-factor');
      await page.getByRole('button', { name: 'Coduri de recuperare noi' }).click();
      await page.getByRole('list', { name: 'Coduri de recuperare' }).getByRole('listitem').first().waitFor();

      const audited = (await web.t.db.execute(
        sql`select action from audit_log a join users u on u.id::text = a.entity_id
          where u.email = ${email} and a.action in ('user.totp_enabled', 'auth.reauthenticated', 'user.recovery_codes_regenerated')
          order by a.id`,
      )) as unknown as Array<{ action: string }>;
      expect(audited.map((r) => r.action)).toEqual([
        'user.totp_enabled',
        'auth.reauthenticated',
        'user.recovery_codes_regenerated',
      ]);
      expect(violations).toEqual({ forced: [], setup: [], codes: [], code: [], reauth: [] });
    },
  );
});
