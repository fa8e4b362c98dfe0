/// <reference lib="dom" />
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page, type ViewportSize } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { createTestContext, PASSWORD, type TestContext } from './test-context.ts';
import { waitFor } from './wait.ts';
import { freePort } from './ports.ts';

/** Where browser tests put their screenshots (the README's tour uses docs/screenshots instead). */
export const SHOTS = 'test-results/screenshots';

/** Debian's chromium with the flags this machine needs (never a downloaded browser). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Serious and critical accessibility violations on the page, or inside `selector` only (our part of a shared
 * page), by axe-core's WCAG 2.1 A/AA rules, as `rule (nodes: first target)`.
 */
export async function axeViolations(page: Page, selector?: string): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the pages' Content-Security-Policy does not govern (an inline
  // script tag would be refused, as it should be).
  await page.evaluate(axeSource);
  const result = await page.evaluate(async (sel) => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            ctx: Document | Element,
            opts: object,
          ): Promise<{
            violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }>;
          }>;
        };
      }
    ).axe;
    return axe.run(sel ? document.querySelector(sel)! : document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
  }, selector);
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.nodes.length}: ${v.nodes[0]?.target.join(' ')})`);
}

/**
 * axeViolations for a page as a browser without JavaScript shows it. axe cannot run in a
 * `javaScriptEnabled: false` context (its timers never fire there), so the same address is opened, with the
 * same cookies and screen, in a context that loads none of the app's scripts: the server's HTML only.
 */
export async function axeViolationsWithoutScripts(from: Page, selector?: string): Promise<string[]> {
  const browser = from.context().browser();
  if (!browser) throw new Error('the page has no browser');
  const context = await browser.newContext({
    locale: 'ro-RO',
    viewport: from.viewportSize(),
    storageState: await from.context().storageState(),
  });
  await context.route(/\.m?js(\?|$)/, (route) => route.abort());
  try {
    const page = await context.newPage();
    await page.goto(from.url());
    return await axeViolations(page, selector);
  } finally {
    await context.close();
  }
}

/** Signs a staff member in on `page` through the login page; resolves once the app has left /login. */
export async function logIn(page: Page, base: string, email: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('Adresă de e-mail').fill(email);
  await page.getByLabel('Parolă').fill(PASSWORD);
  await page.getByRole('button', { name: 'Autentificare' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/**
 * A fresh browser context signed in as a staff member through the login page. `timeout` (ms) raises the
 * context's default action and navigation timeouts, for journeys long enough to meet a loaded machine.
 */
export async function staffPage(
  browser: Browser,
  base: string,
  email: string,
  { viewport = { width: 1280, height: 900 }, timeout }: { viewport?: ViewportSize; timeout?: number } = {},
): Promise<Page> {
  const context = await browser.newContext({ locale: 'ro-RO', viewport });
  if (timeout) {
    context.setDefaultTimeout(timeout);
    context.setDefaultNavigationTimeout(timeout);
  }
  const page = await context.newPage();
  await logIn(page, base, email);
  return page;
}

/** Options of a page opened by the suite: screen size and the default timeout of its actions (ms). */
export interface PageOptions {
  viewport?: ViewportSize;
  timeout?: number;
}

/**
 * What every browser test file shares, set up once per file by browserSuite(): the app with its web pages on a
 * port of its own, one chromium, and the page helpers. The fields are there from the first test (and from any
 * beforeAll registered after browserSuite()); reading them earlier throws.
 */
export interface BrowserSuite {
  readonly t: TestContext;
  readonly browser: Browser;
  /** The app's address, e.g. http://localhost:40123. */
  readonly base: string;
  /** A fresh context signed in as a staff member through the login page. */
  staffPage(email: string, options?: PageOptions): Promise<Page>;
  /** A fresh context signed in as nobody (the public pages, the portal). */
  anonymousPage(options?: PageOptions): Promise<Page>;
  /** A full-page screenshot to test-results/screenshots/<name>.png. */
  shot(page: Page, name: string): Promise<void>;
  /**
   * Opens task `name` of case `number` from the team's inbox, going back to the list until the inbox read model
   * shows it (it follows the engine's task events). `claim` also presses "Preiau sarcina".
   */
  openTask(page: Page, number: string, name: string, options?: { claim?: boolean }): Promise<void>;
}

/**
 * The shared set-up of a browser test file: call it once at the top of the file's describe. It registers the
 * beforeAll that starts the test context (with `options`, plus the web pages) and chromium, and the afterAll that
 * closes both.
 */
export function browserSuite(
  options: Omit<NonNullable<Parameters<typeof createTestContext>[0]>, 'webPort'> = {},
  { hookTimeoutMs }: { hookTimeoutMs?: number } = {},
): BrowserSuite {
  let t: TestContext | undefined;
  let browser: Browser | undefined;
  let base: string | undefined;
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not set up yet: use it in a test or a later hook`);
    return value;
  };
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const port = await freePort('localhost');
    t = await createTestContext({ ...options, webPort: port });
    base = `http://localhost:${port}`;
    browser = await launchBrowser();
  }, hookTimeoutMs);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const suite: BrowserSuite = {
    get t() {
      return ready(t, 'the test context');
    },
    get browser() {
      return ready(browser, 'the browser');
    },
    get base() {
      return ready(base, 'the address');
    },
    staffPage: (email, pageOptions) => staffPage(suite.browser, suite.base, email, pageOptions),
    async anonymousPage({ viewport = { width: 1280, height: 900 }, timeout } = {}) {
      const context = await suite.browser.newContext({ locale: 'ro-RO', viewport });
      if (timeout) {
        context.setDefaultTimeout(timeout);
        context.setDefaultNavigationTimeout(timeout);
      }
      return context.newPage();
    },
    async shot(page, name) {
      await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
    },
    async openTask(page, number, name, { claim = false } = {}) {
      const row = page.getByRole('row').filter({ hasText: number }).filter({ hasText: name });
      await reloadUntil(page, async () => (await row.count()) > 0, {
        url: `${suite.base}/inbox?scope=groups`,
        what: `task "${name}" of ${number} in the inbox`,
      });
      await row.first().getByRole('link', { name }).click();
      await page.waitForURL(/\/inbox\/tasks\//);
      if (claim) {
        await page.getByRole('button', { name: 'Preiau sarcina' }).click();
        await page.getByRole('button', { name: 'Finalizez sarcina' }).waitFor();
      }
    },
  };
  return suite;
}

/**
 * Loads the page again (or goes to `url`) until `condition` holds: for what the server learns in the background
 * (the inbox read model, a worker's job, an incident), which a page shows only when it is loaded.
 */
export async function reloadUntil(
  page: Page,
  condition: () => Promise<boolean>,
  {
    url,
    timeoutMs = 60_000,
    stepMs = 500,
    what,
  }: { url?: string; timeoutMs?: number; stepMs?: number; what?: string } = {},
): Promise<void> {
  await waitFor(
    async () => {
      if (url) await page.goto(url);
      else await page.reload();
      return condition();
    },
    { timeoutMs, stepMs, what },
  );
}
