/**
 * The auth module's public face (.dependency-cruiser.cjs): staff sign-in, sessions, the second factor, and the
 * helpers other modules need to treat passwords and tokens the same way (users sets passwords, the portal issues
 * consumer sessions).
 */
export {
  createAuthService,
  LOGIN_LOCK_WINDOW_MS,
  loginAddressHash,
  loginDelayMs,
  type AuthService,
  type Principal,
  type SecondFactorStage,
} from './auth.service.ts';
export { createTotpService, type SecurityPolicy, type TotpService } from './totp.service.ts';
export { hashPassword, verifyPassword } from './passwords.ts';
export { requireRecentAuth } from './reauth.ts';
export { generateSessionToken, sessionIdOf } from './tokens.ts';
export {
  clearLoginFailures,
  createStaffAccount,
  endSessionsOf,
  purgeExpiredStaffSessions,
  purgeOldLoginFailures,
  updateStaffAccount,
  upsertStaffAccount,
} from './accounts.ts';
