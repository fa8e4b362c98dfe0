import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBpmn, type UserTaskMeta } from '../engine/bpmn-metadata.ts';
import { DomainError } from '../errors.ts';
import { TASK_FORMS, validateSubmission, type TaskSubmission } from './task-forms.ts';

const processes = fileURLToPath(new URL('../../processes/', import.meta.url));
const pageFields = readFileSync(
  fileURLToPath(new URL('../../web/src/lib/components/task/TaskFormFields.svelte', import.meta.url)),
  'utf8',
);

async function userTasks(): Promise<Array<UserTaskMeta & { file: string }>> {
  const out: Array<UserTaskMeta & { file: string }> = [];
  for (const file of readdirSync(processes).filter((f) => f.endsWith('.bpmn'))) {
    for (const p of await parseBpmn(readFileSync(path.join(processes, file), 'utf8')))
      for (const t of p.userTasks.values()) out.push({ ...t, file });
  }
  return out;
}

/** A filled-in submission that each form accepts. */
function valid(t: UserTaskMeta): TaskSubmission {
  const branch = (t.properties.branches ?? '').split(',')[0]?.trim();
  switch (t.form) {
    case 'findings':
      return { findings: 'Consumul facturat corespunde indexului citit.' };
    case 'answer':
      return { answerText: 'Stimată doamnă, în urma verificării vă comunicăm că...' };
    case 'approval':
      return { approved: true };
    case 'triage':
      return { outcome: 'admissible' };
    case 'verification':
      return { findings: 'Verificarea nu a relevat neconcordanțe.', ...(branch ? { branch } : {}) };
    case 'note':
      return { comment: 'Am sunat clientul și am confirmat datele.' };
    case 'operatorRequest':
      return { questions: 'Vă rugăm să transmiteți indexul citit la 31 octombrie.' };
    case 'filingApproval':
    case 'extensionApproval':
      return { approved: true };
    case 'extensionRequest':
      return { comment: 'Datele de la operatorul de distribuție nu au sosit.' };
    case 'compensationPayment':
      return { paymentMethod: 'invoice_credit', paidOn: '2026-12-02', amountLei: 150 };
    default:
      return {};
  }
}

describe('task forms of every user task in processes/', () => {
  it('every user task names a known form, and the task page renders each form', async () => {
    const tasks = await userTasks();
    expect(tasks.length).toBeGreaterThan(30);
    for (const t of tasks) expect(TASK_FORMS, `${t.file} ${t.id}`).toContain(t.form);
    for (const form of TASK_FORMS) expect(pageFields, form).toContain(`task.form === '${form}'`);
  });

  it('each form accepts a filled-in submission and refuses an empty one with a Romanian message', async () => {
    for (const t of await userTasks()) {
      expect(() => validateSubmission(t.form, valid(t), t.properties), `${t.file} ${t.id}`).not.toThrow();
      let refused: unknown;
      try {
        validateSubmission(t.form, {}, t.properties);
      } catch (err) {
        refused = err;
      }
      expect(refused, `${t.file} ${t.id} accepts an empty form`).toBeInstanceOf(DomainError);
      expect((refused as DomainError).message).toMatch(/[ăâîșțĂÂÎȘȚ]|Alegeți|scrieți/);
    }
  });
});
