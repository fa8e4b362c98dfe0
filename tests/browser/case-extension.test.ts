import { beforeAll, describe, expect, it } from 'vitest';
import { dueDate as legalDueDate } from '../../server/deadlines/calendar.ts';
import { EngineClient, EngineUnavailableError, type Variables } from '../../server/engine/client.ts';
import type { ComplaintCategory } from '../../server/db/schema/index.ts';
import { createCase } from '../factories/index.ts';
import { axeViolations, browserSuite } from '../helpers/browser.ts';
import { waitFor } from '../helpers/wait.ts';

type Headers = { authorization: string };

/**
 * Issue 12's last pieces in Chromium: a task completed while the engine cannot be reached goes back to the inbox
 * with a note that it was recorded (not an error page); the officer holding a case proposes an extension on the
 * case page (a date beyond the category's maximum is refused in Romanian), SEF sees it waiting; the case page shows
 * the regulator data; the call center registers an authority's referral with its number and deadline.
 */
describe('case page extension, deferred completion, authority referral', () => {
  let agent: Headers;
  /** The next engine completion fails as if the engine were down (the dispatcher applies it later). */
  let engineDownOnce = false;

  class FlakyEngine extends EngineClient {
    override async complete(taskId: string, variables: Variables): Promise<void> {
      if (engineDownOnce) {
        engineDownOnce = false;
        throw new EngineUnavailableError(new Error('connect ECONNREFUSED (test)'));
      }
      await super.complete(taskId, variables);
    }
  }

  const web = browserSuite(
    { workers: true, engineClient: (o) => new FlakyEngine(o) },
    { hookTimeoutMs: 300_000 },
  );

  beforeAll(async () => {
    agent = await web.t.login('agent@demo.local');
  });

  function register(category: ComplaintCategory) {
    return createCase(web.t, {
      as: agent,
      category,
      subject: 'Tensiune scăzută',
      body: 'Seara tensiunea scade și aparatele se opresc.',
      contactEmail: `browser-${Date.now()}@example.test`,
    });
  }

  async function engineTask(number: string, key: string) {
    return waitFor(async () => {
      const tasks = await web.t.engine.queryTasks(
        { tenantIdIn: [web.t.demoTenantId], processInstanceBusinessKey: number },
        { firstResult: 0, maxResults: 20 },
      );
      return tasks.find((x) => x.taskDefinitionKey === key);
    }, 60_000);
  }

  it(
    'a completion the engine could not take goes back to the inbox with a Romanian note',
    { timeout: 240_000 },
    async () => {
      const reg = await register('calitate_energie');
      const task = await engineTask(reg.number, 'triage');
      const officer = await web.staffPage('officer@demo.local', { timeout: 60_000 });
      await officer.goto(`${web.base}/inbox/tasks/${task.id}`);
      await officer.getByRole('button', { name: 'Preiau sarcina' }).click();
      await officer.getByRole('button', { name: 'Finalizez sarcina' }).waitFor();
      await officer.getByLabel('Admisibilă — se analizează').check();
      engineDownOnce = true;
      await officer.getByRole('button', { name: 'Finalizez sarcina' }).click();
      await officer.waitForURL(/\/inbox\?deferred=1/);
      const note = officer
        .getByRole('status')
        .filter({ hasText: 'Finalizarea sarcinii a fost înregistrată' });
      await note.waitFor();
      expect((await note.textContent())?.split(/\s+/).join(' ')).toContain('va fi aplicată automat');
      expect(await officer.getByRole('heading', { level: 1 }).textContent()).not.toContain('Eroare');
      expect(await axeViolations(officer)).toEqual([]);
      // Recorded once and applied by the dispatcher: the triage task is done in the engine.
      await waitFor(async () => ((await web.t.engine.getTask(task.id)) === null ? true : null), 60_000);
      await officer.context().close();
    },
  );

  it(
    'the officer holding the case proposes an extension; SEF sees it; the case page shows the regulator data',
    { timeout: 240_000 },
    async () => {
      const reg = await register('calitate_energie');
      const task = await engineTask(reg.number, 'triage');
      const officer = await web.staffPage('officer@demo.local', { timeout: 60_000 });
      // Not holding a task yet: the page says who may propose.
      await officer.goto(`${web.base}/cases/${reg.number}`);
      await officer.getByTestId('regulator-data').waitFor();
      expect(await officer.getByTestId('extension-blocked').textContent()).toContain(
        'ofițerul care are în lucru',
      );
      expect(await officer.getByTestId('in-time').textContent()).toContain('încă nu a expirat termenul');

      await officer.goto(`${web.base}/inbox/tasks/${task.id}`);
      await officer.getByRole('button', { name: 'Preiau sarcina' }).click();
      await officer.getByRole('button', { name: 'Finalizez sarcina' }).waitFor();
      await officer.goto(`${web.base}/cases/${reg.number}`);
      const date = officer.getByLabel('Noul termen propus');
      await date.waitFor();
      expect(await axeViolations(officer)).toEqual([]);
      const beyond = legalDueDate(reg.dueDate, { days: 40, unit: 'calendar' });
      await date.evaluate((el, v) => {
        // The browser's own max check would stop the form; the server's check is what is tested here.
        (el as HTMLInputElement).removeAttribute('max');
        (el as HTMLInputElement).value = v;
      }, beyond);
      await officer.getByLabel('Motivul prelungirii').fill('Măsurătorile OD privind tensiunea întârzie.');
      await officer.getByRole('button', { name: 'Propune prelungirea' }).click();
      const error = officer.getByRole('alert').filter({ hasText: 'Noul termen poate fi cel mult' });
      await error.waitFor();

      const wanted = legalDueDate(reg.dueDate, { days: 10, unit: 'working' });
      await officer.getByLabel('Noul termen propus').fill(wanted);
      await officer.getByRole('button', { name: 'Propune prelungirea' }).click();
      await officer.waitForURL(/extension=1/);
      await officer.getByText('Prelungirea a fost propusă').waitFor();
      await officer.context().close();

      const sef = await web.staffPage('supervisor@demo.local', { timeout: 60_000 });
      await waitFor(
        async () => {
          await sef.goto(`${web.base}/cases/${reg.number}`);
          return (await sef.getByTestId('extension-pending').count()) > 0 ? true : null;
        },
        { timeoutMs: 60_000, stepMs: 1000 },
      );
      const link = sef.getByRole('link', { name: 'Aprobă sau respinge prelungirea' });
      await link.click();
      await sef.waitForURL(/\/inbox\/tasks\//);
      await sef.getByRole('heading', { name: /Aprobarea prelungirii termenului/ }).waitFor();
      await sef.context().close();
    },
  );

  it(
    'the call center registers an authority referral with its number and deadline',
    { timeout: 240_000 },
    async () => {
      const page = await web.staffPage('agent@demo.local', { timeout: 60_000 });
      await page.goto(`${web.base}/call-center`);
      await page.getByLabel('Categorie', { exact: true }).selectOption('facturare');
      await page
        .getByLabel('Textul reclamației')
        .fill('ANRE ne transmite sesizarea clientei despre factura din octombrie.');
      await page.getByLabel('Numele petentului').fill('Maria Ionescu');
      await page.getByLabel('O autoritate (sesizare transmisă de ANRE, ANPC…)').check();
      await page.getByLabel('Autoritatea', { exact: true }).fill('ANRE');
      const soon = legalDueDate(new Date().toISOString().slice(0, 10), { days: 5, unit: 'working' });
      await page.getByLabel('Termenul stabilit de autoritate').fill(soon);
      expect(await axeViolations(page)).toEqual([]);
      // The reference is required: the browser says so first; without its check the server answers in Romanian.
      await page
        .getByLabel('Numărul de înregistrare al autorității')
        .evaluate((el) => el.removeAttribute('required'));
      await page.getByRole('button', { name: 'Înregistrează reclamația' }).click();
      await page.getByRole('alert').filter({ hasText: 'numărul de înregistrare al autorității' }).waitFor();

      await page.getByLabel('Numărul de înregistrare al autorității').fill('ANRE-12345/2026');
      await page.getByLabel('Telefon de contact').fill('0722123456');
      await page.getByRole('button', { name: 'Înregistrează reclamația' }).click();
      await page.waitForURL(/registered=/).catch(async (err: unknown) => {
        // Say what the page said instead of only that it stayed.
        throw new Error(`${(await page.getByRole('alert').allTextContents()).join(' | ')} (${String(err)})`);
      });
      const number = new URL(page.url()).searchParams.get('registered')!;
      const c = (
        await web.t.app.inject({ method: 'GET', url: `/api/complaints/${number}`, headers: agent })
      ).json<{
        source: string;
        authority: { name: string; reference: string; dueDate: string };
        dueDate: string;
      }>();
      expect(c.source).toBe('authority');
      expect(c.authority).toMatchObject({ name: 'ANRE', reference: 'ANRE-12345/2026', dueDate: soon });
      // The authority's earlier deadline is the case's.
      expect(c.dueDate).toBe(soon);
      await page.context().close();
    },
  );
});
