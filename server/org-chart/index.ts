/** The organisation chart's public face (.dependency-cruiser.cjs): departments, job roles and who holds them. */
export { createOrgChartService, type OrgChartService } from './org-chart.service.ts';
export {
  assignJobRoles,
  ensureDefaultOrgChart,
  holdersOfRoles,
  jobRolesOf,
  staffToNotify,
} from './default-org-chart.ts';
