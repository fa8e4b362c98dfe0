import { describe, expect, it } from 'vitest';
import { readBaselineProcesses } from '../../engine/deploy-processes.ts';
import { JOB_ROLES } from '../../codes/job-roles.ts';
import { loadInstructions } from '../../instructions/instructions.ts';
import { TASK_FORMS } from '../../tasks/task-forms.ts';
import { TOPICS } from '../../../processes/topics.ts';
import { lintBpmn } from './bpmn-lint.ts';
import { parseBpmn } from '../../engine/bpmn-metadata.ts';

const context = async (jobRoles = Object.keys(JOB_ROLES)) => ({
  instructionIds: new Set((await loadInstructions()).keys()),
  jobRoles: new Set(jobRoles),
  topics: new Set<string>(Object.values(TOPICS)),
  forms: new Set<string>(TASK_FORMS),
  processKeys: new Set<string>(await baselineProcessKeys()),
  decisionKeys: new Set<string>(['complaint-routing']),
});

async function baselineProcessKeys() {
  const keys: string[] = [];
  for (const f of (await readBaselineProcesses()).filter((x) => x.name.endsWith('.bpmn')))
    for (const p of await parseBpmn(f.content)) keys.push(p.processId);
  return keys;
}

const process = (
  body: string,
  attrs = 'camunda:historyTimeToLive="P30D"',
) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  <bpmn:process id="p" name="P" isExecutable="true" ${attrs}>
    <bpmn:startEvent id="start" name="Start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    ${body}
    <bpmn:endEvent id="end" name="Sfârșit"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="task" />
    <bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

const userTask = (attrs: string, props: string) =>
  `<bpmn:userTask id="task" name="Sarcină" ${attrs}><bpmn:extensionElements><camunda:properties>${props}</camunda:properties></bpmn:extensionElements><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>`;

const errorsOf = async (xml: string, jobRoles?: string[]) =>
  (await lintBpmn(xml, await context(jobRoles)))
    .filter((i) => i.severity === 'error' && i.rule.startsWith('reclamatii/'))
    .map((i) => [i.elementId, i.message]);

describe('lintBpmn', () => {
  it('finds no errors in any baseline process', async () => {
    for (const f of (await readBaselineProcesses()).filter((x) => x.name.endsWith('.bpmn'))) {
      const errors = (await lintBpmn(f.content, await context())).filter((i) => i.severity === 'error');
      expect(errors, f.name).toEqual([]);
    }
  });

  it('accepts a complete user task', async () => {
    const xml = process(
      userTask(
        'camunda:candidateGroups="RSP" camunda:dueDate="${dueAt}"',
        '<camunda:property name="instructionId" value="IL-06" /><camunda:property name="form" value="triage" />',
      ),
    );
    expect(await errorsOf(xml)).toEqual([]);
  });

  it('names the task whose instruction, role, form or due date is wrong', async () => {
    const xml = process(
      userTask(
        'camunda:candidateGroups="RSP,XYZ"',
        '<camunda:property name="instructionId" value="IL-99" /><camunda:property name="form" value="poem" />',
      ),
    );
    expect(await errorsOf(xml)).toEqual(
      expect.arrayContaining([
        ['task', 'Instrucțiunea de lucru „IL-99” nu există.'],
        ['task', 'Funcția „XYZ” nu există în organigrama furnizorului.'],
        ['task', 'Formularul „poem” nu este cunoscut.'],
        ['task', 'Termenul sarcinii trebuie să fie termenul reclamației: ${dueAt}.'],
      ]),
    );
  });

  it("checks job roles against the tenant's organisation chart, not a fixed list", async () => {
    const xml = process(
      userTask(
        'camunda:candidateGroups="SF" camunda:dueDate="${dueAt}"',
        '<camunda:property name="instructionId" value="IL-06" /><camunda:property name="form" value="triage" />',
      ),
    );
    expect(await errorsOf(xml, ['RSP'])).toEqual([
      ['task', 'Funcția „SF” nu există în organigrama furnizorului.'],
    ]);
  });

  it('refuses an external task without a worker and a process without history time to live', async () => {
    const xml = process(
      '<bpmn:serviceTask id="task" name="Automat" camunda:type="external" camunda:topic="nobody"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:serviceTask>',
      '',
    );
    expect(await errorsOf(xml)).toEqual(
      expect.arrayContaining([
        ['task', 'Nu există un worker pentru subiectul „nobody”.'],
        ['p', 'Procesul nu are durata de păstrare a istoricului (historyTimeToLive).'],
      ]),
    );
  });

  it('refuses code through the allow-list, naming the element (every construct: allow-list.test.ts)', async () => {
    const script = process(
      '<bpmn:scriptTask id="task" name="Script" scriptFormat="javascript"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing><bpmn:script>java.lang.System.exit(1)</bpmn:script></bpmn:scriptTask>',
    );
    expect(await errorsOf(script)).toEqual(
      expect.arrayContaining([['task', 'Nu se poate publica o sarcină script: procesele nu rulează cod.']]),
    );
    const bean = process(
      userTask(
        'camunda:candidateGroups="RSP" camunda:dueDate="${dueAt}" camunda:assignee="${userService.admin()}"',
        '<camunda:property name="instructionId" value="IL-06" /><camunda:property name="form" value="triage" />',
      ),
    );
    expect(await errorsOf(bean)).toEqual([
      ['task', 'Atributul „assignee” nu este permis: procesele nu rulează cod.'],
    ]);
  });

  it('says in Romanian when the XML cannot be read', async () => {
    expect(await lintBpmn('<bpmn:definitions', await context())).toEqual([
      {
        elementId: null,
        rule: 'xml',
        severity: 'error',
        message: 'Fișierul nu este un document BPMN 2.0 valid (XML ilizibil).',
      },
    ]);
  });
});
