import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readBaselineProcesses } from '../../engine/deploy-processes.ts';
import { checkBpmnAllowList, checkDmnAllowList, declaredDecisionIds } from './allow-list.ts';
import { knownVariables } from './known-variables.ts';

const ctx = {
  processKeys: new Set(['complaint-handling', 'operator-request']),
  decisionKeys: new Set(['complaint-routing']),
};

/** A process around one element `body` (a task with id "t" between start and end), extra namespaces allowed. */
const bpmn = (body: string, ns = '') => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ${ns} id="d" targetNamespace="t">
  <bpmn:process id="p" name="P" isExecutable="true" camunda:historyTimeToLive="P30D">
    <bpmn:startEvent id="start" name="Start" />
    ${body}
  </bpmn:process>
</bpmn:definitions>`;

const refusals = (xml: string) => checkBpmnAllowList(xml, ctx).map((i) => [i.elementId, i.message]);

// Each construct that would run code (or reach beyond the tenant) in the engine, and the element it must name.
const REFUSED_BPMN: Array<[string, string, string, string]> = [
  [
    'a timer cycle faster than once an hour (R/PT0.001S started hundreds of instances a minute)',
    '<bpmn:startEvent id="s" name="S"><bpmn:timerEventDefinition id="st"><bpmn:timeCycle id="sc" xsi:type="bpmn:tFormalExpression">R/PT0.001S</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>',
    'sc',
    'cel mult o dată pe oră',
  ],
  [
    'a cron cycle every second',
    '<bpmn:startEvent id="s" name="S"><bpmn:timerEventDefinition id="st"><bpmn:timeCycle id="sc" xsi:type="bpmn:tFormalExpression">* * * * * ?</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>',
    'sc',
    'cel mult o dată pe oră',
  ],
  [
    'a cron cycle every five minutes',
    '<bpmn:startEvent id="s" name="S"><bpmn:timerEventDefinition id="st"><bpmn:timeCycle id="sc" xsi:type="bpmn:tFormalExpression">0 */5 * * * ?</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>',
    'sc',
    'cel mult o dată pe oră',
  ],
  [
    'a multi-instance of a billion (the shared engine would create them all at once)',
    '<bpmn:userTask id="t" name="T"><bpmn:multiInstanceLoopCharacteristics id="mi"><bpmn:loopCardinality id="lc" xsi:type="bpmn:tFormalExpression">${1000000000}</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>',
    'lc',
    'numărul de instanțe poate fi un număr întreg de la 0 la 20',
  ],
  [
    'a multi-instance counted by a variable a person types',
    '<bpmn:userTask id="t" name="T"><bpmn:multiInstanceLoopCharacteristics id="mi"><bpmn:loopCardinality id="lc" xsi:type="bpmn:tFormalExpression">${compensationAmount}</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>',
    'lc',
    'nu „compensationAmount”',
  ],
  [
    'execution listener',
    '<bpmn:task id="t" name="T"><bpmn:extensionElements><camunda:executionListener event="start" class="x.Evil" /></bpmn:extensionElements></bpmn:task>',
    't',
    'ascultător de execuție',
  ],
  [
    'task listener',
    '<bpmn:userTask id="t" name="T"><bpmn:extensionElements><camunda:taskListener event="create" expression="${x}" /></bpmn:extensionElements></bpmn:userTask>',
    't',
    'ascultător de sarcină',
  ],
  [
    'script task',
    '<bpmn:scriptTask id="t" name="T" scriptFormat="groovy"><bpmn:script>1</bpmn:script></bpmn:scriptTask>',
    't',
    'sarcină script',
  ],
  [
    'inline script in an input mapping',
    '<bpmn:task id="t" name="T"><bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter name="x"><camunda:script scriptFormat="javascript">1</camunda:script></camunda:inputParameter></camunda:inputOutput></bpmn:extensionElements></bpmn:task>',
    't',
    'un script',
  ],
  [
    'external script resource',
    '<bpmn:task id="t" name="T"><bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter name="x"><camunda:script scriptFormat="groovy" resource="deployment://evil.groovy" /></camunda:inputParameter></camunda:inputOutput></bpmn:extensionElements></bpmn:task>',
    't',
    'un script',
  ],
  ['camunda:class', '<bpmn:serviceTask id="t" name="T" camunda:class="x.Evil" />', 't', '„class”'],
  [
    'delegateExpression',
    '<bpmn:serviceTask id="t" name="T" camunda:delegateExpression="${evil}" />',
    't',
    '„delegateExpression”',
  ],
  [
    'expression with resultVariable',
    '<bpmn:serviceTask id="t" name="T" camunda:expression="${a}" camunda:resultVariable="r" />',
    't',
    '„expression”',
  ],
  [
    'service task that is not external',
    '<bpmn:serviceTask id="t" name="T" camunda:type="webService" />',
    't',
    'poate fi doar „external”',
  ],
  [
    'connector',
    '<bpmn:serviceTask id="t" name="T"><bpmn:extensionElements><camunda:connector><camunda:connectorId>http-connector</camunda:connectorId></camunda:connector></bpmn:extensionElements></bpmn:serviceTask>',
    't',
    'conector',
  ],
  [
    'field injection',
    '<bpmn:serviceTask id="t" name="T" camunda:type="external" camunda:topic="x"><bpmn:extensionElements><camunda:field name="f" stringValue="x" /></bpmn:extensionElements></bpmn:serviceTask>',
    't',
    'injecție de câmp',
  ],
  [
    'input mapping with a method call',
    '<bpmn:task id="t" name="T"><bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter name="x">${execution.getProcessEngineServices()}</camunda:inputParameter></camunda:inputOutput></bpmn:extensionElements></bpmn:task>',
    't',
    'nu este permis',
  ],
  [
    'output mapping with a bean',
    '<bpmn:task id="t" name="T"><bpmn:extensionElements><camunda:inputOutput><camunda:outputParameter name="x">${processEngine}</camunda:outputParameter></camunda:inputOutput></bpmn:extensionElements></bpmn:task>',
    't',
    'nu este o variabilă a procesului',
  ],
  [
    'unknown extension element',
    '<bpmn:task id="t" name="T"><bpmn:extensionElements><camunda:failedJobRetryTimeCycle>R5/PT1M</camunda:failedJobRetryTimeCycle></bpmn:extensionElements></bpmn:task>',
    't',
    'Elementul „camunda:failedJobRetryTimeCycle” nu este permis',
  ],
  ['unknown attribute', '<bpmn:task id="t" name="T" camunda:whatever="1" />', 't', '„camunda:whatever”'],
  [
    'Camunda attribute under another namespace (activiti:)',
    '<bpmn:serviceTask id="t" name="T" activiti:class="x.Evil" />',
    't',
    '„class”',
  ],
  [
    'listener under a foreign namespace',
    '<bpmn:task id="t" name="T"><bpmn:extensionElements><op:executionListener event="start" class="x.Evil" /></bpmn:extensionElements></bpmn:task>',
    't',
    'ascultător de execuție',
  ],
  [
    'entity-encoded expression in a name',
    '<bpmn:userTask id="t" name="&#36;{execution.processEngine}" />',
    't',
    'nu poate conține expresii',
  ],
  [
    'condition in a script language',
    '<bpmn:sequenceFlow id="t" sourceRef="start" targetRef="start"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="javascript">true</bpmn:conditionExpression></bpmn:sequenceFlow>',
    't',
    '„language”',
  ],
  [
    'condition from a script resource',
    '<bpmn:sequenceFlow id="t" sourceRef="start" targetRef="start"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" camunda:resource="deployment://c.js" /></bpmn:sequenceFlow>',
    't',
    '„resource”',
  ],
  [
    'condition calling a method',
    '<bpmn:sequenceFlow id="t" sourceRef="start" targetRef="start"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${"".getClass().forName("java.lang.Runtime")}</bpmn:conditionExpression></bpmn:sequenceFlow>',
    't',
    'nu este permis',
  ],
  [
    'condition with a backslash escape (EL reads strings differently)',
    '<bpmn:sequenceFlow id="t" sourceRef="start" targetRef="start"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${a == \'x\\\' || b\'}</bpmn:conditionExpression></bpmn:sequenceFlow>',
    't',
    'caracterul „\\”',
  ],
  [
    'call activity to another tenant’s process',
    '<bpmn:callActivity id="t" name="T" calledElement="someone-elses" />',
    't',
    'nu este al furnizorului',
  ],
  [
    'call activity with a tenant id',
    '<bpmn:callActivity id="t" name="T" calledElement="operator-request" camunda:calledElementTenantId="other" />',
    't',
    '„calledElementTenantId”',
  ],
  [
    'call activity with a computed target',
    '<bpmn:callActivity id="t" name="T" calledElement="${target}" />',
    't',
    '${verificationProcess}',
  ],
  [
    'call activity passing a computed variable',
    '<bpmn:callActivity id="t" name="T" calledElement="operator-request"><bpmn:extensionElements><camunda:in sourceExpression="${x}" target="y" /></bpmn:extensionElements></bpmn:callActivity>',
    't',
    '„sourceExpression”',
  ],
  [
    'decision of another tenant',
    '<bpmn:businessRuleTask id="t" name="T" camunda:decisionRef="foreign" />',
    't',
    'nu este a furnizorului',
  ],
  [
    'timer with an expression beyond a variable',
    '<bpmn:intermediateCatchEvent id="t" name="T"><bpmn:timerEventDefinition><bpmn:timeDate xsi:type="bpmn:tFormalExpression">${a ? b : c}</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>',
    't',
    'o singură variabilă',
  ],
  [
    'timer that is neither ISO 8601 nor a variable',
    '<bpmn:intermediateCatchEvent id="t" name="T"><bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">next tuesday</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>',
    't',
    'ISO 8601',
  ],
  [
    'message name with an expression',
    '<bpmn:intermediateCatchEvent id="t" name="T"><bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateCatchEvent></bpmn:process><bpmn:message id="m" name="${x}" /><bpmn:process id="p2" isExecutable="false">',
    'm',
    'nu poate conține expresii',
  ],
  [
    'throwing message event (needs an implementation)',
    '<bpmn:intermediateThrowEvent id="t" name="T"><bpmn:messageEventDefinition camunda:expression="${x}" /></bpmn:intermediateThrowEvent>',
    't',
    'eveniment de aruncare',
  ],
  [
    'multi-instance over a collection expression',
    '<bpmn:task id="t" name="T"><bpmn:multiInstanceLoopCharacteristics camunda:collection="${x}" camunda:elementVariable="e" /></bpmn:task>',
    't',
    '„collection”',
  ],
  ['user task assignee', '<bpmn:userTask id="t" name="T" camunda:assignee="${x}" />', 't', '„assignee”'],
  [
    'candidate groups computed from anything but the routing table',
    '<bpmn:userTask id="t" name="T" camunda:candidateGroups="${x}" />',
    't',
    '${verificationRole}',
  ],
];

describe('checkBpmnAllowList', () => {
  it('accepts every baseline process', async () => {
    const files = (await readBaselineProcesses()).filter((f) => f.name.endsWith('.bpmn'));
    const keys = new Set<string>();
    for (const f of files) for (const m of f.content.matchAll(/<bpmn:process id="([^"]+)"/g)) keys.add(m[1]!);
    // With the variables the designer gives the check: the baseline's own conditions read only known ones.
    const variables = await knownVariables();
    for (const f of files)
      expect(
        checkBpmnAllowList(f.content, { processKeys: keys, decisionKeys: ctx.decisionKeys, variables }),
        f.name,
      ).toEqual([]);
  });

  it('refuses a condition on a variable nothing sets, and takes one on a variable a form sets', async () => {
    const variables = await knownVariables();
    expect(variables.has('approved')).toBe(true);
    const flow = (condition: string) =>
      bpmn(`<bpmn:exclusiveGateway id="g" name="G" /><bpmn:endEvent id="e" name="E" />
        <bpmn:sequenceFlow id="f" sourceRef="g" targetRef="e"><bpmn:conditionExpression id="c" xsi:type="bpmn:tFormalExpression">${condition}</bpmn:conditionExpression></bpmn:sequenceFlow>`);
    const issues = checkBpmnAllowList(flow("${totallyUnknownVariable == 'x'}"), { ...ctx, variables });
    expect(issues.map((i) => [i.elementId, i.message])).toContainEqual([
      'c',
      expect.stringContaining('condiția citește „totallyUnknownVariable”'),
    ]);
    expect(checkBpmnAllowList(flow('${approved == false}'), { ...ctx, variables })).toEqual([]);
  });

  it.each(REFUSED_BPMN)('refuses %s, naming the element', (_what, body, elementId, words) => {
    const issues = refusals(
      bpmn(body, 'xmlns:activiti="http://activiti.org/bpmn" xmlns:op="http://operaton.org/schema/1.0/bpmn"'),
    );
    expect(issues.length, JSON.stringify(issues)).toBeGreaterThan(0);
    expect(issues).toContainEqual([elementId, expect.stringContaining(words)]);
  });

  it('refuses a DOCTYPE (entities) and a processing instruction before anything is read', () => {
    const doctype = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "\${execution}">]>${bpmn('').slice(bpmn('').indexOf('<bpmn:definitions'))}`;
    expect(refusals(doctype)).toEqual([[null, expect.stringContaining('DOCTYPE')]]);
    expect(refusals(bpmn('<?evil x?>'))).toEqual([
      [null, expect.stringContaining('Instrucțiunile de procesare')],
    ]);
  });

  it('refuses a document over the size cap without parsing it', () => {
    const big = bpmn(`<bpmn:documentation>${'a'.repeat(1_000_001)}</bpmn:documentation>`);
    expect(refusals(big)).toEqual([[null, expect.stringContaining('caractere')]]);
  });

  it('accepts the allowed forms: ISO timers, a cron cycle, a routed call, the caller business key', () => {
    const xml = bpmn(`
      <bpmn:intermediateCatchEvent id="a" name="A"><bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">P5D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:intermediateCatchEvent id="b" name="B"><bpmn:timerEventDefinition><bpmn:timeDate xsi:type="bpmn:tFormalExpression">2027-01-31T10:00:00+02:00</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:intermediateCatchEvent id="c" name="C"><bpmn:timerEventDefinition><bpmn:timeCycle xsi:type="bpmn:tFormalExpression">R3/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:callActivity id="d1" name="D" calledElement="\${verificationProcess}"><bpmn:extensionElements><camunda:in businessKey="#{execution.processBusinessKey}" /><camunda:in variables="all" /><camunda:out source="dueAt" target="dueAt" /></bpmn:extensionElements></bpmn:callActivity>
      <bpmn:callActivity id="d2" name="D" calledElement="p" />`);
    expect(refusals(xml)).toEqual([]);
  });
});

const routing = () => readFile('processes/complaint-routing.dmn', 'utf8');

const REFUSED_DMN: Array<[string, (xml: string) => string, string, string]> = [
  [
    'a JavaScript input expression',
    (x) => x.replace('expressionLanguage="feel"', 'expressionLanguage="javascript"'),
    'input_category_expr',
    'doar FEEL',
  ],
  [
    'a JUEL output entry',
    (x) =>
      x.replace(
        '<outputEntry id="rule_1_process">',
        '<outputEntry id="rule_1_process" expressionLanguage="juel">',
      ),
    'rule_1_process',
    'doar FEEL',
  ],
  [
    'a groovy default for the whole file',
    (x) => x.replace('namespace="https://reclamatii.info/dmn"', 'namespace="n" expressionLanguage="groovy"'),
    'complaint-routing-definitions',
    'doar FEEL',
  ],
  [
    'a FEEL external Java function',
    (x) =>
      x.replace(
        '<text>"verify-billing"</text>',
        '<text>function(x) external { java: { class: "java.lang.Runtime", method signature: "getRuntime()" } }</text>',
      ),
    'rule_1_process',
    'definirea unei funcții',
  ],
  [
    'a FEEL function outside the safe list (regular expression)',
    (x) => x.replace('<text>"verify-billing"</text>', '<text>matches(category, "(a+)+$")</text>'),
    'rule_1_process',
    'funcția „matches”',
  ],
  [
    'split, whose pattern is a Java regular expression (a backtracking one stalled the engine)',
    (x) =>
      x.replace(
        '<text>"verify-billing"</text>',
        '<text>count(split("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "(.*a){8}x"))</text>',
      ),
    'rule_1_process',
    'separator scris ca text simplu',
  ],
  [
    'a FEEL loop',
    (x) => x.replace('<text>"verify-billing"</text>', '<text>for i in 1..1000000000 return i</text>'),
    'rule_1_process',
    'buclă',
  ],
  [
    'a FEEL path into an object',
    (x) => x.replace('<text>"verify-billing"</text>', '<text>category.class.classLoader</text>'),
    'rule_1_process',
    '„.”',
  ],
  [
    'an unknown element',
    (x) => x.replace('<rule id="rule_1">', '<rule id="rule_1"><camunda:evil />'),
    'rule_1',
    'Elementul „camunda:evil” nu este permis',
  ],
];

describe('checkDmnAllowList', () => {
  it('accepts the baseline routing table (FEEL with if/then/else and split)', async () => {
    expect(checkDmnAllowList(await routing())).toEqual([]);
  });

  it.each(REFUSED_DMN)('refuses %s, naming the element', async (_what, edit, elementId, words) => {
    const xml = edit(await routing());
    const issues = checkDmnAllowList(xml).map((i) => [i.elementId, i.message]);
    expect(issues).toContainEqual([elementId, expect.stringContaining(words)]);
  });

  it('reads decision ids in linear time (a file of unclosed <decision tags once took quadratic time)', async () => {
    const normal = await routing();
    const t0 = performance.now();
    for (let i = 0; i < 10; i++) declaredDecisionIds(normal);
    const perNormal = (performance.now() - t0) / 10;
    const hostile = `<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/">${'<decision '.repeat(95_000)}`;
    const t1 = performance.now();
    expect(() => declaredDecisionIds(hostile)).toThrow();
    const hostileMs = performance.now() - t1;
    // ~950 kB of hostile text against a 5 kB table: linear work is ~200x, quadratic would be ~10^5x.
    expect(hostileMs / Math.max(perNormal, 0.05)).toBeLessThan(5000);
    expect(hostileMs).toBeLessThan(2000);
  });
});
