/**
 * The process designer's service (createDesignerService below). One file although past 300 lines: its
 * operations share the tenant's version listing and lint context inside one closure over the engine client and
 * the database; the pure parts already live apart (lint/, dmn-diff.ts, engine/bpmn-metadata.ts).
 */
import { createHash } from 'node:crypto';
import { BpmnModdle } from 'bpmn-moddle';
import { diff as bpmnDiff } from 'bpmn-js-differ';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };
import type { Db } from '../db/client.ts';
import { appendAudit } from '../audit/index.ts';
import { type Principal } from '../auth/index.ts';
import { parseBpmn } from '../engine/bpmn-metadata.ts';
import { EngineError, type Definition, type Deployment, type EngineClient } from '../engine/client.ts';
import {
  DEPLOYMENT_SOURCES,
  overriddenResources,
  readBaselineProcesses,
} from '../engine/deploy-processes.ts';
import { DomainError } from '../errors.ts';
import { type Instruction } from '../instructions/index.ts';
import { jobRolesOf } from '../org-chart/index.ts';
import { TASK_FORMS } from '../tasks/index.ts';
import { TOPICS } from '../../processes/topics.ts';
import { lintBpmn, type LintIssue } from './lint/bpmn-lint.ts';
import { lintDmn } from './lint/dmn-lint.ts';
import { declaredDecisionIds } from './lint/allow-list.ts';
import { knownVariables } from './lint/known-variables.ts';
import { diffDmn } from './dmn-diff.ts';
import { complaintCategories } from '../codes/case-codes.ts';

export type DefinitionKind = 'bpmn' | 'dmn';
export type VersionOrigin = 'baseline' | 'designer' | 'reset';

export interface DefinitionVersion {
  id: string;
  key: string;
  name: string;
  version: number;
  kind: DefinitionKind;
  resourceName: string;
  origin: VersionOrigin;
  deployedAt: string | null;
  /** Running process instances of this version (0 for decision tables). */
  runningInstances: number;
}

export interface ResourceSummary {
  resourceName: string;
  kind: DefinitionKind;
  /** The tenant runs its designer's version of this file (a restart does not replace it). */
  overridden: boolean;
  definitions: Array<{ key: string; name: string; versions: DefinitionVersion[] }>;
}

const moddle = new BpmnModdle({ camunda: camundaModdle });

function kindOf(resourceName: string): DefinitionKind {
  return resourceName.endsWith('.dmn') ? 'dmn' : 'bpmn';
}

function originOf(d: Deployment | undefined): VersionOrigin {
  if (d?.source === DEPLOYMENT_SOURCES.designer) return 'designer';
  if (d?.source === DEPLOYMENT_SOURCES.reset) return 'reset';
  return 'baseline';
}

/** The ids of the definitions a file declares (processes, decisions), whatever namespace prefix it uses. */
async function declaredKeys(kind: DefinitionKind, xml: string): Promise<string> {
  const keys = kind === 'bpmn' ? (await parseBpmn(xml)).map((p) => p.processId) : declaredDecisionIds(xml);
  return keys.sort().join(',');
}

/**
 * The process designer: the tenant's processes and decision tables with their versions, lint, deployment of a new
 * version for the tenant only, reset to the baseline, the difference between two versions and where running
 * instances wait. Only the designer reaches it (the routes check the role); every deployment is audited.
 */
export function createDesignerService(deps: {
  db: Db;
  engine: EngineClient;
  instructions: Map<string, Instruction>;
}) {
  const { db, engine } = deps;

  async function versions(
    tenantId: string,
    tenantDeployments?: Promise<Deployment[]>,
  ): Promise<DefinitionVersion[]> {
    const [procs, decisions, deployments] = await Promise.all([
      engine.listProcessDefinitions(tenantId),
      engine.listDecisionDefinitions(tenantId),
      tenantDeployments ?? engine.listDeployments(tenantId),
    ]);
    const byId = new Map(deployments.map((d) => [d.id, d]));
    const running = await engine.runningInstanceCounts(
      tenantId,
      procs.filter((d) => d.tenantId === tenantId).map((d) => d.id),
    );
    const toVersion = (d: Definition, kind: DefinitionKind): DefinitionVersion => ({
      id: d.id,
      key: d.key,
      name: d.name ?? d.key,
      version: d.version,
      kind,
      resourceName: d.resource,
      origin: originOf(byId.get(d.deploymentId)),
      deployedAt: byId.get(d.deploymentId)?.deploymentTime ?? null,
      runningInstances: running.get(d.id) ?? 0,
    });
    return [
      ...procs.filter((d) => d.tenantId === tenantId).map((d) => toVersion(d, 'bpmn')),
      ...decisions.filter((d) => d.tenantId === tenantId).map((d) => toVersion(d, 'dmn')),
    ];
  }

  async function list(p: Principal): Promise<ResourceSummary[]> {
    const deploymentsOnce = engine.listDeployments(p.tenantId);
    const [all, deployments] = await Promise.all([versions(p.tenantId, deploymentsOnce), deploymentsOnce]);
    const overridden = overriddenResources(deployments);
    const resources = new Map<string, ResourceSummary>();
    for (const v of all) {
      let r = resources.get(v.resourceName);
      if (!r) {
        r = {
          resourceName: v.resourceName,
          kind: v.kind,
          overridden: overridden.has(v.resourceName),
          definitions: [],
        };
        resources.set(v.resourceName, r);
      }
      let def = r.definitions.find((d) => d.key === v.key);
      if (!def) {
        def = { key: v.key, name: v.name, versions: [] };
        r.definitions.push(def);
      }
      def.versions.push(v);
    }
    for (const r of resources.values())
      for (const d of r.definitions) {
        d.versions.sort((a, b) => b.version - a.version);
        d.name = d.versions[0]!.name;
      }
    return [...resources.values()].sort((a, b) =>
      a.kind === b.kind ? a.resourceName.localeCompare(b.resourceName) : a.kind === 'bpmn' ? -1 : 1,
    );
  }

  /** One version of the tenant's (another tenant's definitions do not exist here). */
  async function version(p: Principal, definitionId: string): Promise<DefinitionVersion> {
    const [proc, decision] = await Promise.all([
      engine.getDefinition('process', definitionId),
      engine.getDefinition('decision', definitionId),
    ]);
    const def = proc ?? decision;
    if (!def || def.tenantId !== p.tenantId) throw new DomainError('PROCESS_DEFINITION_NOT_FOUND');
    const v = (await versions(p.tenantId)).find((x) => x.id === def.id);
    if (!v) throw new DomainError('PROCESS_DEFINITION_NOT_FOUND');
    return v;
  }

  async function get(p: Principal, definitionId: string) {
    const v = await version(p, definitionId);
    const [xml, all] = await Promise.all([
      v.kind === 'bpmn' ? engine.getBpmnXml(v.id) : engine.getDmnXml(v.id),
      versions(p.tenantId),
    ]);
    const siblings = all
      .filter((x) => x.key === v.key && x.kind === v.kind)
      .sort((a, b) => b.version - a.version);
    return { ...v, xml, versions: siblings, catalog: await catalog(p.tenantId) };
  }

  /** What the editor's pickers offer: work instructions, the tenant's job roles, topics with a worker. */
  async function catalog(tenantId: string) {
    const roles = await jobRolesOf(db, tenantId);
    return {
      instructions: [...deps.instructions.values()]
        .map((i) => ({ id: i.id, title: i.title, role: i.role }))
        .sort((a, b) => a.id.localeCompare(b.id, 'ro', { numeric: true })),
      jobRoles: roles
        .map((r) => ({ code: r.code, name: r.name }))
        .sort((a, b) => a.code.localeCompare(b.code)),
      topics: Object.values(TOPICS).sort(),
    };
  }

  async function lintContext(tenantId: string) {
    const [roles, procs, decisions, variables] = await Promise.all([
      jobRolesOf(db, tenantId),
      engine.listProcessDefinitions(tenantId),
      engine.listDecisionDefinitions(tenantId),
      knownVariables(),
    ]);
    return {
      variables,
      instructionIds: new Set(deps.instructions.keys()),
      jobRoles: new Set(roles.map((r) => r.code)),
      topics: new Set<string>(Object.values(TOPICS)),
      forms: new Set<string>(TASK_FORMS),
      // A call activity or a business rule task reaches only what this tenant deployed.
      processKeys: new Set(procs.filter((d) => d.tenantId === tenantId).map((d) => d.key)),
      decisionKeys: new Set(decisions.filter((d) => d.tenantId === tenantId).map((d) => d.key)),
    };
  }

  async function lint(p: Principal, kind: DefinitionKind, xml: string): Promise<LintIssue[]> {
    if (kind === 'dmn') {
      const [roles, procs] = await Promise.all([
        jobRolesOf(db, p.tenantId),
        engine.listProcessDefinitions(p.tenantId),
      ]);
      return lintDmn(xml, {
        categories: complaintCategories,
        processKeys: new Set(procs.filter((d) => d.tenantId === p.tenantId).map((d) => d.key)),
        jobRoles: new Set(roles.map((r) => r.code)),
      });
    }
    return lintBpmn(xml, await lintContext(p.tenantId));
  }

  async function baselineFile(resourceName: string) {
    const file = (await readBaselineProcesses()).find((f) => f.name === resourceName);
    if (!file) throw new DomainError('PROCESS_RESOURCE_UNKNOWN', { resourceName });
    return file;
  }

  async function deploy(p: Principal, input: { resourceName: string; xml: string }) {
    const baseline = await baselineFile(input.resourceName);
    const kind = kindOf(baseline.name);
    const issues = await lint(p, kind, input.xml);
    const errors = issues.filter((i) => i.severity === 'error');
    if (errors.length > 0) {
      // What would run code comes first: a process that also breaks other rules still names it.
      const first = [
        ...errors.filter((e) => e.rule === 'reclamatii/allow-list'),
        ...errors.filter((e) => e.rule !== 'reclamatii/allow-list'),
      ]
        .slice(0, 3)
        .map((e) => (e.elementId ? `${e.elementId}: ${e.message}` : e.message))
        .join(' ');
      throw new DomainError(
        'PROCESS_LINT_FAILED',
        { errors: errors.length },
        `Versiunea nu a fost publicată: ${errors.length === 1 ? 'o eroare' : `${errors.length} erori`} de validare. ${first}`,
      );
    }
    if ((await declaredKeys(kind, input.xml)) !== (await declaredKeys(kind, baseline.content)))
      throw new DomainError('PROCESS_KEY_CHANGED', { resourceName: input.resourceName });

    let result: Awaited<ReturnType<EngineClient['deploy']>>;
    try {
      result = await engine.deploy({
        tenantId: p.tenantId,
        name: `designer:${input.resourceName}`,
        source: DEPLOYMENT_SOURCES.designer,
        files: [{ name: input.resourceName, content: input.xml }],
        duplicateFiltering: false,
      });
    } catch (err) {
      if (err instanceof EngineError && err.status === 400)
        throw new DomainError(
          'PROCESS_DEPLOY_REFUSED',
          {},
          `Motorul de procese a refuzat versiunea: ${err.message.slice(0, 300)}`,
        );
      throw err;
    }
    const definitions = deployedDefinitions(result);
    await appendAudit(db, {
      tenantId: p.tenantId,
      actorId: p.userId,
      actorKind: 'user',
      action: 'process.deployed',
      entityType: 'process_resource',
      entityId: input.resourceName,
      details: {
        deploymentId: result.id,
        definitions,
        sha256: createHash('sha256').update(input.xml).digest('hex'),
        warnings: issues.length,
      },
    });
    return { deploymentId: result.id, definitions };
  }

  async function resetToBaseline(p: Principal, resourceName: string) {
    const baseline = await baselineFile(resourceName);
    const overridden = overriddenResources(await engine.listDeployments(p.tenantId));
    if (!overridden.has(resourceName)) throw new DomainError('PROCESS_NOT_OVERRIDDEN', { resourceName });
    const result = await engine.deploy({
      tenantId: p.tenantId,
      name: `reset:${resourceName}`,
      source: DEPLOYMENT_SOURCES.reset,
      files: [baseline],
      duplicateFiltering: false,
    });
    const definitions = deployedDefinitions(result);
    await appendAudit(db, {
      tenantId: p.tenantId,
      actorId: p.userId,
      actorKind: 'user',
      action: 'process.reset_to_baseline',
      entityType: 'process_resource',
      entityId: resourceName,
      details: { deploymentId: result.id, definitions },
    });
    return { deploymentId: result.id, definitions };
  }

  /** What changed from one BPMN version to another: added, removed and changed elements (layout apart). */
  async function diff(p: Principal, fromId: string, toId: string) {
    const [from, to] = await Promise.all([version(p, fromId), version(p, toId)]);
    if (from.kind !== 'bpmn' || to.kind !== 'bpmn') throw new DomainError('PROCESS_DEFINITION_NOT_FOUND');
    const [a, b] = await Promise.all([
      engine.getBpmnXml(from.id).then((x) => moddle.fromXML(x)),
      engine.getBpmnXml(to.id).then((x) => moddle.fromXML(x)),
    ]);
    const d = bpmnDiff(a.rootElement, b.rootElement);
    const el = (e: { $type: string; id: string; name?: string }) => ({
      id: e.id,
      type: e.$type.replace(/^bpmn:/, ''),
      name: e.name ?? null,
    });
    return {
      from: from.id,
      to: to.id,
      added: Object.values(d._added).map(el),
      removed: Object.values(d._removed).map(el),
      changed: Object.values(d._changed).map((c) => ({
        ...el(c.model),
        // bpmn-js-differ 3 reports the values the other way round (checked by the API test).
        attributes: Object.entries(c.attrs).map(([name, v]) => ({
          name,
          oldValue: shown(v.newValue),
          newValue: shown(v.oldValue),
        })),
      })),
      layoutChanged: Object.values(d._layoutChanged).map(el),
    };
  }

  /** What changed from one version of a DMN file to another, per decision: columns, rules and their cells. */
  async function decisionDiff(p: Principal, fromId: string, toId: string) {
    const [from, to] = await Promise.all([version(p, fromId), version(p, toId)]);
    if (from.kind !== 'dmn' || to.kind !== 'dmn') throw new DomainError('PROCESS_DEFINITION_NOT_FOUND');
    const [a, b] = await Promise.all([engine.getDmnXml(from.id), engine.getDmnXml(to.id)]);
    return { from: from.id, to: to.id, ...(await diffDmn(a, b)) };
  }

  /** Per activity of one process version: how many instances wait there now, and open incidents. */
  async function statistics(p: Principal, definitionId: string) {
    const v = await version(p, definitionId);
    if (v.kind !== 'bpmn') return { definitionId: v.id, activities: [] };
    const stats = await engine.activityStatistics(v.id);
    return {
      definitionId: v.id,
      activities: stats
        .map((s) => ({
          activityId: s.id,
          instances: s.instances,
          incidents: s.incidents.reduce((n, i) => n + i.incidentCount, 0),
        }))
        .filter((s) => s.instances > 0 || s.incidents > 0),
    };
  }

  return { list, get, lint, deploy, resetToBaseline, diff, decisionDiff, statistics };
}

function shown(v: unknown): string | null {
  if (v == null) return null;
  return typeof v === 'object' ? '…' : String(v as string | number | boolean);
}

function deployedDefinitions(result: {
  deployedProcessDefinitions?: Record<string, { id: string; key: string; version: number }> | null;
}): Array<{ id: string; key: string; version: number }> {
  const r = result as {
    deployedProcessDefinitions?: Record<string, { id: string; key: string; version: number }> | null;
    deployedDecisionDefinitions?: Record<string, { id: string; key: string; version: number }> | null;
  };
  return [
    ...Object.values(r.deployedProcessDefinitions ?? {}),
    ...Object.values(r.deployedDecisionDefinitions ?? {}),
  ].map((d) => ({ id: d.id, key: d.key, version: d.version }));
}

export type DesignerService = ReturnType<typeof createDesignerService>;
