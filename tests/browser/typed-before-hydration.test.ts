/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { browserSuite } from '../helpers/browser.ts';
import { PASSWORD } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';

/**
 * A person on a slow connection types into the server-rendered form while the page's script still downloads.
 * Svelte's hydration used to write the fields again and wipe it (a full CI run met it: the e-mail vanished, the
 * `required` field blocked the submit and the login never happened). The script is held back here on purpose.
 */
describe('what is typed before the script runs', () => {
  const web = browserSuite();

  /**
   * A page whose scripts under `held` wait until the test lets them through, so that what the test types surely
   * comes before they run. By default every script; `nodes/` holds back only the page's own code, so the app starts
   * (the client hook's `init` runs) and then waits for it before hydrating. `release()` serves them and resolves
   * once every held script, and what they load, has arrived. `initRan()` tells whether the client hook's `init`
   * has run: it is seen by the capture-phase `input` listener it puts on the document (snapshot() in
   * web/src/lib/hydration/typed-before-hydration.ts).
   */
  async function heldScriptPage(held = '**/_app/immutable/**') {
    const page = await (await web.browser.newContext({ locale: 'ro-RO' })).newPage();
    await page.addInitScript(() => {
      const add = Document.prototype.addEventListener;
      Document.prototype.addEventListener = function (this: Document, ...args: Parameters<typeof add>) {
        const [type, , options] = args;
        if (type === 'input' && (options === true || (typeof options === 'object' && options.capture)))
          (window as unknown as { initRan?: boolean }).initRan = true;
        return add.apply(this, args);
      };
    });
    let open = false;
    let openGate: () => void = () => {};
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const pending = new Set<Promise<void>>();
    await page.route(held, (route) => {
      pending.add((open ? Promise.resolve() : gate).then(() => route.continue()));
    });
    return {
      page,
      initRan: () => page.evaluate(() => (window as unknown as { initRan?: boolean }).initRan === true),
      async release() {
        open = true;
        openGate();
        while (pending.size) {
          const all = [...pending];
          await Promise.all(all);
          all.forEach((p) => pending.delete(p));
          await page.waitForLoadState('networkidle');
        }
      },
    };
  }

  it('keeps the e-mail typed on the login page and signs in', { timeout: 60_000 }, async () => {
    const { page, release } = await heldScriptPage();
    await page.goto(`${web.base}/login`, { waitUntil: 'commit' });
    await page.getByLabel('Adresă de e-mail').fill('agent@demo.local');
    await page.getByLabel('Parolă').fill(PASSWORD);
    await release();

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
      const { page, release, initRan } = await heldScriptPage('**/_app/immutable/nodes/**');
      await page.goto(`${web.base}/login`, { waitUntil: 'commit' });
      await waitFor(initRan, { what: "the client hook's init" });
      await page.getByLabel('Adresă de e-mail').fill('agent@demo.local');
      await page.getByLabel('Parolă').fill(PASSWORD);
      await release();

      expect(await page.getByLabel('Adresă de e-mail').inputValue()).toBe('agent@demo.local');
      expect(await page.getByLabel('Parolă').inputValue()).toBe(PASSWORD);
      await page.getByRole('button', { name: 'Autentificare' }).click();
      await page.waitForURL((u) => u.pathname === '/call-center');
      await page.context().close();
    },
  );

  it('keeps the number and access code typed on the public status page', { timeout: 60_000 }, async () => {
    const { page, release } = await heldScriptPage();
    await page.goto(`${web.base}/status`, { waitUntil: 'commit' });
    await page.getByLabel('Număr de înregistrare').fill('DEMO-2026-000001');
    await page.getByLabel('Cod de acces').fill('ABCD-EFGH');
    await release();

    expect(await page.getByLabel('Număr de înregistrare').inputValue()).toBe('DEMO-2026-000001');
    expect(await page.getByLabel('Cod de acces').inputValue()).toBe('ABCD-EFGH');
    await page.context().close();
  });
});
