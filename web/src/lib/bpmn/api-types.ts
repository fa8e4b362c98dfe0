/** Types of /api/process-definitions (server/routes/api/process-definitions/process-definitions.schemas.ts). */

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
  runningInstances: number;
}

export interface ProcessResource {
  resourceName: string;
  kind: DefinitionKind;
  overridden: boolean;
  definitions: Array<{ key: string; name: string; versions: DefinitionVersion[] }>;
}

export interface DesignerCatalog {
  instructions: Array<{ id: string; title: string; role: string }>;
  jobRoles: Array<{ code: string; name: string }>;
  topics: string[];
}

export interface DefinitionDetail extends DefinitionVersion {
  xml: string;
  versions: DefinitionVersion[];
  catalog: DesignerCatalog;
}

export interface LintIssue {
  elementId: string | null;
  rule: string;
  severity: 'error' | 'warning';
  message: string;
}

export interface DeploymentResult {
  deploymentId: string;
  definitions: Array<{ id: string; key: string; version: number }>;
}

export interface DiffElement {
  id: string;
  type: string;
  name: string | null;
}

export interface DefinitionDiff {
  from: string;
  to: string;
  added: DiffElement[];
  removed: DiffElement[];
  changed: Array<
    DiffElement & { attributes: Array<{ name: string; oldValue: string | null; newValue: string | null }> }
  >;
  layoutChanged: DiffElement[];
}

export interface ActivityStatistics {
  activityId: string;
  instances: number;
  incidents: number;
}

export const ORIGIN_LABELS: Record<VersionOrigin, string> = {
  baseline: 'Versiunea de bază',
  designer: 'Publicată din designer',
  reset: 'Revenire la versiunea de bază',
};
