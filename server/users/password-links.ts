import type { DbOrTx } from '../db/client.ts';
import { generateSessionToken, sessionIdOf } from '../auth/index.ts';
import type { Mailer } from '../mail/mailer.ts';
import { deletePasswordTokens, insertPasswordToken } from './users.repo.ts';
import { renderPasswordLinkMail } from './password-link-mail.ts';

/** A password-setting link is valid this long. */
export const PASSWORD_LINK_TTL_MS = 24 * 60 * 60 * 1000;

/** The public page where the link leads (web/src/routes/account/password). */
export function passwordLinkUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/account/password?token=${token}`;
}

/**
 * A new link for the person: 160 random bits, of which only the SHA-256 is stored (as for sessions). Every
 * earlier link of the person stops working. Call inside the transaction of the change that asks for it.
 */
export async function newPasswordLink(db: DbOrTx, user: { id: string; tenantId: string }) {
  const token = generateSessionToken();
  const expiresAt = new Date(Date.now() + PASSWORD_LINK_TTL_MS);
  await deletePasswordTokens(db, user.id);
  await insertPasswordToken(db, {
    tokenHash: sessionIdOf(token),
    userId: user.id,
    tenantId: user.tenantId,
    expiresAt,
  });
  return { token, expiresAt };
}

/**
 * E-mails the link; false when it could not be sent (no mailer here, or the mail server refused), so the admin
 * is told and can send a new one. Only the error's code is logged: its text may name the address.
 */
export async function sendPasswordLink(
  deps: {
    mailer: Mailer | undefined;
    publicUrl: string;
    log: { warn(obj: unknown, msg?: string): void };
  },
  d: {
    to: string;
    name: string;
    supplier: string;
    tenantCode: string;
    reason: 'invite' | 'reset';
    token: string;
  },
): Promise<boolean> {
  if (!deps.mailer) return false;
  const mail = await renderPasswordLinkMail({
    supplier: d.supplier,
    name: d.name,
    reason: d.reason,
    url: passwordLinkUrl(deps.publicUrl, d.token),
    hours: PASSWORD_LINK_TTL_MS / 3_600_000,
  });
  try {
    await deps.mailer.send({
      to: d.to,
      ...mail,
      messageId: `<staff-${crypto.randomUUID()}@reclamatii.local>`,
    });
    return true;
  } catch (err) {
    deps.log.warn(
      { code: (err as { code?: unknown }).code ?? 'unknown', tenant: d.tenantCode },
      'password link not sent',
    );
    return false;
  }
}

/** A URL as the request log may show it: a password-setting link's token replaced (the link is a credential). */
export function urlForLog(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/g, '$1[redacted]');
}
