/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureUser } from '../../server/seed/tenant-setup.ts';
import { axeViolations, launchBrowser, staffPage } from '../helpers/browser.ts';
import { createTestContext, PASSWORD, type TestContext } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';

const PORT = 3387 + Number(process.env.TEST_PORT_OFFSET ?? 0);
const BASE = `http://localhost:${PORT}`;
const SHOTS = 'test-results/screenshots';

const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { tag: el?.tagName ?? '', text: el?.textContent?.trim() ?? '', cls: el?.className ?? '' };
  });

/**
 * The officer's day in the inbox with the keyboard: tasks the engine created arrive through the read model,
 * j/k move, Enter opens, the task is claimed, an instruction step ticked (kept on reload), a comment added, the
 * task delegated; filters go into the URL and are saved. Axe-clean, screenshots on desktop and phone.
 */
describe('the officer inbox in the browser', () => {
  let t: TestContext;
  let browser: Browser;
  const numbers: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    t = await createTestContext({ workers: true, webPort: PORT });
    await ensureUser(t.db, {
      tenantId: t.demoTenantId,
      email: 'ioana.rsp@demo.local',
      name: 'Ioana Răducanu',
      password: PASSWORD,
      roles: ['officer'],
      jobRoles: ['RSP'],
    });
    const agent = await t.login('agent@demo.local');
    const search = await t.app.inject({
      method: 'GET',
      url: '/api/customers?q=RO005E512345678',
      headers: agent,
    });
    const [customer] = search.json<{ items: Array<{ id: string; places: Array<{ id: string }> }> }>().items;
    for (const [category, subject] of [
      ['facturare', 'Factură estimată prea mare în noiembrie'],
      ['grup_masurare', 'Contorul afișează un index greșit'],
    ] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/complaints',
        headers: agent,
        payload: {
          customerId: customer!.id,
          placeId: customer!.places[0]!.id,
          category,
          subject,
          body: `${subject}. Vă rog să verificați și să-mi răspundeți în scris.`,
        },
      });
      expect(res.statusCode).toBe(201);
      numbers.push(res.json<{ number: string }>().number);
    }
    const officer = await t.login('officer@demo.local');
    await waitFor(async () => {
      const r = await t.app.inject({ method: 'GET', url: '/api/tasks?view=groups', headers: officer });
      return r.json<{ items: unknown[] }>().items.length >= 2;
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('works with the keyboard from the list to a delegated task', { timeout: 180_000 }, async () => {
    const violations: Record<string, string[]> = {};
    const page = await staffPage(browser, BASE, 'officer@demo.local');
    await page.goto(`${BASE}/inbox`);
    await page.getByRole('link', { name: /Sarcinile echipei\s*2/ }).waitFor();
    violations.inbox = await axeViolations(page);
    await page.screenshot({ path: `${SHOTS}/inbox-1-list.png`, fullPage: true });

    // The skip link comes first, then j/k move between tasks and Enter opens one.
    await page.keyboard.press('Tab');
    expect((await focused(page)).text).toBe('Sari la conținut');
    await page.keyboard.press('j');
    const first = await focused(page);
    expect(first.cls).toContain('task-link');
    await page.keyboard.press('j');
    const second = await focused(page);
    expect(second.cls).toContain('task-link');
    await page.keyboard.press('k');
    expect(await focused(page)).toEqual(first);
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toEqual(second);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/inbox\/tasks\//);
    const taskUrl = page.url();

    // Claim with the keyboard; the instruction's first step is ticked with Space and stays ticked.
    await page.getByRole('button', { name: 'Preiau sarcina' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Finalizez sarcina' }).waitFor();
    const step = page.locator('.steps input[type=checkbox]').first();
    await step.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => step.isChecked()).toBe(true);
    await page.waitForTimeout(300);
    await page.goto(taskUrl);
    expect(await page.locator('.steps input[type=checkbox]').first().isChecked()).toBe(true);

    // An internal comment, typed and sent with the keyboard.
    await page.getByLabel('Comentariu nou').focus();
    await page.keyboard.type('Am verificat indexul în sistemul OD; revin cu răspunsul.');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByText('Am verificat indexul în sistemul OD; revin cu răspunsul.').waitFor();
    await expect
      .poll(async () => page.getByRole('region', { name: 'Istoricul complet al reclamației' }).innerText())
      .toContain('Sarcină creată');
    violations.task = await axeViolations(page);
    await page.screenshot({ path: `${SHOTS}/inbox-2-task.png`, fullPage: true });

    // Delegate to the colleague who holds the same job role.
    await page.getByLabel('Deleg sarcina către').selectOption({ label: 'Ioana Răducanu' });
    await page.getByRole('button', { name: 'Deleg', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/inbox\?delegated=/);
    await page.getByText('Sarcina a fost delegată către Ioana Răducanu.').waitFor();
    const colleague = await staffPage(browser, BASE, 'ioana.rsp@demo.local');
    await colleague.goto(`${BASE}/inbox?view=mine`);
    await colleague.getByRole('link', { name: /Sarcinile mele\s*1/ }).waitFor();
    await colleague.close();

    // Filters go into the URL (search with Enter), are saved by name and applied from the chip.
    await page.goto(`${BASE}/inbox?view=groups`);
    await page.getByLabel('Categorie').selectOption('grup_masurare');
    await page.getByLabel('Caută', { exact: true }).fill('contorul');
    await page.getByLabel('Caută', { exact: true }).press('Enter');
    await page.waitForURL(/category=grup_masurare/);
    expect(new URL(page.url()).searchParams.get('q')).toBe('contorul');
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain(numbers[1]);
    await page.getByLabel('Salvează filtrele curente ca').fill('Contoare');
    await page.getByRole('button', { name: 'Salvează' }).click();
    await page.getByText('Filtrul „Contoare” a fost salvat.').waitFor();
    await page.goto(`${BASE}/inbox`);
    await page.getByRole('link', { name: 'Contoare' }).click();
    await page.waitForURL(/category=grup_masurare/);
    expect(await page.locator('tbody tr').count()).toBe(1);
    violations.filtered = await axeViolations(page);
    await page.screenshot({ path: `${SHOTS}/inbox-3-filtered.png`, fullPage: true });

    // On a phone the rows stack into cards.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${BASE}/inbox`);
    violations.phone = await axeViolations(page);
    await page.screenshot({ path: `${SHOTS}/inbox-4-phone.png`, fullPage: true });

    expect(violations).toEqual({ inbox: [], task: [], filtered: [], phone: [] });
  });
});
