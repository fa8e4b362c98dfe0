import { describe, expect, it } from 'vitest';
import { createCase } from '../factories/index.ts';
import { axeViolations, browserSuite } from '../helpers/browser.ts';
import { completeTask, type Headers } from '../helpers/tasks.ts';
import { waitFor } from '../helpers/wait.ts';

interface Item {
  id: string;
  name: string;
  case: { number: string } | null;
}

const CHECK_INVOICE = 'Verificarea facturii contestate';
const CHECK_METER = 'Solicitarea verificării contorului și recalcularea consumului';

/**
 * The task page in Chromium for the verifications (IL-06, IL-31): triage names a further category, so billing and
 * metering are verified in parallel; the supervisor rejects the answer and sends it back to verification.
 */
describe('parallel verifications and the way back to them, in the browser', () => {
  const web = browserSuite({ workers: true });

  async function openTasks(headers: Headers, number: string): Promise<Item[]> {
    const res = await web.t.app.inject({
      method: 'GET',
      url: '/api/tasks?scope=groups&pageSize=100',
      headers,
    });
    return res.json<{ items: Item[] }>().items.filter((x) => x.case?.number === number);
  }

  it(
    'verifies billing and metering in parallel and sends a rejected answer back to them',
    { timeout: 240_000 },
    async () => {
      const officerApi = await web.t.login('officer@demo.local');
      const reg = await createCase(web.t, {
        as: await web.t.login('agent@demo.local'),
        subject: 'Factură dublă, contor suspect',
        body: 'Factura din octombrie este dublă și contorul pare să numere mai mult.',
      });

      const officer = await web.staffPage('officer@demo.local');
      await web.openTask(officer, reg.number, 'Clasificarea și admisibilitatea reclamației', { claim: true });
      const further = officer.getByRole('group', { name: 'Categorii suplimentare (opțional)' });
      // The case's own category is not offered again.
      expect(await further.getByLabel('Facturarea', { exact: true }).count()).toBe(0);
      await further.getByLabel('Funcționarea grupurilor de măsurare').check();
      await officer.getByLabel('Admisibilă — se analizează').check();
      // A further category moves the due date (the earliest of the categories'): a reclassification, with its reason.
      await officer.getByLabel('Motivare').fill('Clientul reclamă și contorul, nu doar factura.');
      expect(await axeViolations(officer)).toEqual([]);
      await officer.getByRole('button', { name: 'Finalizez sarcina' }).click();
      await officer.waitForURL(/\/inbox(\?|$)/);

      await waitFor(async () => {
        const names = (await openTasks(officerApi, reg.number)).map((x) => x.name);
        return names.includes(CHECK_INVOICE) && names.includes(CHECK_METER);
      });
      await completeTask(web.t, officerApi, reg.number, CHECK_INVOICE, {
        findings: 'Prețul aplicat corespunde ofertei acceptate.',
        branch: 'pret',
      });
      await completeTask(web.t, officerApi, reg.number, CHECK_METER, {
        findings: 'Clientul contestă procesul-verbal al OD.',
        branch: 'pv_consum_neinregistrat',
      });
      await completeTask(
        web.t,
        officerApi,
        reg.number,
        'Analiza contestației privind procesul-verbal al OD',
        {
          findings: 'Procesul-verbal nu poate fi reținut.',
          needsCorrection: false,
        },
      );
      await completeTask(web.t, officerApi, reg.number, 'Analiza reclamației și nota de constatare', {
        findings: 'Factura corectă; procesul-verbal al OD nu poate fi reținut.',
      });
      await completeTask(web.t, officerApi, reg.number, 'Redactarea răspunsului către client', {
        answerText: 'Stimate client, am verificat factura și contorul.',
      });

      const supervisor = await web.staffPage('supervisor@demo.local');
      await web.openTask(supervisor, reg.number, 'Aprobarea răspunsului', { claim: true });
      const back = supervisor.getByRole('group', { name: 'La respingere, dosarul se întoarce' });
      expect(await back.getByLabel('La redactarea răspunsului').isChecked()).toBe(true);
      await supervisor.getByLabel('Resping').check();
      await back.getByLabel('La verificare').check();
      await supervisor
        .locator('textarea#comment')
        .fill('Lipsesc indexurile din procesul-verbal; reluați verificarea.');
      expect(await axeViolations(supervisor)).toEqual([]);
      await supervisor.getByRole('button', { name: 'Finalizez sarcina' }).click();
      await supervisor.waitForURL(/\/inbox(\?|$)/);

      const again = await waitFor(async () => {
        const names = (await openTasks(officerApi, reg.number)).map((x) => x.name);
        return names.includes(CHECK_INVOICE) && names.includes(CHECK_METER) ? names : null;
      });
      expect(again).not.toContain('Redactarea răspunsului către client');
    },
  );
});
