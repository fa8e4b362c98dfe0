import { readFile } from 'node:fs/promises';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, type PermissionRole } from '../../server/db/schema/index.ts';
import { deployBaseline, readBaselineProcesses } from '../../server/engine/deploy-processes.ts';
import { createCase, createTenant, createUser } from '../factories/index.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import type { Headers } from '../helpers/tasks.ts';
import { waitFor } from '../helpers/wait.ts';
import { deployAsDesigner } from '../helpers/designer.ts';

interface Version {
  id: string;
  key: string;
  version: number;
  origin: 'baseline' | 'designer' | 'reset';
  runningInstances: number;
}
interface Resource {
  resourceName: string;
  kind: 'bpmn' | 'dmn';
  overridden: boolean;
  definitions: Array<{ key: string; versions: Version[] }>;
}

const TRIAGE_NAME = 'Clasificarea și admisibilitatea reclamației';
const baselineXml = () => readFile('processes/complaint.bpmn', 'utf8');

describe('process designer API', () => {
  let t: TestContext;
  let designer: { authorization: string };
  let acmeDesigner: { authorization: string };

  beforeAll(async () => {
    t = await createTestContext();
    designer = await t.login('designer@demo.local');
    acmeDesigner = await (
      await createUser(t, {
        tenantId: t.acmeTenantId,
        name: 'Acme Designer',
        roles: ['designer'],
        jobRoles: [],
      })
    ).login();
  });
  afterAll(async () => t?.close());

  const list = async (headers = designer) => {
    const r = await t.app.inject({ method: 'GET', url: '/api/process-definitions', headers });
    expect(r.statusCode, r.body).toBe(200);
    return r.json<{ resources: Resource[] }>().resources;
  };
  const complaintVersions = async (headers = designer) =>
    (await list(headers))
      .find((r) => r.resourceName === 'complaint.bpmn')!
      .definitions.find((d) => d.key === 'complaint')!.versions;
  /** A complaint from someone not on file, registered by `agent` in the agent's tenant. */
  const register = (agent: Headers) =>
    createCase(t, {
      as: agent,
      customer: null,
      subject: 'Factură contestată',
      body: 'Factura din noiembrie conține un preț diferit de cel din ofertă.',
      contactName: 'Ion Popescu',
      contactPhone: '0722 000 111',
    });
  const deploy = (xml: string, headers = designer, resourceName = 'complaint.bpmn') =>
    deployAsDesigner(t, headers, xml, resourceName);
  const statistics = async (id: string, headers = designer) => {
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/process-definitions/${encodeURIComponent(id)}/statistics`,
      headers,
    });
    expect(r.statusCode, r.body).toBe(200);
    return r.json<{ activities: Array<{ activityId: string; instances: number }> }>().activities;
  };

  /**
   * A tenant of its own with the baseline deployed, a designer and an agent: the tests that deploy versions or
   * count running instances each get one, so that none of them depends on what another deployed before it.
   */
  async function freshTenant() {
    const tenant = await createTenant(t);
    const staff = (roles: PermissionRole[]) => createUser(t, { tenantId: tenant.id, roles, jobRoles: [] });
    return {
      tenant,
      designer: await (await staff(['designer'])).login(),
      agent: await (await staff(['agent'])).login(),
    };
  }
  type Studio = Awaited<ReturnType<typeof freshTenant>>;

  /** Two cases running on the baseline (version 1), then a designer version 2 with the triage renamed. */
  async function designerVersion(s: Studio) {
    await register(s.agent);
    await register(s.agent);
    await waitFor(async () => (await complaintVersions(s.designer))[0]!.runningInstances === 2);
    const xml = (await baselineXml()).replace(`name="${TRIAGE_NAME}"`, 'name="Clasificare (revizuită)"');
    const r = await deploy(xml, s.designer);
    expect(r.statusCode, r.body).toBe(201);
    const versions = await complaintVersions(s.designer);
    return { response: r, versions, v1: versions[1]!, v2: versions[0]! };
  }

  it('GET /api/process-definitions lists every baseline file with its version, origin and kind', async () => {
    const { designer } = await freshTenant();
    const resources = await list(designer);
    const baseline = (await readBaselineProcesses()).map((f) => f.name).sort();
    expect(resources.map((r) => r.resourceName).sort()).toEqual(baseline);
    expect(resources.find((r) => r.resourceName === 'complaint-routing.dmn')?.kind).toBe('dmn');
    const v = await complaintVersions(designer);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ version: 1, origin: 'baseline', runningInstances: 0 });
  });

  it('refuses people without the designer role (403) and anonymous callers (401)', async () => {
    const officer = await t.login('officer@demo.local');
    const r = await t.app.inject({ method: 'GET', url: '/api/process-definitions', headers: officer });
    expect(r.statusCode).toBe(403);
    expect(r.json()).toEqual({
      code: 'AUTH_FORBIDDEN',
      message: 'Nu aveți dreptul să efectuați această operațiune.',
    });
    const d = await deploy(await baselineXml(), officer);
    expect(d.statusCode).toBe(403);
    const lint = await t.app.inject({
      method: 'POST',
      url: '/api/process-definitions/lint',
      headers: officer,
      payload: { kind: 'bpmn', xml: await baselineXml() },
    });
    expect(lint.statusCode).toBe(403);
    const anon = await t.app.inject({ method: 'GET', url: '/api/process-definitions' });
    expect(anon.statusCode).toBe(401);
  });

  it('POST /lint finds no errors in the baseline and names the element of each problem', async () => {
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/process-definitions/lint',
      headers: designer,
      payload: { kind: 'bpmn', xml: await baselineXml() },
    });
    expect(ok.statusCode).toBe(200);
    expect(
      ok.json<{ issues: Array<{ severity: string }> }>().issues.filter((i) => i.severity === 'error'),
    ).toEqual([]);
    const broken = (await baselineXml())
      .replace('value="IL-06"', 'value="IL-99"')
      .replace(
        'camunda:candidateGroups="RSP" camunda:dueDate="${dueAt}"><bpmn:extensionElements><camunda:properties><camunda:property name="instructionId" value="IL-99"',
        'camunda:candidateGroups="XYZ" camunda:dueDate="${dueAt}"><bpmn:extensionElements><camunda:properties><camunda:property name="instructionId" value="IL-99"',
      )
      .replace('camunda:topic="acknowledge"', 'camunda:topic="no-such-topic"');
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/process-definitions/lint',
      headers: designer,
      payload: { kind: 'bpmn', xml: broken },
    });
    const errors = r.json<{ issues: Array<{ elementId: string; severity: string; message: string }> }>()
      .issues;
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          elementId: 'triage',
          severity: 'error',
          message: 'Instrucțiunea de lucru „IL-99” nu există.',
        }),
        expect.objectContaining({
          elementId: 'triage',
          message: 'Funcția „XYZ” nu există în organigrama furnizorului.',
        }),
        expect.objectContaining({ message: 'Nu există un worker pentru subiectul „no-such-topic”.' }),
      ]),
    );
  });

  it('refuses to deploy a version that fails lint, with a Romanian message naming the element', async () => {
    const before = (await complaintVersions()).length;
    const r = await deploy((await baselineXml()).replace('value="IL-06"', 'value="IL-99"'));
    expect(r.statusCode).toBe(422);
    expect(r.json()).toEqual({
      code: 'PROCESS_LINT_FAILED',
      message:
        'Versiunea nu a fost publicată: o eroare de validare. triage: Instrucțiunea de lucru „IL-99” nu există.',
    });
    expect(await complaintVersions()).toHaveLength(before);
  });

  it('refuses unreadable XML, a renamed process key and a file that is not ours', async () => {
    const garbage = await deploy('<not-bpmn');
    expect(garbage.statusCode).toBe(422);
    expect(garbage.json<{ message: string }>().message).toContain('XML ilizibil');
    const renamed = await deploy(
      (await baselineXml()).replace('<bpmn:process id="complaint"', '<bpmn:process id="complaint2"'),
    );
    expect(renamed.statusCode).toBe(422);
    expect(renamed.json<{ code: string }>().code).toBe('PROCESS_KEY_CHANGED');
    const unknown = await deploy(await baselineXml(), designer, 'nope.bpmn');
    expect(unknown.json()).toEqual({
      code: 'PROCESS_RESOURCE_UNKNOWN',
      message: 'Fișierul nu face parte din procesele furnizorului.',
    });
  });

  it('counts running instances per version and per activity', async () => {
    const s = await freshTenant();
    await register(s.agent);
    await register(s.agent);
    const v1 = (await complaintVersions(s.designer))[0]!;
    await waitFor(async () => (await complaintVersions(s.designer))[0]!.runningInstances === 2);
    const acts = await waitFor(async () => {
      const a = await statistics(v1.id, s.designer);
      return a.reduce((n, x) => n + x.instances, 0) >= 2 ? a : null;
    });
    expect(acts.length).toBeGreaterThan(0);
    expect(acts.every((a) => a.instances > 0)).toBe(true);
  });

  it('deploys a new version for this tenant only; running instances keep theirs; audited', async () => {
    const s = await freshTenant();
    const other = await freshTenant();
    const { response: r, versions, v2 } = await designerVersion(s);
    const result = r.json<{ definitions: Array<{ key: string; version: number; id: string }> }>();
    expect(result.definitions).toEqual([expect.objectContaining({ key: 'complaint', version: 2 })]);

    expect(versions.map((v) => [v.version, v.origin])).toEqual([
      [2, 'designer'],
      [1, 'baseline'],
    ]);
    expect(versions[1]!.runningInstances).toBe(2);
    expect(v2.runningInstances).toBe(0);
    expect((await list(s.designer)).find((r) => r.resourceName === 'complaint.bpmn')?.overridden).toBe(true);

    // A case registered now runs on version 2.
    await register(s.agent);
    await waitFor(async () => (await complaintVersions(s.designer))[0]!.runningInstances === 1);

    // The other tenant still has only the baseline and cannot read this tenant's version.
    const acme = await complaintVersions(other.designer);
    expect(acme.map((v) => v.version)).toEqual([1]);
    const foreign = await t.app.inject({
      method: 'GET',
      url: `/api/process-definitions/${encodeURIComponent(v2.id)}`,
      headers: other.designer,
    });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json<{ code: string }>().code).toBe('PROCESS_DEFINITION_NOT_FOUND');
    const foreignStats = await t.app.inject({
      method: 'GET',
      url: `/api/process-definitions/${encodeURIComponent(v2.id)}/statistics`,
      headers: other.designer,
    });
    expect(foreignStats.statusCode).toBe(404);
    const foreignDiff = await t.app.inject({
      method: 'GET',
      url: `/api/process-definitions/diff?from=${encodeURIComponent(versions[1]!.id)}&to=${encodeURIComponent(v2.id)}`,
      headers: other.designer,
    });
    expect(foreignDiff.statusCode).toBe(404);
    const foreignReset = await t.app.inject({
      method: 'POST',
      url: '/api/process-definitions/baseline-resets',
      headers: other.designer,
      payload: { resourceName: 'complaint.bpmn' },
    });
    // The other tenant has no designer version of that file: nothing to reset, and this tenant's version is untouched.
    expect(foreignReset.statusCode).toBe(409);
    expect((await complaintVersions(s.designer)).map((v) => v.version)).toEqual([2, 1]);

    const audit = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, s.tenant.id), eq(auditLog.action, 'process.deployed')));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entityType: 'process_resource', entityId: 'complaint.bpmn' });
  });

  it('GET /:id returns the XML of a version with its siblings', async () => {
    const s = await freshTenant();
    const { v2 } = await designerVersion(s);
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/process-definitions/${encodeURIComponent(v2.id)}`,
      headers: s.designer,
    });
    expect(r.statusCode).toBe(200);
    const body = r.json<{ xml: string; versions: Version[]; origin: string }>();
    expect(body.xml).toContain('Clasificare (revizuită)');
    expect(body.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(body.origin).toBe('designer');
  });

  it('GET /diff shows the renamed task as changed', async () => {
    const s = await freshTenant();
    const { v1, v2 } = await designerVersion(s);
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/process-definitions/diff?from=${encodeURIComponent(v1.id)}&to=${encodeURIComponent(v2.id)}`,
      headers: s.designer,
    });
    expect(r.statusCode, r.body).toBe(200);
    const d = r.json<{
      added: unknown[];
      removed: unknown[];
      changed: Array<{ id: string; attributes: unknown[] }>;
    }>();
    expect(d.added).toEqual([]);
    expect(d.removed).toEqual([]);
    expect(d.changed).toEqual([
      expect.objectContaining({
        id: 'triage',
        attributes: [{ name: 'name', oldValue: TRIAGE_NAME, newValue: 'Clasificare (revizuită)' }],
      }),
    ]);
  });

  it('a restart keeps the designer version, even when the baseline file changed', async () => {
    const s = await freshTenant();
    const other = await freshTenant();
    await designerVersion(s);
    const files = (await readBaselineProcesses()).map((f) =>
      f.name === 'complaint.bpmn' ? { ...f, content: f.content.replace(TRIAGE_NAME, 'Baseline nouă') } : f,
    );
    const kept = await deployBaseline(t.engine, s.tenant.id, files);
    expect(kept.kept).toEqual(['complaint.bpmn']);
    expect((await complaintVersions(s.designer)).map((v) => v.version)).toEqual([2, 1]);
    // A tenant without a designer version gets the changed baseline.
    const changed = await deployBaseline(t.engine, other.tenant.id, files);
    expect(changed).toMatchObject({ changed: true, kept: [] });
    expect((await complaintVersions(other.designer)).map((v) => v.version)).toEqual([2, 1]);
  });

  it('POST /baseline-resets goes back to the baseline as a new version (audited), once', async () => {
    // Two cases on version 1, one on the designer's version 2.
    const s = await freshTenant();
    await designerVersion(s);
    await register(s.agent);
    await waitFor(async () => (await complaintVersions(s.designer))[0]!.runningInstances === 1);
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/process-definitions/baseline-resets',
      headers: s.designer,
      payload: { resourceName: 'complaint.bpmn' },
    });
    expect(r.statusCode, r.body).toBe(201);
    const versions = await complaintVersions(s.designer);
    expect(versions.map((v) => [v.version, v.origin])).toEqual([
      [3, 'reset'],
      [2, 'designer'],
      [1, 'baseline'],
    ]);
    expect((await list(s.designer)).find((x) => x.resourceName === 'complaint.bpmn')?.overridden).toBe(false);
    // Running instances of versions 1 and 2 kept their versions.
    expect(versions[1]!.runningInstances).toBe(1);
    expect(versions[2]!.runningInstances).toBe(2);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/process-definitions/baseline-resets',
      headers: s.designer,
      payload: { resourceName: 'complaint.bpmn' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ message: string }>().message).toBe('Fișierul rulează deja versiunea de bază.');
    const audit = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, s.tenant.id), eq(auditLog.action, 'process.reset_to_baseline')));
    expect(audit).toHaveLength(1);
    // After the reset, a restart with a changed baseline deploys it again.
    const files = (await readBaselineProcesses()).map((f) =>
      f.name === 'complaint.bpmn' ? { ...f, content: f.content.replace(TRIAGE_NAME, 'Baseline nouă') } : f,
    );
    expect(await deployBaseline(t.engine, s.tenant.id, files)).toMatchObject({ changed: true, kept: [] });
  });

  it('deploys a DMN table edit for the tenant', async () => {
    const s = await freshTenant();
    const dmn = await readFile('processes/complaint-routing.dmn', 'utf8');
    const r = await deploy(
      dmn.replace('</definitions>', '</definitions>\n'),
      s.designer,
      'complaint-routing.dmn',
    );
    expect(r.statusCode, r.body).toBe(201);
    const res = (await list(s.designer)).find((x) => x.resourceName === 'complaint-routing.dmn')!;
    expect(res.overridden).toBe(true);
    expect(res.definitions[0]!.versions[0]).toMatchObject({
      version: 2,
      origin: 'designer',
      runningInstances: 0,
    });
  });

  it('GET /decision-diff lists the changed rule and cell of a routing table, for this tenant only', async () => {
    const s = await freshTenant();
    const dmn = await readFile('processes/complaint-routing.dmn', 'utf8');
    const changed = dmn
      .replace(
        '<outputEntry id="rule_2_role"><text>"SM"</text>',
        '<outputEntry id="rule_2_role"><text>"SEF"</text>',
      )
      .replace(
        '<description>Inclusiv răspunsuri contestate</description>',
        '<description>Inclusiv răspunsuri contestate și redeschise</description>',
      );
    expect(changed).not.toBe(dmn);
    const r = await deploy(changed, s.designer, 'complaint-routing.dmn');
    expect(r.statusCode, r.body).toBe(201);
    const versions = (await list(s.designer))
      .find((x) => x.resourceName === 'complaint-routing.dmn')!
      .definitions.find((d) => d.key === 'complaint-routing')!.versions;
    const v1 = versions.find((v) => v.version === 1)!;
    const latest = versions[0]!;
    const url = (from: string, to: string) =>
      `/api/process-definitions/decision-diff?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;

    const d = await t.app.inject({ method: 'GET', url: url(v1.id, latest.id), headers: s.designer });
    expect(d.statusCode, d.body).toBe(200);
    const body = d.json<{
      from: string;
      to: string;
      decisions: Array<{
        id: string;
        status: string;
        rules: { added: unknown[]; removed: unknown[]; changed: unknown[] };
      }>;
    }>();
    expect(body).toMatchObject({ from: v1.id, to: latest.id });
    expect(body.decisions).toHaveLength(1);
    expect(body.decisions[0]).toMatchObject({ id: 'complaint-routing', status: 'changed' });
    expect(body.decisions[0]!.rules).toMatchObject({ added: [], removed: [] });
    expect(body.decisions[0]!.rules.changed).toEqual([
      {
        id: 'rule_2',
        oldPosition: 2,
        position: 2,
        attributes: [],
        cells: [
          {
            columnId: 'output_role',
            column: 'Funcția care verifică',
            kind: 'output',
            oldValue: '"SM"',
            newValue: '"SEF"',
          },
        ],
      },
      {
        id: 'rule_9',
        oldPosition: 9,
        position: 9,
        attributes: [
          {
            name: 'annotation',
            oldValue: 'Inclusiv răspunsuri contestate',
            newValue: 'Inclusiv răspunsuri contestate și redeschise',
          },
        ],
        cells: [],
      },
    ]);

    // Another tenant's version does not exist here, on either side of the comparison.
    const acmeV1 = (await list(acmeDesigner)).find((x) => x.resourceName === 'complaint-routing.dmn')!
      .definitions[0]!.versions[0]!;
    for (const [from, to] of [
      [v1.id, latest.id],
      [acmeV1.id, latest.id],
    ] as const) {
      const foreign = await t.app.inject({ method: 'GET', url: url(from, to), headers: acmeDesigner });
      expect(foreign.statusCode).toBe(404);
      expect(foreign.json()).toEqual({
        code: 'PROCESS_DEFINITION_NOT_FOUND',
        message: 'Procesul sau tabelul de decizie nu există.',
      });
    }
    const mixed = await t.app.inject({ method: 'GET', url: url(acmeV1.id, latest.id), headers: s.designer });
    expect(mixed.statusCode).toBe(404);
    // A process version is not a decision table, and the BPMN comparison does not take tables.
    const bpmn = (await complaintVersions(s.designer))[0]!;
    expect(
      (await t.app.inject({ method: 'GET', url: url(bpmn.id, latest.id), headers: s.designer })).statusCode,
    ).toBe(404);
    const asBpmn = await t.app.inject({
      method: 'GET',
      url: `/api/process-definitions/diff?from=${encodeURIComponent(v1.id)}&to=${encodeURIComponent(latest.id)}`,
      headers: s.designer,
    });
    expect(asBpmn.statusCode).toBe(404);
    const officer = await t.login('officer@demo.local');
    expect(
      (await t.app.inject({ method: 'GET', url: url(v1.id, latest.id), headers: officer })).statusCode,
    ).toBe(403);
  });

  it('refuses a routing table that sends a category to a process the tenant does not have', async () => {
    const dmn = await readFile('processes/complaint-routing.dmn', 'utf8');
    const r = await deploy(
      dmn.replace('<text>"verify-billing"</text>', '<text>"verify-nothing"</text>'),
      designer,
      'complaint-routing.dmn',
    );
    expect(r.statusCode).toBe(422);
    expect(r.json()).toEqual({
      code: 'PROCESS_LINT_FAILED',
      message:
        'Versiunea nu a fost publicată: o eroare de validare. rule_1: Procesul de verificare „verify-nothing” nu există.',
    });
  });
});
