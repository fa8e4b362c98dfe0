import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_MAX_FAILURES } from '../../server/auth/auth.service.ts';
import { createTestContext, PASSWORD, type TestContext } from '../helpers/test-context.ts';

/**
 * Password guessing against one staff address is stopped whatever client addresses it comes from: after
 * LOGIN_MAX_FAILURES failures in 15 minutes the address is refused, the right password included, with the same
 * answer whether an account exists or not.
 */
describe('staff login lockout', () => {
  let t: TestContext;
  let ip = 0;

  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(async () => t?.close());

  /** Each try from another client address, as a spread-out guessing run would come (the route's per-IP limit aside). */
  const attempt = (email: string, password: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: `10.1.${Math.floor(++ip / 250)}.${ip % 250}`,
      payload: { email, password },
    });

  const failuresOf = async () =>
    (
      (await t.db.execute(sql`select count(*)::int as n from staff_login_failures`)) as unknown as Array<{
        n: number;
      }>
    )[0]!.n;

  it('locks the address after the failures, even against the right password; other staff are not affected', async () => {
    for (let i = 0; i < LOGIN_MAX_FAILURES; i++)
      expect((await attempt('agent@demo.local', `ghicit-${i}`)).statusCode).toBe(401);
    const locked = await attempt('agent@demo.local', PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ code: 'AUTH_LOGIN_LOCKED' });
    expect(locked.json<{ message: string }>().message).toMatch(/Prea multe încercări nereușite/);
    expect((await attempt('officer@demo.local', PASSWORD)).statusCode).toBe(200);

    // The failures are audited on the account (no password, the count only).
    const audited = (await t.db.execute(
      sql`select count(*)::int as n from audit_log a join users u on u.id::text = a.entity_id
          where u.email = 'agent@demo.local' and a.action = 'auth.login_failed'`,
    )) as unknown as Array<{ n: number }>;
    expect(audited[0]!.n).toBe(LOGIN_MAX_FAILURES);

    // Once the window has passed, the right password works and clears the address's failures.
    await t.db.execute(sql`update staff_login_failures set at = at - interval '16 minutes'`);
    expect((await attempt('agent@demo.local', PASSWORD)).statusCode).toBe(200);
    expect(await failuresOf()).toBe(0);
  });

  it('answers an unknown address exactly as a known one, locked or not', async () => {
    const known: unknown[] = [];
    const unknown: unknown[] = [];
    for (let i = 0; i <= LOGIN_MAX_FAILURES; i++) {
      const a = await attempt('supervisor@demo.local', `ghicit-${i}`);
      const b = await attempt('nimeni-aici@demo.local', `ghicit-${i}`);
      expect(a.statusCode).toBe(b.statusCode);
      known.push(a.json());
      unknown.push(b.json());
    }
    expect(known).toEqual(unknown);
    expect((known.at(-1) as { code: string }).code).toBe('AUTH_LOGIN_LOCKED');
    await t.db.execute(sql`delete from staff_login_failures`);
  });

  it('a successful login clears the count, so a person who mistypes now and then is never locked', async () => {
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < LOGIN_MAX_FAILURES - 1; i++)
        expect((await attempt('admin@demo.local', 'tastat-gresit')).statusCode).toBe(401);
      expect((await attempt('admin@demo.local', PASSWORD)).statusCode).toBe(200);
    }
    expect(await failuresOf()).toBe(0);
  });

  it('counts parallel guesses one at a time: never more failures than the limit', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => attempt('designer@demo.local', `paralel-${i}`)),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 401)).toHaveLength(LOGIN_MAX_FAILURES);
    expect(codes.filter((c) => c === 429)).toHaveLength(12 - LOGIN_MAX_FAILURES);
    expect(await failuresOf()).toBe(LOGIN_MAX_FAILURES);
  });
});
