/** Types of /api/process-definitions, named from the contract generated from its route schemas (gen:api). */
import type * as Api from '$lib/api/generated';

export type ProcessResource = Api.GetApiProcessDefinitionsResponse['resources'][number];
export type DefinitionVersion = ProcessResource['definitions'][number]['versions'][number];
export type DefinitionKind = DefinitionVersion['kind'];
export type VersionOrigin = DefinitionVersion['origin'];
export type DefinitionDetail = Api.GetApiProcessDefinitionsByDefinitionIdResponse;
export type DesignerCatalog = DefinitionDetail['catalog'];
export type LintIssue = Api.PostApiProcessDefinitionsLintResponse['issues'][number];
export type DeploymentResult = Api.PostApiProcessDefinitionsDeploymentsResponse;
export type DefinitionDiff = Api.GetApiProcessDefinitionsDiffResponse;
export type DecisionTableDiff = Api.GetApiProcessDefinitionsDecisionDiffResponse;
export type DecisionDiff = DecisionTableDiff['decisions'][number];
export type ActivityStatistics =
  Api.GetApiProcessDefinitionsByDefinitionIdStatisticsResponse['activities'][number];

export const ORIGIN_LABELS: Record<VersionOrigin, string> = {
  baseline: 'Versiunea de bază',
  designer: 'Publicată din designer',
  reset: 'Revenire la versiunea de bază',
};
