import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deployBaseline } from '../../server/engine/deploy-processes.ts';
import { createCase } from '../factories/index.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { deployAsDesigner } from '../helpers/designer.ts';

/**
 * Issue 13 item 1: nothing a tenant deploys runs as code. Through the designer API a listener or a script is
 * refused with a 4xx naming the element; sent straight to the engine's REST API, the engine's own guard
 * (deploy/engine DeploymentGuardPlugin) refuses it; the baseline still deploys and runs.
 */
const complaint = () => readFile('processes/complaint.bpmn', 'utf8');

/** The baseline complaint process with an execution listener in its triage task's extension elements. */
async function listenerInTriage(): Promise<string> {
  const xml = await complaint();
  const at = xml.indexOf('<bpmn:userTask id="triage"');
  expect(at).toBeGreaterThan(0);
  const open = xml.indexOf('<bpmn:extensionElements>', at) + '<bpmn:extensionElements>'.length;
  return `${xml.slice(0, open)}${LISTENER}${xml.slice(open)}`;
}

const LISTENER =
  '<camunda:executionListener event="start" expression="${execution.getProcessEngineServices().getRuntimeService()}" />';

describe('designer deployments carry no code', () => {
  let t: TestContext;
  let designer: { authorization: string };

  beforeAll(async () => {
    t = await createTestContext();
    designer = await t.login('designer@demo.local');
  });
  afterAll(async () => t?.close());

  const deploy = (xml: string, resourceName = 'complaint.bpmn') =>
    deployAsDesigner(t, designer, xml, resourceName);

  it('refuses an execution listener with a 4xx naming it and the element', async () => {
    const r = await deploy(await listenerInTriage());
    expect(r.statusCode, r.body).toBe(422);
    const body = r.json<{ code: string; message: string }>();
    expect(body.code).toBe('PROCESS_LINT_FAILED');
    expect(body.message).toContain(
      'triage: Nu se poate publica un ascultător de execuție (execution listener)',
    );
  });

  it('refuses a script task with a 4xx naming it', async () => {
    const xml = (await complaint()).replace(
      '<bpmn:userTask id="triage"',
      '<bpmn:scriptTask id="evilScript" name="Script" scriptFormat="groovy"><bpmn:script>System.exit(1)</bpmn:script></bpmn:scriptTask><bpmn:userTask id="triage"',
    );
    const r = await deploy(xml);
    expect(r.statusCode, r.body).toBe(422);
    expect(r.json<{ message: string }>().message).toContain(
      'evilScript: Nu se poate publica o sarcină script: procesele nu rulează cod.',
    );
  });

  it('names the script first when the process breaks other rules too', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="http://x">
  <bpmn:process id="complaint" isExecutable="true">
    <bpmn:startEvent id="s" /><bpmn:scriptTask id="scr" scriptFormat="javascript"><bpmn:script>1</bpmn:script></bpmn:scriptTask><bpmn:endEvent id="e" />
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="scr" /><bpmn:sequenceFlow id="f2" sourceRef="scr" targetRef="e" />
  </bpmn:process>
</bpmn:definitions>`;
    const r = await deploy(xml);
    expect(r.statusCode, r.body).toBe(422);
    const message = r.json<{ message: string }>().message;
    expect(message).toMatch(/\d+ erori de validare/);
    expect(message).toContain('scr: Nu se poate publica o sarcină script: procesele nu rulează cod.');
  });

  it('refuses a DMN table in JavaScript with a 4xx naming the input', async () => {
    const xml = (await readFile('processes/complaint-routing.dmn', 'utf8')).replace(
      'expressionLanguage="feel"',
      'expressionLanguage="javascript"',
    );
    const r = await deploy(xml, 'complaint-routing.dmn');
    expect(r.statusCode, r.body).toBe(422);
    expect(r.json<{ message: string }>().message).toContain('input_category_expr');
    expect(r.json<{ message: string }>().message).toContain('doar FEEL');
  });

  // Straight to the engine's REST API, as anyone holding the engine's credentials could (bypassing our API).
  const engineDeploy = async (name: string, content: string) => {
    const form = new FormData();
    form.set('deployment-name', 'bypass');
    form.set('tenant-id', t.demoTenantId);
    form.set(name, new Blob([content], { type: 'application/xml' }), name);
    const auth = Buffer.from(`${inject('engineUser')}:${inject('enginePassword')}`).toString('base64');
    const r = await fetch(`${inject('engineUrl')}/deployment/create`, {
      method: 'POST',
      headers: { authorization: `Basic ${auth}` },
      body: form,
    });
    return { status: r.status, body: await r.text() };
  };

  it('the engine itself refuses a listener, a shell task, a method call in a condition and a script resource', async () => {
    const cases: Array<[string, string, string]> = [
      ['complaint.bpmn', await listenerInTriage(), "'triage' has the element executionListener"],
      [
        'complaint.bpmn',
        (await complaint()).replace(
          'camunda:type="external" camunda:topic="acknowledge"',
          'camunda:type="shell" camunda:topic="acknowledge"',
        ),
        "the task type 'shell'",
      ],
      [
        'complaint.bpmn',
        (await complaint()).replace(
          "${channel == 'email'}",
          "${''.getClass().forName('java.lang.Runtime') != null}",
        ),
        "'f_channel_checkEmail' has the expression ${''.getClass()",
      ],
      ['evil.groovy', 'System.exit(1)', "resource 'evil.groovy' is not a .bpmn or .dmn file"],
    ];
    for (const [name, content, words] of cases) {
      const r = await engineDeploy(name, content);
      // The engine answers 500 for its own ProcessEngineException (400 for schema errors): refused either way.
      expect(r.status, `${words}: ${r.body}`).toBeGreaterThanOrEqual(400);
      expect(r.body).toContain("refused by the engine's guard");
      expect(r.body).toContain(words);
    }
    const juel = (await readFile('processes/complaint-routing.dmn', 'utf8')).replace(
      'expressionLanguage="feel"',
      'expressionLanguage="juel"',
    );
    const r = await engineDeploy('complaint-routing.dmn', juel);
    expect(r.status, r.body).toBeGreaterThanOrEqual(400);
    expect(r.body).toContain('Unable to transform DMN resource');
  });

  it('the baseline deploys through the same guard and a registered complaint starts its process', async () => {
    // createTestContext deployed the baseline to both tenants through the guarded engine; deploying again is a
    // no-op of the engine's duplicate filter, so a refusal would show here as an error.
    await deployBaseline(t.engine, t.demoTenantId);
    const defs = await t.engine.listProcessDefinitions(t.demoTenantId);
    expect(defs.filter((d) => d.tenantId === t.demoTenantId).map((d) => d.key)).toEqual(
      expect.arrayContaining(['complaint', 'complaint-handling', 'verify-billing', 'periodic-review']),
    );
    const agent = await t.login('agent@demo.local');
    await createCase(t, {
      as: agent,
      customer: null,
      subject: 'Factură contestată',
      body: 'Factura din noiembrie conține un preț diferit de cel din ofertă.',
      contactName: 'Ion Popescu',
      contactPhone: '0722 000 111',
    });
    const running = await t.engine.runningInstanceCounts(
      t.demoTenantId,
      defs.filter((d) => d.key === 'complaint' && d.tenantId === t.demoTenantId).map((d) => d.id),
    );
    expect([...running.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});
