import { beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../factories/index.ts';
import { axeViolations, browserSuite } from '../helpers/browser.ts';
import { PASSWORD } from '../helpers/test-context.ts';

const SLOW = { timeout: 30_000 };

/**
 * A staff member opens their account from the header and changes their password: a wrong current password is
 * refused in Romanian and marked, the change ends their other session, and the new password is the one that works.
 */
describe('my account in the browser', () => {
  const email = 'cont.propriu@demo.local';
  const NEW = 'Brazi verzi pe Ceahlău, iarna';

  const web = browserSuite({ taskEvents: false });

  beforeAll(async () => {
    await createUser(web.t, { email, name: 'Radu Contescu' });
  });

  it('changes the password from the account page', { timeout: 120_000 }, async () => {
    const violations: Record<string, string[]> = {};
    const page = await web.staffPage(email, SLOW);
    const phone = await web.staffPage(email, { ...SLOW, viewport: { width: 390, height: 844 } });

    await page.getByRole('link', { name: 'Radu Contescu' }).click();
    await page.getByRole('heading', { name: 'Contul meu', level: 1 }).waitFor();
    expect(await page.getByText('Responsabil reclamații').count()).toBeGreaterThan(0);

    await page.getByLabel('Parola actuală').fill('nu-este-parola-mea');
    await page.getByLabel('Parola nouă', { exact: true }).fill(NEW);
    await page.getByLabel('Confirmați parola nouă').fill(NEW);
    await page.getByRole('button', { name: 'Schimbă parola' }).click();
    await page.getByRole('alert').filter({ hasText: 'Parola actuală nu este corectă.' }).waitFor();
    expect(await page.getByLabel('Parola actuală').getAttribute('aria-invalid')).toBe('true');
    violations.error = await axeViolations(page);
    await web.shot(page, 'account-1-wrong-current');

    await page.getByLabel('Parola actuală').fill(PASSWORD);
    await page.getByLabel('Parola nouă', { exact: true }).fill(NEW);
    await page.getByLabel('Confirmați parola nouă').fill(NEW);
    await page.getByRole('button', { name: 'Schimbă parola' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Parola a fost schimbată. Cealaltă sesiune deschisă a fost închisă.' })
      .waitFor();
    violations.changed = await axeViolations(page);
    await web.shot(page, 'account-2-changed');

    // The phone's session ended; this one goes on.
    await phone.goto(`${web.base}/inbox`);
    expect(new URL(phone.url()).pathname).toBe('/login');
    await page.goto(`${web.base}/inbox`);
    expect(new URL(page.url()).pathname).toBe('/inbox');

    // Only the new password opens the account now.
    const old = await web.t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password: PASSWORD },
    });
    expect(old.statusCode).toBe(401);
    const again = await (await web.browser.newContext({ locale: 'ro-RO' })).newPage();
    await again.goto(`${web.base}/login`);
    await again.getByLabel('Adresă de e-mail').fill(email);
    await again.getByLabel('Parolă').fill(NEW);
    await again.getByRole('button', { name: 'Autentificare' }).click();
    await again.waitForURL((u) => !u.pathname.startsWith('/login'));

    expect(violations).toEqual({ error: [], changed: [] });
  });
});
