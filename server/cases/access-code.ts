import { createHmac, timingSafeEqual } from 'node:crypto';
import { encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';

/**
 * The consumer's access code for the public status page: an HMAC of tenant and number under the installation
 * secret. Nothing to store, nothing to leak from the database; 10 base32 characters = 50 bits, and the status
 * endpoint is rate-limited.
 */
export function accessCodeFor(secret: string, tenantId: string, number: string): string {
  const mac = createHmac('sha256', secret).update(`${tenantId}:${number}`).digest();
  return encodeBase32UpperCaseNoPadding(mac).slice(0, 10);
}

/** The consumer's status page link with its access code, as the acknowledgement (e-mail or letter) gives it. */
export function statusLinkOf(
  secret: string,
  tenant: { id: string; publicUrl: string },
  number: string,
): { statusUrl: string; accessCode: string } {
  const accessCode = accessCodeFor(secret, tenant.id, number);
  return {
    statusUrl: `${tenant.publicUrl}/status/${encodeURIComponent(number)}?code=${accessCode}`,
    accessCode,
  };
}

export function accessCodeMatches(secret: string, tenantId: string, number: string, code: string): boolean {
  const expected = Buffer.from(accessCodeFor(secret, tenantId, number));
  const given = Buffer.from(code.trim().toUpperCase().replace(/[\s-]/g, ''));
  return given.length === expected.length && timingSafeEqual(given, expected);
}
