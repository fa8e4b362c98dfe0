/**
 * Test data through the real services, in one place: tenants (the seed's tenant set-up and the engine's
 * deployment), staff (the seed's user set-up), customers (the customer import), cases (the one registration
 * every channel uses, which starts the process in the engine) and GDPR requests (their API). Every factory gives fresh names and codes, so a test
 * never depends on what another test created, and fills in what the test does not care about.
 */
export { createTenant, type FactoryTenant } from './tenants.ts';
export { createUser, type FactoryUser } from './users.ts';
export {
  createCustomer,
  demoCustomer,
  MARIA_PLACE,
  type FactoryCustomer,
  type FactoryPlace,
} from './customers.ts';
export { createCase, type CaseInput } from './cases.ts';
export { createPrivacyRequest } from './privacy-requests.ts';
