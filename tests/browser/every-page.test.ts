import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { quarterOf } from '../../server/reports/index.ts';
import { createCase } from '../factories/index.ts';
import { axeViolations, browserSuite } from '../helpers/browser.ts';
import { waitFor } from '../helpers/wait.ts';

/**
 * Issue 5's bar for the pages, in one place: every page of every surface, opened as the person who uses it,
 * answers without an error page, in Romanian (lang="ro", a title, one h1) and with no serious or critical
 * axe-core violation. The journeys of each surface live in their own browser tests; this one guards the rest.
 */
describe('every page', () => {
  let number: string;
  let accessCode: string;
  let taskId: string;
  let definitionId: string;

  const web = browserSuite({ workers: true });

  beforeAll(async () => {
    const officer = await web.t.login('officer@demo.local');
    const reg = await createCase(web.t, {
      subject: 'Factură estimată',
      body: 'Factura din noiembrie are un index estimat mult peste cel real.',
    });
    number = reg.number;
    accessCode = reg.accessCode;
    taskId = await waitFor(async () => {
      const r = await web.t.app.inject({ method: 'GET', url: '/api/tasks?view=groups', headers: officer });
      return r
        .json<{ items: Array<{ id: string; case: { number: string } | null }> }>()
        .items.find((x) => x.case?.number === number)?.id;
    }, 60_000);
    const designer = await web.t.login('designer@demo.local');
    const resources = (
      await web.t.app.inject({ method: 'GET', url: '/api/process-definitions', headers: designer })
    ).json<{
      resources: Array<{ resourceName: string; definitions: Array<{ versions: Array<{ id: string }> }> }>;
    }>().resources;
    definitionId = resources.find((r) => r.resourceName === 'complaint.bpmn')!.definitions[0]!.versions[0]!
      .id;
    // DEMO publishes its last quarter that has ended and shows it on its public page (the regulator report).
    const admin = await web.t.login('admin@demo.local');
    const current = quarterOf(new Date().toISOString().slice(0, 10));
    const last = quarterOf(new Date(Date.parse(current.from) - 86_400_000).toISOString().slice(0, 10));
    const published = await web.t.app.inject({
      method: 'POST',
      url: '/api/reports/publications',
      headers: admin,
      payload: { from: last.from, to: last.to },
    });
    expect(published.statusCode, published.body).toBe(201);
    const shown = await web.t.app.inject({
      method: 'PUT',
      url: '/api/reports/settings',
      headers: admin,
      payload: { publicPage: true },
    });
    expect(shown.statusCode, shown.body).toBe(200);
  });

  /** Opens each path, checks the page's basics and collects its axe violations. */
  async function sweep(page: Page, paths: string[]) {
    const problems: Record<string, string[]> = {};
    for (const path of paths) {
      const res = await page.goto(`${web.base}${path}`);
      await page.waitForLoadState('networkidle');
      const found: string[] = [];
      if (!res || res.status() >= 400) found.push(`HTTP ${res?.status()}`);
      if ((await page.locator('html').getAttribute('lang')) !== 'ro') found.push('lang is not ro');
      if (!(await page.title()).trim()) found.push('no title');
      const h1 = await page.locator('h1').count();
      if (h1 !== 1) found.push(`${h1} h1`);
      found.push(...(await axeViolations(page)));
      if (found.length) problems[path] = found;
    }
    return problems;
  }

  it('staff pages, each as its role', { timeout: 300_000 }, async () => {
    const problems: Record<string, string[]> = {};
    const as = async (email: string, paths: string[]) => {
      const page = await web.staffPage(email);
      Object.assign(problems, await sweep(page, paths));
      await page.context().close();
    };
    await as('agent@demo.local', ['/', '/call-center', '/cases', `/cases/${number}`]);
    await as('officer@demo.local', [
      '/inbox',
      `/inbox/tasks/${taskId}`,
      '/intake/quarantine',
      '/postal',
      '/account',
      '/account/two-factor',
    ]);
    await as('supervisor@demo.local', [
      '/supervisor',
      `/supervisor/cases/${number}`,
      '/supervisor/workload',
      '/supervisor/incidents',
      '/supervisor/stats',
      '/admin/reports',
    ]);
    await as('designer@demo.local', ['/designer', `/designer/${definitionId}`]);
    await as('admin@demo.local', [
      '/admin',
      '/admin/deadline-rules',
      '/admin/non-working-days',
      '/admin/org-chart',
      '/admin/users',
      '/admin/mailbox',
      '/admin/security',
      '/admin/reports',
    ]);
    // The data-protection officer (job role DPO), who is no admin.
    await as('legal@demo.local', ['/admin/privacy']);
    expect(problems).toEqual({});
  });

  it('public pages, on a phone screen', { timeout: 120_000 }, async () => {
    const context = await web.browser.newContext({ locale: 'ro-RO', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const problems = await sweep(page, [
      '/login',
      '/status',
      `/status/${number}?code=${encodeURIComponent(accessCode)}`,
      '/portal',
      '/portal/DEMO/login',
      '/account/password',
      '/raport/DEMO',
    ]);
    await context.close();
    expect(problems).toEqual({});
  });

  it('an address that leads nowhere: a 404 in Romanian, not SvelteKit\'s "Not Found"', async () => {
    const page = await web.anonymousPage();
    const res = await page.goto(`${web.base}/pagina-inexistenta`);
    expect(res?.status()).toBe(404);
    await page.getByRole('heading', { name: 'Nu a fost găsit' }).waitFor();
    expect(await page.getByRole('alert').innerText()).toBe(
      'Pagina căutată nu există sau a fost mutată. Verificați adresa.',
    );
    expect(await page.locator('body').innerText()).not.toContain('Not Found');
    expect(await axeViolations(page)).toEqual([]);
  });
});
