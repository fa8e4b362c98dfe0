/** The tenants module's public face (.dependency-cruiser.cjs): a supplier's identity, settings and policy. */
export {
  changeTenantSettings,
  getTenant,
  getTenantByCode,
  listTenants,
  setSecurityPolicy,
  tenantSettings,
  upsertTenant,
  type TenantSettings,
} from './tenants.service.ts';
