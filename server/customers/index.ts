/** The customers module's public face (.dependency-cruiser.cjs): customer files and places of consumption. */
export {
  findCustomers,
  getCustomer,
  getPlace,
  importCustomer,
  type CustomerFile,
} from './customers.service.ts';
