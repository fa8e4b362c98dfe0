/**
 * Staff sign-in and sessions (createAuthService below): password, throttling, TOTP second factor, re-authentication,
 * session validation and logout. One file although past 300 lines: every step reads and writes the same session and
 * login-failure rows under the same rules (lifetimes, throttle), which split would scatter.
 */
import { createHmac } from 'node:crypto';
import type { Db, DbOrTx } from '../db/client.ts';
import type { PermissionRole, User } from '../db/schema/index.ts';
import { withAllTenants, withTenant } from '../db/tenant-scope.ts';
import { DomainError } from '../errors.ts';
import { appendAudit } from '../audit/index.ts';
import {
  clearPairFailures,
  deleteAllExpiredSessions,
  deleteSession,
  findUserByEmail,
  getSessionForUpdate,
  getUserForUpdate,
  insertSession,
  lockLoginPair,
  pairFailures,
  recordFailure,
  recordLogin,
  recoveryCodesLeft,
  sessionWithUser,
  setTotp,
  spendRecoveryCode,
  updateSession,
} from './auth.repo.ts';
import { dummyPasswordHash, verifyPassword } from './passwords.ts';
import { generateSessionToken, sessionIdOf } from './tokens.ts';
import { acceptedStep, looksLikeTotp, openTotpSecret, recoveryCodeHash } from './totp.ts';

/** Staff sessions: 8 hours idle, renewed (sliding) when less than half remains, never past the absolute lifetime. */
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;

/** A session whose password was right but whose TOTP code is still due lasts this long. */
export const SECOND_FACTOR_TTL_MS = 10 * 60 * 1000;

/** Wrong second-factor codes on one session before it ends (the password must be given again). */
export const SECOND_FACTOR_MAX_FAILURES = 5;

/**
 * Throttling of password and code guesses, per account AND client address: this many failures of the account
 * from one address within the window are free; each further try from that address waits a delay that doubles
 * (30 s, 1 min, 2 min, ... at most 15 min) and is refused unchecked before it. Other addresses are not slowed,
 * so an outsider who knows an e-mail cannot keep its owner out; a guesser must change address to keep going,
 * which the per-address request limits and, for the roles that matter, TOTP make pointless.
 */
export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_LOCK_WINDOW_MS = 15 * 60 * 1000;
const LOGIN_BASE_DELAY_MS = 30 * 1000;
const LOGIN_MAX_DELAY_MS = 15 * 60 * 1000;

/** How long the account must wait from its last failure after `failures` failures from one address. */
export function loginDelayMs(failures: number): number {
  if (failures < LOGIN_MAX_FAILURES) return 0;
  return Math.min(LOGIN_MAX_DELAY_MS, LOGIN_BASE_DELAY_MS * 2 ** (failures - LOGIN_MAX_FAILURES));
}

/** Roles that must use TOTP wherever the installation enforces it (config.staffTotpRequired). */
export const TOTP_REQUIRED_ROLES: readonly PermissionRole[] = ['admin', 'supervisor', 'designer'];

/** Re-authentication (password, and TOTP when enrolled) counts this long for the sensitive operations. */
export const REAUTH_WINDOW_MS = 10 * 60 * 1000;

/**
 * The address as the failure rows know it: keyed, so a database copy does not list who tried to log in. The
 * admin's unlock (server/users) computes the same value to clear an address's failures.
 */
export function loginAddressHash(secret: string, email: string): string {
  return createHmac('sha256', secret).update(`staff-login:${email}`).digest('hex').slice(0, 32);
}

/** The client address as the failure rows know it (keyed too: no IP addresses in the table). */
export function clientAddressHash(secret: string, address: string): string {
  return createHmac('sha256', secret).update(`staff-login-ip:${address}`).digest('hex').slice(0, 32);
}

export type SecondFactorStage = 'totp' | 'enrol' | 'full';

export interface Principal {
  userId: string;
  tenantId: string;
  tenantCode: string;
  email: string;
  name: string;
  roles: PermissionRole[];
  /** Job roles held (the engine's candidate groups). */
  jobRoles: string[];
  sessionId: string;
  sessionExpiresAt: Date;
  /**
   * Where the session stands (absent on principals built in-process, which are not sessions): `totp`: the code
   * is due; `enrol`: the person must set up TOTP first; `full`: signed in. Only `full` may use the app.
   */
  secondFactor?: { stage: SecondFactorStage; enrolled: boolean; required: boolean };
  /** The last sign-in or re-authentication of this session (see server/auth/reauth.ts). */
  authenticatedAt?: Date;
}

/** Whether this person must use TOTP: by role where the installation enforces it, or everyone by tenant choice. */
export function totpRequired(
  roles: readonly PermissionRole[],
  enforcedForRoles: boolean,
  forAllStaff: boolean,
) {
  return forAllStaff || (enforcedForRoles && roles.some((r) => TOTP_REQUIRED_ROLES.includes(r)));
}

export interface AuthOptions {
  /** config.staffTotpRequired: admins, supervisors and designers must use TOTP. */
  totpRequiredForRoles: boolean;
}

function tooManyFailures(lastFailure: Date, failures: number, now: number): DomainError | null {
  const waitMs = lastFailure.getTime() + loginDelayMs(failures) - now;
  if (waitMs <= 0) return null;
  const seconds = Math.ceil(waitMs / 1000);
  const when = seconds < 90 ? `${seconds} de secunde` : `${Math.ceil(seconds / 60)} de minute`;
  return new DomainError(
    'AUTH_LOGIN_LOCKED',
    { retryAfterSeconds: seconds },
    `Prea multe încercări nereușite pentru acest cont de pe această adresă. Reîncercați peste ${when}.`,
  );
}

export function createAuthService(
  db: Db,
  secret: string,
  options: AuthOptions = { totpRequiredForRoles: false },
) {
  /** Refuses (without checking anything) a try that comes before the delay its address has earned. */
  async function throttle(tx: DbOrTx, emailHash: string, addressHash: string) {
    await lockLoginPair(tx, emailHash, addressHash);
    const f = await pairFailures(tx, emailHash, addressHash, new Date(Date.now() - LOGIN_LOCK_WINDOW_MS));
    const refused = f.last && tooManyFailures(f.last, f.n, Date.now());
    if (refused) throw refused;
    return f.n;
  }

  /**
   * A second factor given by the person: a TOTP code (each time step once) or an unused recovery code (spent).
   * Call with the user row locked.
   */
  async function secondFactorOk(
    tx: DbOrTx,
    user: User,
    code: string,
  ): Promise<'totp' | 'recovery_code' | null> {
    if (!user.totpSecret) return null;
    if (looksLikeTotp(code)) {
      const step = acceptedStep(openTotpSecret(secret, user.totpSecret), code, user.totpLastStep);
      if (step === null) return null;
      await setTotp(tx, user.tenantId, user.id, { totpLastStep: step });
      return 'totp';
    }
    if (code.length > 64) return null;
    return (await spendRecoveryCode(tx, user.id, recoveryCodeHash(secret, user.id, code)))
      ? 'recovery_code'
      : null;
  }

  async function auditRecoveryUse(tx: DbOrTx, user: User) {
    await appendAudit(tx, {
      tenantId: user.tenantId,
      actorId: user.id,
      actorKind: 'user',
      action: 'user.recovery_code_used',
      entityType: 'user',
      entityId: user.id,
      details: { left: await recoveryCodesLeft(tx, user.id) },
    });
  }

  /**
   * Step one: e-mail and password. Right: a session; when the person uses TOTP, the session can only take the
   * code (`secondFactor.stage` 'totp') until it is given. Wrong: 401, the same whether the account exists.
   */
  async function login(
    rawEmail: string,
    password: string,
    clientAddress = 'unknown',
  ): Promise<{ token: string; principal: Principal }> {
    const email = rawEmail.trim().toLowerCase();
    const emailHash = loginAddressHash(secret, email);
    const addressHash = clientAddressHash(secret, clientAddress);
    // The account is found by its e-mail before its tenant is known: the one step of a login that looks across
    // tenants (row-level security, server/db/tenant-scope.ts); everything after runs in the account's tenant.
    const user = await withAllTenants('staff login: the account is found by its e-mail', () =>
      db.transaction(async (tx) => {
        const failures = await throttle(tx, emailHash, addressHash);
        const found = await findUserByEmail(tx, email);
        const ok = found?.active
          ? await verifyPassword(found.passwordHash, password)
          : await verifyPassword(await dummyPasswordHash(), password).then(() => false);
        if (ok) return found!;
        await recordFailure(tx, emailHash, addressHash);
        if (found) {
          await appendAudit(tx, {
            tenantId: found.tenantId,
            actorId: found.id,
            actorKind: 'user',
            action: 'auth.login_failed',
            entityType: 'user',
            entityId: found.id,
            details: { failuresFromAddress: failures + 1 },
          });
        }
        return null;
      }),
    );
    if (!user) throw new DomainError('AUTH_INVALID_CREDENTIALS');
    const token = generateSessionToken();
    const twoStep = user.totpEnabledAt !== null && user.totpSecret !== null;
    await withTenant(user.tenantId, () =>
      db.transaction(async (tx) => {
        await insertSession(tx, {
          id: sessionIdOf(token),
          userId: user.id,
          tenantId: user.tenantId,
          // The absolute lifetime caps it at the first validation (validateSessionToken).
          expiresAt: new Date(Date.now() + (twoStep ? SECOND_FACTOR_TTL_MS : SESSION_TTL_MS)),
          stage: twoStep ? 'password' : 'full',
        });
        if (!twoStep) await signedIn(tx, user, emailHash, addressHash, 'password');
      }),
    );
    const principal = await validateSessionToken(token);
    if (!principal) throw new DomainError('AUTH_SESSION_INVALID');
    return { token, principal };
  }

  /** A complete sign-in: the address's failures go, the login is recorded. */
  async function signedIn(
    tx: DbOrTx,
    user: User,
    emailHash: string,
    addressHash: string,
    with_: 'password' | 'totp' | 'recovery_code',
  ) {
    await clearPairFailures(tx, emailHash, addressHash);
    await recordLogin(tx, user.id);
    await appendAudit(tx, {
      tenantId: user.tenantId,
      actorId: user.id,
      actorKind: 'user',
      action: 'auth.login',
      entityType: 'user',
      entityId: user.id,
      details: { secondFactor: with_ === 'password' ? null : with_ },
    });
  }

  /**
   * Step two: the TOTP code (or a recovery code) on a session whose password was right. Wrong codes count
   * against the account from this address like wrong passwords, and SECOND_FACTOR_MAX_FAILURES of them end the
   * session.
   */
  async function verifySecondFactor(
    p: Principal,
    code: string,
    clientAddress = 'unknown',
  ): Promise<Principal> {
    if (p.secondFactor?.stage !== 'totp') throw new DomainError('AUTH_SECOND_FACTOR_NOT_DUE');
    const emailHash = loginAddressHash(secret, p.email);
    const addressHash = clientAddressHash(secret, clientAddress);
    const outcome = await db.transaction(async (tx) => {
      await throttle(tx, emailHash, addressHash);
      const session = await getSessionForUpdate(tx, p.sessionId);
      const user = await getUserForUpdate(tx, p.tenantId, p.userId);
      if (!session || session.stage !== 'password' || !user?.active) return 'gone' as const;
      const used = await secondFactorOk(tx, user, code);
      if (!used) {
        await recordFailure(tx, emailHash, addressHash);
        const failures = session.secondFactorFailures + 1;
        await appendAudit(tx, {
          tenantId: user.tenantId,
          actorId: user.id,
          actorKind: 'user',
          action: 'auth.second_factor_failed',
          entityType: 'user',
          entityId: user.id,
          details: { failuresInSession: failures },
        });
        if (failures >= SECOND_FACTOR_MAX_FAILURES) {
          await deleteSession(tx, session.id);
          return 'ended' as const;
        }
        await updateSession(tx, session.id, { secondFactorFailures: failures });
        return 'wrong' as const;
      }
      const now = new Date();
      await updateSession(tx, session.id, {
        stage: 'full',
        authenticatedAt: now,
        secondFactorFailures: 0,
        expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
      });
      if (used === 'recovery_code') await auditRecoveryUse(tx, user);
      await signedIn(tx, user, emailHash, addressHash, used);
      return 'ok' as const;
    });
    if (outcome === 'gone') throw new DomainError('AUTH_SESSION_INVALID');
    if (outcome === 'ended') throw new DomainError('AUTH_SECOND_FACTOR_TOO_MANY');
    if (outcome === 'wrong') throw new DomainError('AUTH_SECOND_FACTOR_INVALID');
    const token = await validateSessionById(p.sessionId);
    if (!token) throw new DomainError('AUTH_SESSION_INVALID');
    return token;
  }

  /**
   * Proves again who is at the keyboard before a sensitive operation (granting roles, the mailbox): the password,
   * and a TOTP or recovery code when the person uses TOTP. Throttled like the login.
   */
  async function reauthenticate(
    p: Principal,
    input: { password: string; code?: string | undefined },
    clientAddress = 'unknown',
  ): Promise<Principal> {
    if (p.secondFactor && p.secondFactor.stage !== 'full')
      throw new DomainError('AUTH_SECOND_FACTOR_REQUIRED');
    const emailHash = loginAddressHash(secret, p.email);
    const addressHash = clientAddressHash(secret, clientAddress);
    const outcome = await db.transaction(async (tx) => {
      const failures = await throttle(tx, emailHash, addressHash);
      const user = await getUserForUpdate(tx, p.tenantId, p.userId);
      if (!user?.active) return 'gone' as const;
      const enrolled = user.totpEnabledAt !== null;
      if (enrolled && !input.code?.trim()) return 'code-missing' as const;
      const passwordOk = await verifyPassword(user.passwordHash, input.password);
      // The code is only checked (and a recovery code only spent) behind a right password.
      const used = passwordOk && enrolled ? await secondFactorOk(tx, user, input.code!.trim()) : null;
      if (!passwordOk || (enrolled && !used)) {
        await recordFailure(tx, emailHash, addressHash);
        await appendAudit(tx, {
          tenantId: user.tenantId,
          actorId: user.id,
          actorKind: 'user',
          action: 'auth.reauth_failed',
          entityType: 'user',
          entityId: user.id,
          details: { failuresFromAddress: failures + 1 },
        });
        return 'wrong' as const;
      }
      await updateSession(tx, p.sessionId, { authenticatedAt: new Date() });
      await clearPairFailures(tx, emailHash, addressHash);
      if (used === 'recovery_code') await auditRecoveryUse(tx, user);
      await appendAudit(tx, {
        tenantId: user.tenantId,
        actorId: user.id,
        actorKind: 'user',
        action: 'auth.reauthenticated',
        entityType: 'user',
        entityId: user.id,
        details: { secondFactor: used },
      });
      return 'ok' as const;
    });
    if (outcome === 'gone') throw new DomainError('AUTH_SESSION_INVALID');
    if (outcome === 'code-missing') throw new DomainError('AUTH_REAUTH_CODE_REQUIRED');
    if (outcome === 'wrong') throw new DomainError('AUTH_REAUTH_FAILED');
    const fresh = await validateSessionById(p.sessionId);
    if (!fresh) throw new DomainError('AUTH_SESSION_INVALID');
    return fresh;
  }

  /** Returns the principal for a token, extending the session when past half its life; null when invalid. */
  async function validateSessionToken(token: string): Promise<Principal | null> {
    if (!/^[a-z2-7]{32}$/.test(token)) return null;
    return validateSessionById(sessionIdOf(token));
  }

  /** The session is found by its secret id before its tenant is known (the one lookup across tenants). */
  function validateSessionById(id: string): Promise<Principal | null> {
    return withAllTenants('staff session: found by its secret id', () => sessionPrincipal(id));
  }

  async function sessionPrincipal(id: string): Promise<Principal | null> {
    // One round trip: session, user, tenant and the job roles held (every API request passes here).
    const row = await sessionWithUser(db, id);
    if (!row) return null;
    const now = Date.now();
    // Absolute lifetime: from sign-in, whatever the activity (a stolen session cannot be kept alive).
    const endsAt = row.session.createdAt.getTime() + row.sessionMaxHours * 3_600_000;
    if (row.session.expiresAt.getTime() <= now || endsAt <= now || !row.user.active) {
      await deleteSession(db, id);
      return null;
    }
    let expiresAt = row.session.expiresAt;
    const full = row.session.stage === 'full';
    if (full && expiresAt.getTime() - now < SESSION_TTL_MS / 2) expiresAt = new Date(now + SESSION_TTL_MS);
    if (expiresAt.getTime() > endsAt) expiresAt = new Date(endsAt);
    if (expiresAt.getTime() !== row.session.expiresAt.getTime()) await updateSession(db, id, { expiresAt });
    const enrolled = row.user.totpEnabledAt !== null;
    const required = totpRequired(row.user.roles, options.totpRequiredForRoles, row.totpForAllStaff);
    const stage: SecondFactorStage = !full ? 'totp' : required && !enrolled ? 'enrol' : 'full';
    return {
      userId: row.user.id,
      tenantId: row.user.tenantId,
      tenantCode: row.tenantCode,
      email: row.user.email,
      name: row.user.name,
      roles: row.user.roles,
      jobRoles: row.jobRoles,
      sessionId: id,
      sessionExpiresAt: expiresAt,
      secondFactor: { stage, enrolled, required },
      authenticatedAt: row.session.authenticatedAt,
    };
  }

  async function logout(principal: Principal): Promise<void> {
    await db.transaction(async (tx) => {
      await deleteSession(tx, principal.sessionId);
      await appendAudit(tx, {
        tenantId: principal.tenantId,
        actorId: principal.userId,
        actorKind: 'user',
        action: 'auth.logout',
        entityType: 'user',
        entityId: principal.userId,
      });
    });
  }

  async function purgeExpired(): Promise<void> {
    await deleteAllExpiredSessions(db);
  }

  return { login, verifySecondFactor, reauthenticate, validateSessionToken, logout, purgeExpired };
}

export type AuthService = ReturnType<typeof createAuthService>;
