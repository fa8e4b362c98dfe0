import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { loginDelayMs, totpRequired } from './auth.service.ts';
import {
  acceptedStep,
  currentStep,
  newRecoveryCodes,
  newTotpSecret,
  openTotpSecret,
  recoveryCodeHash,
  sealTotpSecret,
  totpCode,
} from './totp.ts';

describe('TOTP codes', () => {
  const secret = newTotpSecret();
  const now = Date.UTC(2026, 11, 2, 12, 0, 15);

  it('accepts the current code and one step of drift, once per step', () => {
    const step = currentStep(now);
    expect(acceptedStep(secret, totpCode(secret, now), null, now)).toBe(step);
    expect(acceptedStep(secret, totpCode(secret, now - 30_000), null, now)).toBe(step - 1);
    expect(acceptedStep(secret, totpCode(secret, now + 30_000), null, now)).toBe(step + 1);
    expect(acceptedStep(secret, totpCode(secret, now - 60_000), null, now)).toBeNull();
    // A step already used (or an earlier one) is refused: no replay.
    expect(acceptedStep(secret, totpCode(secret, now), step, now)).toBeNull();
    expect(acceptedStep(secret, totpCode(secret, now + 30_000), step, now)).toBe(step + 1);
    expect(acceptedStep(secret, 'abcdef', null, now)).toBeNull();
  });

  it('keeps the secret sealed under the app secret; another key cannot open it', () => {
    const sealed = sealTotpSecret('app-secret-1', secret);
    expect(sealed).not.toContain(secret);
    expect(openTotpSecret('app-secret-1', sealed)).toBe(secret);
    expect(() => openTotpSecret('app-secret-2', sealed)).toThrow();
  });

  it('issues ten distinct recovery codes whose hash ignores case and dashes and is bound to the person', () => {
    const codes = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    const c = codes[0]!;
    expect(recoveryCodeHash('k', 'u1', c)).toBe(
      recoveryCodeHash('k', 'u1', c.replace('-', '').toUpperCase()),
    );
    expect(recoveryCodeHash('k', 'u1', c)).not.toBe(recoveryCodeHash('k', 'u2', c));
  });
});

describe('staff rules', () => {
  it('requires TOTP of admins, supervisors and designers where enforced, of everyone by tenant policy', () => {
    expect(totpRequired(['admin'], true, false)).toBe(true);
    expect(totpRequired(['officer', 'supervisor'], true, false)).toBe(true);
    expect(totpRequired(['agent'], true, false)).toBe(false);
    expect(totpRequired(['admin'], false, false)).toBe(false);
    expect(totpRequired(['agent'], false, true)).toBe(true);
  });

  it('enforces it in production, where it cannot be switched off; off by default otherwise', () => {
    const prod = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://x',
      ENGINE_URL: 'http://e',
      ENGINE_DATABASE_URL: 'postgres://e',
      ENGINE_PASSWORD: 'p',
      SMTP_URL: 'smtp://s',
      APP_SECRET: 's',
    };
    expect(loadConfig(prod).staffTotpRequired).toBe(true);
    expect(() => loadConfig({ ...prod, STAFF_TOTP_REQUIRED: 'false' })).toThrow(/STAFF_TOTP_REQUIRED/);
    expect(loadConfig({}).staffTotpRequired).toBe(false);
    expect(loadConfig({ STAFF_TOTP_REQUIRED: 'true' }).staffTotpRequired).toBe(true);
  });

  it('doubles the login delay after the free failures, up to 15 minutes', () => {
    expect([4, 5, 6, 7, 20].map(loginDelayMs)).toEqual([0, 30_000, 60_000, 120_000, 900_000]);
  });
});
