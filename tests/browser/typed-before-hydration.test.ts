/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.ts';
import { createTestContext, PASSWORD, type TestContext } from '../helpers/test-context.ts';

const PORT = 3529 + Number(process.env.TEST_PORT_OFFSET ?? 0);
const BASE = `http://localhost:${PORT}`;

/**
 * A person on a slow connection types into the server-rendered form while the page's script still downloads.
 * Svelte's hydration used to write the fields again and wipe it (a full CI run met it: the e-mail vanished, the
 * `required` field blocked the submit and the login never happened). The script is held back here on purpose.
 */
describe('what is typed before the script runs', () => {
  let t: TestContext;
  let browser: Browser;

  beforeAll(async () => {
    t = await createTestContext({ webPort: PORT });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /**
   * A page whose scripts under `held` arrive `ms` late; resolves once every held script has been served. By default
   * every script; `nodes/` holds back only the page's own code, so the app starts (the client hook's `init` runs)
   * and then waits for it before hydrating.
   */
  async function slowScriptPage(
    ms: number,
    held = '**/_app/immutable/**',
  ): Promise<{ page: Page; scriptsServed: () => Promise<void> }> {
    const page = await (await browser.newContext({ locale: 'ro-RO' })).newPage();
    const pending = new Set<Promise<void>>();
    await page.route(held, (route) => {
      const served = new Promise<void>((done) => setTimeout(done, ms)).then(() => route.continue());
      pending.add(served);
    });
    const scriptsServed = async () => {
      while (pending.size) {
        const all = [...pending];
        await Promise.all(all);
        all.forEach((p) => pending.delete(p));
        await page.waitForLoadState('networkidle');
      }
    };
    return { page, scriptsServed };
  }

  it('keeps the e-mail typed on the login page and signs in', { timeout: 60_000 }, async () => {
    const { page, scriptsServed } = await slowScriptPage(1500);
    await page.goto(`${BASE}/login`, { waitUntil: 'commit' });
    await page.getByLabel('Adresă de e-mail').fill('agent@demo.local');
    await page.getByLabel('Parolă').fill(PASSWORD);
    await scriptsServed();

    expect(await page.getByLabel('Adresă de e-mail').inputValue()).toBe('agent@demo.local');
    await page.getByRole('button', { name: 'Autentificare' }).click();
    await page.waitForURL((u) => u.pathname === '/call-center');
    await page.context().close();
  });

  it(
    'keeps what is typed after the app started but before the page hydrated',
    { timeout: 60_000 },
    async () => {
      // The window a full CI run met again: the client hook's init had already run, the page's code was still on
      // its way, the e-mail was typed in between and hydration wiped it.
      const { page, scriptsServed } = await slowScriptPage(2000, '**/_app/immutable/nodes/**');
      const started = page.waitForResponse(/\/_app\/immutable\/entry\/app\./);
      await page.goto(`${BASE}/login`, { waitUntil: 'commit' });
      await started;
      await page.waitForTimeout(400);
      await page.getByLabel('Adresă de e-mail').fill('agent@demo.local');
      await page.getByLabel('Parolă').fill(PASSWORD);
      await scriptsServed();

      expect(await page.getByLabel('Adresă de e-mail').inputValue()).toBe('agent@demo.local');
      expect(await page.getByLabel('Parolă').inputValue()).toBe(PASSWORD);
      await page.getByRole('button', { name: 'Autentificare' }).click();
      await page.waitForURL((u) => u.pathname === '/call-center');
      await page.context().close();
    },
  );

  it('keeps the number and access code typed on the public status page', { timeout: 60_000 }, async () => {
    const { page, scriptsServed } = await slowScriptPage(1500);
    await page.goto(`${BASE}/status`, { waitUntil: 'commit' });
    await page.getByLabel('Număr de înregistrare').fill('DEMO-2026-000001');
    await page.getByLabel('Cod de acces').fill('ABCD-EFGH');
    await scriptsServed();

    expect(await page.getByLabel('Număr de înregistrare').inputValue()).toBe('DEMO-2026-000001');
    expect(await page.getByLabel('Cod de acces').inputValue()).toBe('ABCD-EFGH');
    await page.context().close();
  });
});
