import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { complaintCategories, customerTypes, energies } from '../../server/codes/case-codes.ts';
import { TRIAGE_OUTCOMES } from '../../server/codes/triage-outcomes.ts';
import { readBaselineProcesses } from '../../server/engine/deploy-processes.ts';
import { validateSubmission, type TaskSubmission } from '../../server/tasks/task-forms.ts';
import { DECLARED_VARIABLES, ENTRY_PROCESSES } from '../../processes/variables.ts';
import {
  crossCheck,
  instructionFromMarkdown,
  parseCondition,
  readSources,
  variablesSetIn,
  type CrossCheckInput,
  type Values,
} from './cross-check.ts';

const TEXT = 'Text de probă, suficient de lung pentru orice câmp al formularului.';

/** The values each form field is probed with; a field an instruction asks for must be listed here. */
const FIELD_VALUES: Record<string, readonly unknown[]> = {
  findings: [TEXT, undefined, ''],
  answerText: [TEXT, undefined, ''],
  comment: [TEXT, undefined, ''],
  missingInformation: [TEXT, undefined, ''],
  questions: [TEXT, undefined, ''],
  approved: [true, false, undefined],
  returnTo: ['draft', 'verification', undefined, 'nowhere'],
  outcome: [...TRIAGE_OUTCOMES, undefined, 'unknown'],
  category: [undefined, ...complaintCategories, 'unknown'],
  customerType: [undefined, ...customerTypes, 'unknown'],
  energy: [undefined, ...energies, 'unknown'],
  additionalCategories: [undefined, ['grup_masurare'], ['facturare', 'calitate_energie'], ['unknown']],
  needsOperator: [false, true, undefined],
  needsCorrection: [false, true, undefined],
  extensionDays: [undefined, 10, 0],
  paidOn: ['2026-03-02', undefined, 'ieri'],
  paymentMethod: ['invoice_credit', 'bank_transfer', 'postal_order', undefined, 'cash'],
  amountLei: [150, undefined, 0],
};

/** Variables from TypeScript sources; a variable the catalogue declares keeps the catalogue's values. */
async function producersFrom(files: string[]): Promise<CrossCheckInput['producers']> {
  const out: CrossCheckInput['producers'] = [];
  for (const file of files) {
    const vars = variablesSetIn(await readFile(file, 'utf8'), file);
    for (const name of Object.keys(vars))
      if (name in DECLARED_VARIABLES && vars[name]!.any) delete vars[name];
    out.push({ by: file, variables: vars });
  }
  const declared: Record<string, Values> = {};
  for (const [name, d] of Object.entries(DECLARED_VARIABLES))
    declared[name] = d.values === 'any' ? { any: true } : { any: false, values: new Set(d.values) };
  out.push({ by: 'processes/variables.ts', variables: declared });
  return out;
}

async function baseline(): Promise<CrossCheckInput> {
  const files = await readBaselineProcesses();
  const workers = (await readSources('server/workers', '.worker.ts')).map((f) => `server/workers/${f.name}`);
  return {
    instructions: (await readSources('instructions', '.md'))
      .filter((f) => f.name.startsWith('IL-'))
      .map((f) => instructionFromMarkdown(f.content)),
    bpmn: files.filter((f) => f.name.endsWith('.bpmn')),
    dmn: files.filter((f) => f.name.endsWith('.dmn')),
    validate: (form, s, p) => validateSubmission(form, s as TaskSubmission, p),
    fieldValues: FIELD_VALUES,
    producers: await producersFrom([...workers, 'server/intake/register-complaint.ts']),
    entryProcesses: ENTRY_PROCESSES,
  };
}

/** The baseline with one file's text changed. */
function edit(input: CrossCheckInput, name: string, change: (text: string) => string): CrossCheckInput {
  const swap = (list: Array<{ name: string; content: string }>) =>
    list.map((f) => {
      if (f.name !== name) return f;
      const content = change(f.content);
      if (content === f.content) throw new Error(`the edit of ${name} changed nothing`);
      return { ...f, content };
    });
  return { ...input, bpmn: swap(input.bpmn), dmn: swap(input.dmn) };
}

describe('work instructions, forms and BPMN agree', () => {
  let input: CrossCheckInput;
  beforeAll(async () => {
    input = await baseline();
  });

  it('every instruction IL-01…IL-40 exists and the baseline has no problem', async () => {
    const ids = input.instructions.map((i) => i.id);
    for (let n = 1; n <= 40; n++) expect(ids).toContain(`IL-${String(n).padStart(2, '0')}`);
    expect(await crossCheck(input)).toEqual([]);
  });

  it('finds a field an instruction asks for that the form lacks', async () => {
    const broken = {
      ...input,
      instructions: input.instructions.map((i) =>
        i.id === 'IL-30' ? { ...i, fields: ['findings', 'customerType'] } : i,
      ),
    };
    expect(await crossCheck(broken)).toContain(
      'IL-30: asks for field "customerType", which form "findings" of complaint-handling#analyze lacks',
    );
    // A form that stops reading a field is found the same way (approval without the way back to verification).
    const lenient = {
      ...input,
      validate: (form: string | null, s: Record<string, unknown>, p: Record<string, string>) =>
        validateSubmission(form, { ...(s as TaskSubmission), returnTo: undefined }, p),
    };
    const problems = await crossCheck(lenient);
    expect(problems).toContain(
      'IL-31: asks for field "returnTo", which form "approval" of complaint-handling#approveAnswer lacks',
    );
    // …and then the branch back to verification can no longer be taken.
    expect(problems.some((p) => p.startsWith('complaint-handling#f_approved_toVerify: the branch'))).toBe(
      true,
    );
  });

  it('finds a task whose instruction does not exist and an instruction no task uses', async () => {
    const problems = await crossCheck(
      edit(input, 'complaint-handling.bpmn', (x) =>
        x.replace(
          '<camunda:property name="instructionId" value="IL-30" />',
          '<camunda:property name="instructionId" value="IL-99" />',
        ),
      ),
    );
    expect(problems).toContain('complaint-handling#analyze: instruction IL-99 does not exist');
    expect(problems).toContain('IL-30: no user task uses this instruction');
  });

  it('finds an instruction that does not say which fields it asks for', async () => {
    const problems = await crossCheck({
      ...input,
      instructions: input.instructions.map((i) => (i.id === 'IL-17' ? { ...i, fields: undefined } : i)),
    });
    expect(problems).toContain(
      'IL-17: the instruction does not say which fields it asks for (front matter "fields")',
    );
  });

  it('finds a branch whose condition asks for a value no form produces', async () => {
    const problems = await crossCheck(
      edit(input, 'verify-billing.bpmn', (x) => x.replace("${branch == 'gaze'}", "${branch == 'gaz'}")),
    );
    expect(problems).toContain(
      'verify-billing#f_kind_checkGas: the branch "gaze" of kind can never be taken (${branch == \'gaz\'})',
    );
    // What the branch led to is unreachable too.
    expect(problems).toContain(
      'verify-billing#checkGas: "Verificarea conversiei m³→kWh și a PCS" can never be reached',
    );
  });

  it('finds a branch when the task stops offering its choice', async () => {
    const problems = await crossCheck(
      edit(input, 'verify-metering.bpmn', (x) =>
        x.replace('value="verificare_contor,pv_consum_neinregistrat"', 'value="verificare_contor"'),
      ),
    );
    expect(problems.some((p) => p.startsWith('verify-metering#f_kind_reviewFindings: the branch'))).toBe(
      true,
    );
  });

  it('finds a condition on a variable nothing sets, and a default branch that can never be taken', async () => {
    const problems = await crossCheck(
      edit(input, 'verify-switching.bpmn', (x) =>
        x.replace(
          "${execution.getVariable('needsOperator') == true}",
          "${execution.getVariable('needsOperators') == true}",
        ),
      ),
    );
    expect(problems).toContain(
      'verify-switching#operatorNeeded: no form, worker, routing rule or setting sets "needsOperators"',
    );
    const always = await crossCheck(
      edit(input, 'complaint-handling.bpmn', (x) =>
        x.replace('${approved == true}', '${approved == true || approved == false}'),
      ),
    );
    expect(always).toContain(
      'complaint-handling#f_approved_toDraft: the default branch "nu, se revizuiește răspunsul" of approved can never be taken: some condition always holds',
    );
  });

  it('finds a verification process no routing rule sends a case to', async () => {
    const problems = await crossCheck(
      edit(input, 'complaint-routing.dmn', (x) => x.replaceAll('"verify-switching"', '"verify-contract"')),
    );
    expect(problems).toContain(
      'process verify-switching is neither started by the app nor called by a process',
    );
  });

  it('reads conditions with a tokenizer and refuses what it does not understand', () => {
    expect(parseCondition("${a == 'x' && !(execution.getVariable('b') != true) || c == null}")).toBeTruthy();
    expect(parseCondition('${a > 2 ? b : c}')).toBeTruthy();
    expect(() => parseCondition('${a.contains("x")}')).toThrow();
    expect(() => parseCondition('${a[0]}')).toThrow();
    expect(() => parseCondition("${a == 'x}")).toThrow();
  });

  it('reads what a worker completes with from its source', () => {
    const vars = variablesSetIn(`
      export default defineWorker({ async handler() {
        if (x) return { kind: 'complete', variables: { answeredBy: 'post', late: a > b } };
        return { kind: 'complete', variables: { answeredBy: 'email', at: when } };
      } });`);
    expect(vars.answeredBy).toEqual({ any: false, values: new Set(['post', 'email']) });
    expect(vars.late).toEqual({ any: false, values: new Set([true, false]) });
    expect(vars.at).toEqual({ any: true });
  });
});
