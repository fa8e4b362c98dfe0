/**
 * The retention module's public face (.dependency-cruiser.cjs): storage limitation (closed cases anonymised after
 * the tenant's period) and erasure for a GDPR request, each owner removing its own rows in one transaction.
 */
export { eraseForRequest, LEGAL_MINIMUM_MONTHS, runRetention, startRetention } from './retention.ts';
