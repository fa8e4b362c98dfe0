/**
 * The audit module's public face: the audit log (one append function, called inside the transaction of the change
 * it records), its hash chain, and the personal-data access log. Other modules import this file only
 * (.dependency-cruiser.cjs).
 */
export { appendAudit, auditInStatement, auditOf, type ActorKind, type AuditInput } from './audit.ts';
export {
  accessLogOf,
  logAccess,
  logCaseAccess,
  viaOf,
  VIA_HEADER,
  type AccessEntry,
  type AccessQuery,
  type CaseAccessEntry,
} from './access-log.ts';
export { auditChainKey, startAuditSealer } from './audit-chain.ts';
export { auditAnchorDir } from './audit-anchors.ts';
