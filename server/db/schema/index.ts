export * from './tenants.ts';
export * from './users.ts';
export * from './customers.ts';
export * from './cases.ts';
export * from './audit.ts';
export * from './mail.ts';
export * from './handling.ts';
export * from './documents.ts';
