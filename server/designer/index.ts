/**
 * The process designer's public face (.dependency-cruiser.cjs): the service that lists, checks, deploys and
 * resets a tenant's process and decision definitions.
 */
export {
  createDesignerService,
  type DefinitionKind,
  type DefinitionVersion,
  type DesignerService,
  type ResourceSummary,
  type VersionOrigin,
} from './designer.service.ts';
