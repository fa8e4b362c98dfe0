import type { Db } from '../db/client.ts';
import { DomainError } from '../errors.ts';
import { appendAudit } from '../audit/index.ts';
import { generateSessionToken, sessionIdOf } from '../auth/index.ts';
import type { Mailer } from '../mail/mailer.ts';
import { getTenantByCode } from '../tenants/index.ts';
import { renderLoginCodeMail } from './login-code-mail.ts';
import {
  consumeLoginCode,
  countRecentCodes,
  deleteSession,
  extendSession,
  findSession,
  insertLoginCode,
  insertSession,
  latestLoginCodeForUpdate,
  pruneForAccount,
  recordWrongCode,
  upsertAccount,
  lockCodeRequests,
} from './portal-login.repo.ts';
import {
  clientAddressHash,
  loginCodeHash,
  loginCodeMatches,
  newLoginCode,
  normaliseEmail,
} from './secrets.ts';
import { withAllTenants, withTenant } from '../db/tenant-scope.ts';

/** A code lives 10 minutes and takes 5 wrong tries. */
export const CODE_TTL_MS = 10 * 60 * 1000;
export const CODE_MAX_ATTEMPTS = 5;
/** Code requests: 3 per address per 15 minutes (all suppliers), 20 per client address per hour. */
export const CODES_PER_EMAIL = 3;
export const CODES_PER_EMAIL_WINDOW_MS = 15 * 60 * 1000;
export const CODES_PER_IP = 20;
export const CODES_PER_IP_WINDOW_MS = 60 * 60 * 1000;
/** Consumer sessions: 1 hour, renewed (sliding) when less than half remains. */
export const CONSUMER_SESSION_TTL_MS = 60 * 60 * 1000;

/** Who is signed in to the portal: a consumer account of one supplier. Never a staff principal. */
export interface ConsumerPrincipal {
  kind: 'consumer';
  accountId: string;
  tenantId: string;
  tenantCode: string;
  supplier: string;
  email: string;
  sessionId: string;
  sessionExpiresAt: Date;
}

export interface PortalAuthDeps {
  db: Db;
  secret: string;
  /** Absent only where nothing may send mail (then asking for a code answers 503). */
  mailer: Mailer | undefined;
  publicUrl: string;
  log: { warn(obj: unknown, msg?: string): void };
}

export function createPortalAuthService(deps: PortalAuthDeps) {
  const { db, secret } = deps;

  async function supplier(tenantCode: string) {
    const tenant = /^[A-Z0-9]{2,20}$/.test(tenantCode) ? await getTenantByCode(db, tenantCode) : null;
    if (!tenant) throw new DomainError('PORTAL_SUPPLIER_NOT_FOUND', { tenantCode });
    return tenant;
  }

  /**
   * Sends a one-time code to the address. Every address gets one (the account is created when the code is
   * entered), so the answer is the same whether the address is known or not: nothing to enumerate. Limited per
   * address and per client address, counted in the database so every API replica sees the same counts.
   */
  async function requestCode(tenantCode: string, rawEmail: string, ip: string) {
    const tenant = await supplier(tenantCode);
    const email = normaliseEmail(rawEmail);
    const ipHash = clientAddressHash(secret, ip);
    const code = newLoginCode();
    const now = Date.now();
    // The limits count an address's and a client address's codes at every supplier (one person, one budget);
    // the code itself is the supplier's row (server/db/tenant-scope.ts).
    await withAllTenants('portal code limits: an address across every supplier', () =>
      db.transaction(async (tx) => {
        // One request per address at a time, so two parallel requests cannot both pass the count.
        await lockCodeRequests(tx, email);
        const recent = await countRecentCodes(tx, {
          email,
          ipHash,
          emailSince: new Date(now - CODES_PER_EMAIL_WINDOW_MS),
          ipSince: new Date(now - CODES_PER_IP_WINDOW_MS),
        });
        if (recent.byEmail >= CODES_PER_EMAIL || recent.byIp >= CODES_PER_IP)
          throw new DomainError('PORTAL_CODE_RATE_LIMITED');
        await insertLoginCode(tx, {
          tenantId: tenant.id,
          email,
          codeHash: loginCodeHash(secret, tenant.id, email, code),
          ipHash,
          expiresAt: new Date(now + CODE_TTL_MS),
        });
      }),
    );
    if (!deps.mailer) throw new DomainError('PORTAL_MAIL_UNAVAILABLE');
    const mail = await renderLoginCodeMail({
      supplier: tenant.name,
      code,
      minutes: CODE_TTL_MS / 60_000,
      loginUrl: `${deps.publicUrl}/portal/${tenant.code}/login`,
    });
    try {
      await deps.mailer.send({
        to: email,
        ...mail,
        messageId: `<portal-${crypto.randomUUID()}@reclamatii.local>`,
      });
    } catch (err) {
      deps.log.warn({ err: (err as Error).message, tenant: tenant.code }, 'portal code not sent');
      throw new DomainError('PORTAL_MAIL_UNAVAILABLE');
    }
    return { expiresInSeconds: CODE_TTL_MS / 1000 };
  }

  /** Checks the newest code of the address; a wrong one counts against its tries. On success: a session. */
  async function verifyCode(tenantCode: string, rawEmail: string, code: string) {
    const tenant = await supplier(tenantCode);
    const email = normaliseEmail(rawEmail);
    const given = code.replace(/\s/g, '');
    const outcome = await withTenant(tenant.id, () =>
      db.transaction(async (tx) => {
        const row = await latestLoginCodeForUpdate(tx, tenant.id, email);
        if (!row) return { ok: false as const, error: 'PORTAL_CODE_INVALID' as const };
        if (row.attempts >= CODE_MAX_ATTEMPTS)
          return { ok: false as const, error: 'PORTAL_CODE_LOCKED' as const };
        if (row.expiresAt.getTime() <= Date.now())
          return { ok: false as const, error: 'PORTAL_CODE_EXPIRED' as const };
        if (!loginCodeMatches(row.codeHash, loginCodeHash(secret, tenant.id, email, given))) {
          const attempts = await recordWrongCode(tx, row.id);
          return {
            ok: false as const,
            error:
              attempts >= CODE_MAX_ATTEMPTS
                ? ('PORTAL_CODE_LOCKED' as const)
                : ('PORTAL_CODE_INVALID' as const),
          };
        }
        await consumeLoginCode(tx, row.id);
        const account = await upsertAccount(tx, tenant.id, email);
        // Housekeeping on the way: this address's codes past every limit window, this account's dead sessions.
        await pruneForAccount(tx, email, account.id, new Date(Date.now() - 24 * 60 * 60 * 1000));
        const token = generateSessionToken();
        const expiresAt = new Date(Date.now() + CONSUMER_SESSION_TTL_MS);
        await insertSession(tx, {
          id: sessionIdOf(token),
          accountId: account.id,
          tenantId: tenant.id,
          expiresAt,
        });
        await appendAudit(tx, {
          tenantId: tenant.id,
          actorId: account.id,
          actorKind: 'consumer',
          action: 'portal.login',
          entityType: 'consumer_account',
          entityId: account.id,
        });
        return { ok: true as const, token, expiresAt, account };
      }),
    );
    // Thrown after the transaction, so the wrong try stays counted.
    if (!outcome.ok) throw new DomainError(outcome.error);
    return {
      token: outcome.token,
      expiresAt: outcome.expiresAt.toISOString(),
      account: { email: outcome.account.email, supplier: tenant.name, tenantCode: tenant.code },
    };
  }

  /** The session is found by its secret id before its tenant is known (the one lookup across tenants). */
  function validateSessionToken(token: string): Promise<ConsumerPrincipal | null> {
    return withAllTenants('consumer session: found by its secret id', () => sessionPrincipal(token));
  }

  async function sessionPrincipal(token: string): Promise<ConsumerPrincipal | null> {
    if (!/^[a-z2-7]{32}$/.test(token)) return null;
    const id = sessionIdOf(token);
    const row = await findSession(db, id);
    if (!row) return null;
    const now = Date.now();
    if (row.session.expiresAt.getTime() <= now) {
      await deleteSession(db, id);
      return null;
    }
    let expiresAt = row.session.expiresAt;
    if (expiresAt.getTime() - now < CONSUMER_SESSION_TTL_MS / 2) {
      expiresAt = new Date(now + CONSUMER_SESSION_TTL_MS);
      await extendSession(db, id, expiresAt);
    }
    return {
      kind: 'consumer',
      accountId: row.session.accountId,
      tenantId: row.session.tenantId,
      tenantCode: row.tenantCode,
      supplier: row.tenantName,
      email: row.email,
      sessionId: id,
      sessionExpiresAt: expiresAt,
    };
  }

  async function logout(p: ConsumerPrincipal) {
    await db.transaction(async (tx) => {
      await deleteSession(tx, p.sessionId);
      await appendAudit(tx, {
        tenantId: p.tenantId,
        actorId: p.accountId,
        actorKind: 'consumer',
        action: 'portal.logout',
        entityType: 'consumer_account',
        entityId: p.accountId,
      });
    });
  }

  return { supplier, requestCode, verifyCode, validateSessionToken, logout };
}

export type PortalAuthService = ReturnType<typeof createPortalAuthService>;
