import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * The portal's keyed hashes, all under the installation secret: a one-time code is stored only as an HMAC (a
 * six-digit code hashed without a key could be found from a database copy in a millisecond), and a client's IP
 * address only as an HMAC too (it counts requests for the rate limit; nobody needs to read it back).
 */
export function newLoginCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

export function loginCodeHash(secret: string, tenantId: string, email: string, code: string): string {
  return createHmac('sha256', secret).update(`portal-code:${tenantId}:${email}:${code}`).digest('hex');
}

export function loginCodeMatches(expectedHash: string, actualHash: string): boolean {
  const a = Buffer.from(expectedHash, 'hex');
  const b = Buffer.from(actualHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function clientAddressHash(secret: string, ip: string): string {
  return createHmac('sha256', secret).update(`portal-ip:${ip}`).digest('hex').slice(0, 32);
}

/** E-mail addresses compare lower-case and trimmed. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
