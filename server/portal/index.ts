/**
 * The consumer portal's public face (.dependency-cruiser.cjs): sign-in by one-time code, linking one's customer
 * accounts, one's cases and what one sends about them, and the checks of uploaded files.
 */
export {
  CODES_PER_EMAIL_WINDOW_MS,
  CODES_PER_IP_WINDOW_MS,
  createPortalAuthService,
  type ConsumerPrincipal,
  type PortalAuthDeps,
  type PortalAuthService,
} from './portal-auth.service.ts';
export { createPortalService, type PortalService } from './portal.service.ts';
export {
  anonymisePortalSubmissionsOfCase,
  ensureConsumerAccount,
  linkedCustomersOf,
  portalSuppliers,
  purgeExpiredConsumerSessions,
  purgeSpentLoginCodes,
} from './portal-directory.ts';
export {
  checkFiles,
  MAX_FILE_BYTES,
  MAX_FILES,
  MAX_TOTAL_BYTES,
  safeFileName,
  type CheckedFile,
  type IncomingFile,
} from './uploads.ts';
