import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

/** RFC 6238 as every authenticator app reads it: SHA-1, 6 digits, 30-second steps. */
const PERIOD_S = 30;
const DIGITS = 6;
export const ISSUER = 'Reclamații';

/** A code from the step before or after is accepted too (clocks drift); each step is good once (see totpLastStep). */
const WINDOW = 1;

export const RECOVERY_CODE_COUNT = 10;

function totpOf(secretBase32: string, label = '') {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: DIGITS,
    period: PERIOD_S,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** 160 random bits (RFC 4226's recommended length), base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** What the authenticator app needs: the otpauth:// URI, and the same as a QR code (SVG, drawn here). */
export async function enrolmentOf(secretBase32: string, accountEmail: string, supplier: string) {
  const uri = totpOf(secretBase32, `${supplier} (${accountEmail})`).toString();
  const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { uri, qrSvg };
}

export function currentStep(now = Date.now()): number {
  return Math.floor(now / 1000 / PERIOD_S);
}

/** Six digits, nothing else (spaces a person types between groups are dropped first). */
export function looksLikeTotp(code: string): boolean {
  return /^[0-9]{6}$/.test(code.replace(/ /g, ''));
}

/**
 * The time step the code belongs to when it is right and newer than `lastStep` (a code seen once is refused:
 * someone who read it over the shoulder cannot use it again), else null.
 */
export function acceptedStep(
  secretBase32: string,
  code: string,
  lastStep: number | null,
  now = Date.now(),
): number | null {
  const token = code.replace(/ /g, '');
  if (!/^[0-9]{6}$/.test(token)) return null;
  const delta = totpOf(secretBase32).validate({ token, timestamp: now, window: WINDOW });
  if (delta === null) return null;
  const step = currentStep(now) + delta;
  if (lastStep !== null && step <= lastStep) return null;
  return step;
}

/** The code an authenticator shows now (tests, and nothing else, need it). */
export function totpCode(secretBase32: string, now = Date.now()): string {
  return totpOf(secretBase32).generate({ timestamp: now });
}

function keyFrom(appSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', appSecret, 'reclamatii', 'staff-totp/v1', 32));
}

/**
 * The TOTP secret at rest: AES-256-GCM under a key derived from the app secret, so a copy of the database alone
 * cannot produce codes. `v1:<iv>:<tag>:<ciphertext>`.
 */
export function sealTotpSecret(appSecret: string, secretBase32: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFrom(appSecret), iv);
  const data = Buffer.concat([cipher.update(secretBase32, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(
    ':',
  );
}

export function openTotpSecret(appSecret: string, sealed: string): string {
  const [v, iv, tag, data] = sealed.split(':');
  if (v !== 'v1' || !iv || !tag || data === undefined) throw new Error('unknown TOTP secret format');
  const decipher = createDecipheriv('aes-256-gcm', keyFrom(appSecret), Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
}

/** Ten codes of 10 base32 characters (50 random bits each), shown as `xxxxx-xxxxx`. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const c = encodeBase32LowerCaseNoPadding(randomBytes(7)).slice(0, 10);
    return `${c.slice(0, 5)}-${c.slice(5)}`;
  });
}

/** As typed: case, dashes and spaces do not matter. Only base32 letters and digits are kept (a linear scan). */
export function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z2-7]/g, '');
}

/** The stored form of a recovery code: keyed by the app secret and bound to its person. */
export function recoveryCodeHash(appSecret: string, userId: string, code: string): string {
  return createHmac('sha256', appSecret)
    .update(`staff-recovery:${userId}:${normaliseRecoveryCode(code)}`)
    .digest('hex');
}
