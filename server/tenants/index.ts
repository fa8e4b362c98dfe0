/** The tenants module's public face (.dependency-cruiser.cjs): a supplier's identity, settings and policy. */
export {
  changeTenantSettings,
  getTenant,
  getTenantByCode,
  listTenants,
  setSecurityPolicy,
  tenantSettings,
  tenantsByIntakeAddresses,
  upsertTenant,
  type TenantSettings,
} from './tenants.service.ts';
