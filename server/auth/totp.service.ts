import type { Db, DbOrTx } from '../db/client.ts';
import { DomainError } from '../errors.ts';
import { appendAudit } from '../audit/index.ts';
import { getTenant, setSecurityPolicy } from '../tenants/index.ts';
import type { Principal } from './auth.service.ts';
import {
  deleteSessionsOfUser,
  getUserForUpdate,
  recoveryCodesLeft,
  replaceRecoveryCodes,
  setTotp,
} from './auth.repo.ts';
import { requireRecentAuth } from './reauth.ts';
import {
  acceptedStep,
  enrolmentOf,
  newRecoveryCodes,
  newTotpSecret,
  openTotpSecret,
  recoveryCodeHash,
  sealTotpSecret,
} from './totp.ts';

/** The tenant's staff security policy (edited by its admins, see PUT /api/users/security-policy). */
export interface SecurityPolicy {
  totpForAllStaff: boolean;
  sessionMaxHours: number;
}

/**
 * A staff member's TOTP (RFC 6238): enrolment (a QR code drawn here, proved by a first code, then ten one-time
 * recovery codes shown once), regenerating the codes, switching it off (both after re-authentication), and an
 * admin's reset of a colleague's TOTP (audited). Changing the second factor ends the person's other sessions.
 */
export function createTotpService(deps: { db: Db; secret: string }) {
  const { db, secret } = deps;

  function audit(
    tx: DbOrTx,
    p: Principal,
    action: string,
    userId: string,
    details?: Record<string, unknown>,
  ) {
    return appendAudit(tx, {
      tenantId: p.tenantId,
      actorId: p.userId,
      actorKind: 'user',
      action,
      entityType: 'user',
      entityId: userId,
      ...(details ? { details } : {}),
    });
  }

  async function endOtherSessions(tx: DbOrTx, p: Principal, userId: string, keep?: string) {
    return deleteSessionsOfUser(tx, p.tenantId, userId, keep);
  }

  async function locked(tx: DbOrTx, p: Principal, userId = p.userId) {
    const user = await getUserForUpdate(tx, p.tenantId, userId);
    if (!user) throw new DomainError(userId === p.userId ? 'AUTH_SESSION_INVALID' : 'STAFF_USER_NOT_FOUND');
    return user;
  }

  async function newCodes(tx: DbOrTx, p: Principal) {
    const codes = newRecoveryCodes();
    await replaceRecoveryCodes(
      tx,
      p.tenantId,
      p.userId,
      codes.map((c) => recoveryCodeHash(secret, p.userId, c)),
    );
    return codes;
  }

  async function status(p: Principal) {
    const user = await db.transaction((tx) => locked(tx, p));
    return {
      enabled: user.totpEnabledAt !== null,
      enabledAt: user.totpEnabledAt?.toISOString() ?? null,
      required: p.secondFactor?.required ?? false,
      recoveryCodesLeft: user.totpEnabledAt ? await recoveryCodesLeft(db, user.id) : 0,
    };
  }

  /**
   * A new secret to scan. Someone already enrolled is replacing the authenticator (a reset), which needs a
   * recent re-authentication; the old one keeps working until the new one is proved.
   */
  async function start(p: Principal) {
    const tenant = await getTenant(db, p.tenantId);
    const totpSecret = newTotpSecret();
    await db.transaction(async (tx) => {
      const user = await locked(tx, p);
      if (user.totpEnabledAt) requireRecentAuth(p);
      await setTotp(tx, p.tenantId, p.userId, { totpPendingSecret: sealTotpSecret(secret, totpSecret) });
    });
    return { secret: totpSecret, ...(await enrolmentOf(totpSecret, p.email, tenant?.name ?? p.tenantCode)) };
  }

  /** The first code proves the app holds the secret: TOTP is on, recovery codes are issued (shown this once). */
  async function confirm(p: Principal, code: string) {
    return db.transaction(async (tx) => {
      const user = await locked(tx, p);
      if (!user.totpPendingSecret) throw new DomainError('TOTP_ENROLMENT_NOT_STARTED');
      const pending = openTotpSecret(secret, user.totpPendingSecret);
      const step = acceptedStep(pending, code, null);
      if (step === null) throw new DomainError('TOTP_CODE_INVALID');
      const replaced = user.totpEnabledAt !== null;
      await setTotp(tx, p.tenantId, p.userId, {
        totpSecret: user.totpPendingSecret,
        totpEnabledAt: new Date(),
        totpLastStep: step,
        totpPendingSecret: null,
      });
      const recoveryCodes = await newCodes(tx, p);
      const otherSessionsEnded = await endOtherSessions(tx, p, p.userId, p.sessionId);
      await audit(tx, p, replaced ? 'user.totp_replaced' : 'user.totp_enabled', p.userId, {
        otherSessionsEnded,
      });
      return { recoveryCodes, otherSessionsEnded };
    });
  }

  async function regenerateRecoveryCodes(p: Principal) {
    requireRecentAuth(p);
    return db.transaction(async (tx) => {
      const user = await locked(tx, p);
      if (!user.totpEnabledAt) throw new DomainError('TOTP_NOT_ENABLED');
      const recoveryCodes = await newCodes(tx, p);
      await audit(tx, p, 'user.recovery_codes_regenerated', p.userId);
      return { recoveryCodes };
    });
  }

  /** Switches TOTP off. Where it is required, the next request asks the person to enrol again. */
  async function disable(p: Principal) {
    requireRecentAuth(p);
    await db.transaction(async (tx) => {
      const user = await locked(tx, p);
      if (!user.totpEnabledAt) throw new DomainError('TOTP_NOT_ENABLED');
      await setTotp(tx, p.tenantId, p.userId, {
        totpSecret: null,
        totpEnabledAt: null,
        totpLastStep: null,
        totpPendingSecret: null,
      });
      await replaceRecoveryCodes(tx, p.tenantId, p.userId, []);
      await audit(tx, p, 'user.totp_disabled', p.userId);
    });
    return { required: p.secondFactor?.required ?? false };
  }

  /**
   * An admin clears a colleague's TOTP (lost phone and codes): the colleague's sessions end and the next sign-in
   * needs the password only, followed by enrolment where TOTP is required. Audited on the colleague.
   */
  async function adminReset(p: Principal, userId: string) {
    requireRecentAuth(p);
    return db.transaction(async (tx) => {
      const user = await locked(tx, p, userId);
      const wasEnabled = user.totpEnabledAt !== null;
      await setTotp(tx, p.tenantId, user.id, {
        totpSecret: null,
        totpEnabledAt: null,
        totpLastStep: null,
        totpPendingSecret: null,
      });
      await replaceRecoveryCodes(tx, p.tenantId, user.id, []);
      const sessionsEnded = await endOtherSessions(tx, p, user.id);
      await audit(tx, p, 'user.totp_reset_by_admin', user.id, { wasEnabled, sessionsEnded });
      return { wasEnabled, sessionsEnded };
    });
  }

  async function policy(p: Principal): Promise<SecurityPolicy> {
    const tenant = await getTenant(db, p.tenantId);
    if (!tenant) throw new DomainError('NOT_FOUND');
    return { totpForAllStaff: tenant.totpForAllStaff, sessionMaxHours: tenant.sessionMaxHours };
  }

  /** The tenant's policy, by an admin who re-authenticated recently; audited with the old and new values. */
  async function setPolicy(p: Principal, next: SecurityPolicy): Promise<SecurityPolicy> {
    requireRecentAuth(p);
    const before = await policy(p);
    await db.transaction(async (tx) => {
      await setSecurityPolicy(tx, p.tenantId, next);
      await appendAudit(tx, {
        tenantId: p.tenantId,
        actorId: p.userId,
        actorKind: 'user',
        action: 'tenant.security_policy_changed',
        entityType: 'tenant',
        entityId: p.tenantId,
        details: { before, after: next },
      });
    });
    return next;
  }

  return { status, start, confirm, regenerateRecoveryCodes, disable, adminReset, policy, setPolicy };
}

export type TotpService = ReturnType<typeof createTotpService>;
