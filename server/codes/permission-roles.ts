/**
 * Permission roles decide what a person may do in the app (checked on the server for every route); the job roles
 * of the organisation chart (job-roles.ts) decide which tasks reach whom. No imports: the web pages may import
 * this file too, and the schema, the API's schemas and the services share this one list.
 */
export const permissionRoles = ['agent', 'officer', 'supervisor', 'designer', 'admin'] as const;
export type PermissionRole = (typeof permissionRoles)[number];

/** Roles only a second administrator may grant (two-person rule, issue 13 item 1). */
export const privilegedRoles = ['admin', 'designer'] as const satisfies readonly PermissionRole[];
