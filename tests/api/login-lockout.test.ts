import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LOGIN_MAX_FAILURES, loginDelayMs } from '../../server/auth/auth.service.ts';
import { createTestContext, PASSWORD, type TestContext } from '../helpers/test-context.ts';

/**
 * Password guessing is slowed per account AND client address (issue 13 item 8): LOGIN_MAX_FAILURES failures of
 * an account from one address are free, then each further try from that address waits a doubling delay and is
 * refused unchecked (the right password included) before it. Another address is never slowed by them, so an
 * outsider who knows someone's e-mail cannot keep them out. The answer is the same whether the account exists.
 */
describe('staff login throttling per account and client address', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(async () => t?.close());
  // Each test starts with no failures recorded (the tests share the database, not their history).
  beforeEach(async () => {
    await t.db.execute(sql`delete from staff_login_failures`);
  });

  let n = 0;
  /** A client address of its own per test (the route's per-address request limit is not what is tested). */
  const freshAddress = () => `10.7.${Math.floor(++n / 250)}.${n % 250}`;

  const attempt = (email: string, password: string, remoteAddress: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, payload: { email, password } });

  /** Moves every recorded failure back in time, as if that long had passed. */
  const age = (seconds: number) =>
    t.db.execute(sql`update staff_login_failures set at = at - make_interval(secs => ${seconds})`);

  const failures = async () =>
    (
      (await t.db.execute(sql`select count(*)::int as n from staff_login_failures`)) as unknown as Array<{
        n: number;
      }>
    )[0]!.n;

  it('delays the guessing address with a growing delay, the right password included', async () => {
    const guesser = freshAddress();
    for (let i = 0; i < LOGIN_MAX_FAILURES; i++)
      expect((await attempt('agent@demo.local', `ghicit-${i}`, guesser)).statusCode).toBe(401);
    const refused = await attempt('agent@demo.local', PASSWORD, guesser);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'AUTH_LOGIN_LOCKED' });
    expect(refused.json<{ message: string }>().message).toMatch(
      /^Prea multe încercări nereușite pentru acest cont de pe această adresă\. Reîncercați peste 30 de secunde\.$/,
    );

    // After the first delay (30 s) one more try is checked; its failure doubles the wait (60 s).
    expect(loginDelayMs(LOGIN_MAX_FAILURES)).toBe(30_000);
    expect(loginDelayMs(LOGIN_MAX_FAILURES + 1)).toBe(60_000);
    await age(31);
    expect((await attempt('agent@demo.local', 'inca-unul', guesser)).statusCode).toBe(401);
    await age(31);
    expect((await attempt('agent@demo.local', PASSWORD, guesser)).statusCode).toBe(429);
    await age(30);
    // The delay has passed: the right password works and clears this address's failures.
    expect((await attempt('agent@demo.local', PASSWORD, guesser)).statusCode).toBe(200);
    expect(await failures()).toBe(0);

    // The failures are audited on the account (no password, no address: the count only).
    const audited = (await t.db.execute(
      sql`select count(*)::int as n from audit_log a join users u on u.id::text = a.entity_id
          where u.email = 'agent@demo.local' and a.action = 'auth.login_failed'`,
    )) as unknown as Array<{ n: number }>;
    expect(audited[0]!.n).toBe(LOGIN_MAX_FAILURES + 1);
  });

  it('never keeps the owner out: guesses from other addresses do not slow the owner’s own address', async () => {
    // An outsider spreads guesses over many addresses and delays each of them...
    const outsiders = [freshAddress(), freshAddress(), freshAddress()];
    for (const a of outsiders) {
      for (let i = 0; i <= LOGIN_MAX_FAILURES; i++) await attempt('officer@demo.local', `rau-${i}`, a);
      expect((await attempt('officer@demo.local', PASSWORD, a)).statusCode).toBe(429);
    }
    // ...while the owner, from their own address, signs in at once.
    const owner = freshAddress();
    expect((await attempt('officer@demo.local', PASSWORD, owner)).statusCode).toBe(200);
    // The owner's success does not lift the outsiders' delay (that would reset the guessing).
    expect((await attempt('officer@demo.local', PASSWORD, outsiders[0]!)).statusCode).toBe(429);
    // No address stores as itself: only keyed hashes of the account and the address.
    const stored = (await t.db.execute(
      sql`select email_hash, address_hash from staff_login_failures limit 1`,
    )) as unknown as Array<{ email_hash: string; address_hash: string }>;
    expect(stored[0]!.address_hash).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(stored)).not.toContain('10.7.');
  });

  it('answers an unknown e-mail exactly as a known one, delayed or not', async () => {
    // Each from its own address: the route's limit of 10 requests a minute per address is not what is tested.
    const [a, b] = [freshAddress(), freshAddress()];
    const known: unknown[] = [];
    const unknown: unknown[] = [];
    for (let i = 0; i <= LOGIN_MAX_FAILURES; i++) {
      const k = await attempt('supervisor@demo.local', `ghicit-${i}`, a);
      const u = await attempt('nimeni-aici@demo.local', `ghicit-${i}`, b);
      expect(k.statusCode).toBe(u.statusCode);
      known.push(k.json());
      unknown.push(u.json());
    }
    expect(known).toEqual(unknown);
    expect((known.at(-1) as { code: string }).code).toBe('AUTH_LOGIN_LOCKED');
  });

  it('a successful login clears the count, so a person who mistypes now and then is never delayed', async () => {
    const a = freshAddress();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < LOGIN_MAX_FAILURES - 1; i++)
        expect((await attempt('admin@demo.local', 'tastat-gresit', a)).statusCode).toBe(401);
      expect((await attempt('admin@demo.local', PASSWORD, a)).statusCode).toBe(200);
    }
    expect(await failures()).toBe(0);
  });

  it('counts parallel guesses from one address one at a time: never more failures than the free ones', async () => {
    const a = freshAddress();
    const results = await Promise.all(
      Array.from({ length: 9 }, (_, i) => attempt('designer@demo.local', `paralel-${i}`, a)),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 401)).toHaveLength(LOGIN_MAX_FAILURES);
    expect(codes.filter((c) => c === 429)).toHaveLength(9 - LOGIN_MAX_FAILURES);
    expect(await failures()).toBe(LOGIN_MAX_FAILURES);
  });
});
