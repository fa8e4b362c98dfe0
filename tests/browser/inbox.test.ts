/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCase, createUser } from '../factories/index.ts';
import { axeViolations, browserSuite } from '../helpers/browser.ts';
import { waitFor } from '../helpers/wait.ts';

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
  const numbers: string[] = [];

  const web = browserSuite({ workers: true });

  beforeAll(async () => {
    await createUser(web.t, { email: 'ioana.rsp@demo.local', name: 'Ioana Răducanu' });
    const agent = await web.t.login('agent@demo.local');
    for (const [category, subject] of [
      ['facturare', 'Factură estimată prea mare în noiembrie'],
      ['grup_masurare', 'Contorul afișează un index greșit'],
    ] as const) {
      const reg = await createCase(web.t, {
        as: agent,
        category,
        subject,
        body: `${subject}. Vă rog să verificați și să-mi răspundeți în scris.`,
      });
      numbers.push(reg.number);
    }
    const officer = await web.t.login('officer@demo.local');
    await waitFor(async () => {
      const r = await web.t.app.inject({ method: 'GET', url: '/api/tasks?view=groups', headers: officer });
      return r.json<{ items: unknown[] }>().items.length >= 2;
    });
  });

  it('works with the keyboard from the list to a delegated task', { timeout: 180_000 }, async () => {
    const violations: Record<string, string[]> = {};
    const page = await web.staffPage('officer@demo.local');
    await page.goto(`${web.base}/inbox`);
    await page.getByRole('link', { name: /Sarcinile echipei\s*2/ }).waitFor();
    violations.inbox = await axeViolations(page);
    await web.shot(page, 'inbox-1-list');

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
    // The tick is saved on the server in the background: reload once the task says so.
    const officerApi = await web.t.login('officer@demo.local');
    const taskId = new URL(taskUrl).pathname.split('/').pop()!;
    await waitFor(async () => {
      const r = await web.t.app.inject({ method: 'GET', url: `/api/tasks/${taskId}`, headers: officerApi });
      return r.json<{ stepsDone: number[] }>().stepsDone.includes(0);
    });
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
    await web.shot(page, 'inbox-2-task');

    // Delegate to the colleague who holds the same job role.
    await page.getByLabel('Deleg sarcina către').selectOption({ label: 'Ioana Răducanu' });
    await page.getByRole('button', { name: 'Deleg', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/inbox\?delegated=/);
    await page.getByText('Sarcina a fost delegată către Ioana Răducanu.').waitFor();
    const colleague = await web.staffPage('ioana.rsp@demo.local');
    await colleague.goto(`${web.base}/inbox?view=mine`);
    await colleague.getByRole('link', { name: /Sarcinile mele\s*1/ }).waitFor();
    await colleague.close();

    // Filters go into the URL (search with Enter), are saved by name and applied from the chip.
    await page.goto(`${web.base}/inbox?view=groups`);
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
    await page.goto(`${web.base}/inbox`);
    await page.getByRole('link', { name: 'Contoare' }).click();
    await page.waitForURL(/category=grup_masurare/);
    expect(await page.locator('tbody tr').count()).toBe(1);
    violations.filtered = await axeViolations(page);
    await web.shot(page, 'inbox-3-filtered');

    // On a phone the rows stack into cards.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${web.base}/inbox`);
    violations.phone = await axeViolations(page);
    await web.shot(page, 'inbox-4-phone');

    expect(violations).toEqual({ inbox: [], task: [], filtered: [], phone: [] });
  });
});
