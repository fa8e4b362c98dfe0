/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page, type ViewportSize } from 'playwright-core';
import { PASSWORD } from './test-context.ts';

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
