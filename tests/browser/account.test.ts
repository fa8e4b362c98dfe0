import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureUser } from '../../server/seed/tenant-setup.ts';
import { axeViolations, launchBrowser, staffPage } from '../helpers/browser.ts';
import { createTestContext, PASSWORD, type TestContext } from '../helpers/test-context.ts';

const PORT = 3563 + Number(process.env.TEST_PORT_OFFSET ?? 0);
const BASE = `http://localhost:${PORT}`;
const SHOTS = 'test-results/screenshots';
const SLOW = { timeout: 30_000 };

/**
 * A staff member opens their account from the header and changes their password: a wrong current password is
 * refused in Romanian and marked, the change ends their other session, and the new password is the one that works.
 */
describe('my account in the browser', () => {
  let t: TestContext;
  let browser: Browser;
  const email = 'cont.propriu@demo.local';
  const NEW = 'Brazi verzi pe Ceahlău, iarna';

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    t = await createTestContext({ webPort: PORT, taskEvents: false });
    await ensureUser(t.db, {
      tenantId: t.demoTenantId,
      email,
      name: 'Radu Contescu',
      password: PASSWORD,
      roles: ['officer'],
      jobRoles: ['RSP'],
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('changes the password from the account page', { timeout: 120_000 }, async () => {
    const violations: Record<string, string[]> = {};
    const page = await staffPage(browser, BASE, email, SLOW);
    const phone = await staffPage(browser, BASE, email, { ...SLOW, viewport: { width: 390, height: 844 } });

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
    await page.screenshot({ path: `${SHOTS}/account-1-wrong-current.png`, fullPage: true });

    await page.getByLabel('Parola actuală').fill(PASSWORD);
    await page.getByLabel('Parola nouă', { exact: true }).fill(NEW);
    await page.getByLabel('Confirmați parola nouă').fill(NEW);
    await page.getByRole('button', { name: 'Schimbă parola' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Parola a fost schimbată. Cealaltă sesiune deschisă a fost închisă.' })
      .waitFor();
    violations.changed = await axeViolations(page);
    await page.screenshot({ path: `${SHOTS}/account-2-changed.png`, fullPage: true });

    // The phone's session ended; this one goes on.
    await phone.goto(`${BASE}/inbox`);
    expect(new URL(phone.url()).pathname).toBe('/login');
    await page.goto(`${BASE}/inbox`);
    expect(new URL(page.url()).pathname).toBe('/inbox');

    // Only the new password opens the account now.
    const old = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password: PASSWORD },
    });
    expect(old.statusCode).toBe(401);
    const again = await (await browser.newContext({ locale: 'ro-RO' })).newPage();
    await again.goto(`${BASE}/login`);
    await again.getByLabel('Adresă de e-mail').fill(email);
    await again.getByLabel('Parolă').fill(NEW);
    await again.getByRole('button', { name: 'Autentificare' }).click();
    await again.waitForURL((u) => !u.pathname.startsWith('/login'));

    expect(violations).toEqual({ error: [], changed: [] });
  });
});
