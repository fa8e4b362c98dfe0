import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../server/db/schema/index.ts';
import { createUser } from '../factories/index.ts';
import { createTestContext, PASSWORD, type TestContext } from '../helpers/test-context.ts';

/**
 * A signed-in staff member changes their own password: the current one is asked first, the new one follows the
 * same rules as a chosen one (Romanian messages), the old one stops working, other sessions end, this one stays.
 */
describe("changing one's own password", () => {
  let t: TestContext;
  const NEW = 'Brazi verzi pe Ceahlău, iarna';

  beforeAll(async () => {
    t = await createTestContext();
  });
  /** A person of their own for each test: the tests run in any order and one of them changes the password. */
  const person = () => createUser(t, { name: 'Ilie Schimbă' });
  afterAll(async () => t?.close());

  const change = (headers: Record<string, string>, body: object) =>
    t.app.inject({ method: 'POST', url: '/api/account/own-password', headers, payload: body });
  const login = (email: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  const me = (headers: Record<string, string>) =>
    t.app.inject({ method: 'GET', url: '/api/auth/me', headers });

  it('needs a session', async () => {
    const res = await change({}, { currentPassword: PASSWORD, password: NEW, passwordConfirmation: NEW });
    expect(res.statusCode).toBe(401);
  });

  it('refuses a wrong current password and a new one that breaks the rules, in Romanian', async () => {
    const { email } = await person();
    const here = await t.login(email);
    const cases: Array<[object, string]> = [
      [
        { currentPassword: 'nu-este-parola', password: NEW, passwordConfirmation: NEW },
        'Parola actuală nu este corectă.',
      ],
      [
        { currentPassword: PASSWORD, password: 'scurtă', passwordConfirmation: 'scurtă' },
        'Parola trebuie să aibă cel puțin 12 caractere.',
      ],
      [
        { currentPassword: PASSWORD, password: NEW, passwordConfirmation: `${NEW}!` },
        'Parola și confirmarea ei nu coincid.',
      ],
      [
        { currentPassword: PASSWORD, password: PASSWORD, passwordConfirmation: PASSWORD },
        'Parola nouă trebuie să fie diferită de cea actuală.',
      ],
    ];
    for (const [body, message] of cases) {
      const res = await change(here, body);
      expect(res.statusCode).toBe(400);
      expect(res.json<{ message: string }>().message).toBe(message);
    }
    expect((await login(email, PASSWORD)).statusCode).toBe(200);
  });

  it('changes it: the old password stops working, other sessions end, this one stays; audited', async () => {
    const { email, id } = await person();
    const here = await t.login(email);
    const elsewhere = await t.login(email);
    const res = await change(here, { currentPassword: PASSWORD, password: NEW, passwordConfirmation: NEW });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ otherSessionsEnded: number }>().otherSessionsEnded).toBeGreaterThanOrEqual(1);
    expect((await me(here)).statusCode).toBe(200);
    expect((await me(elsewhere)).statusCode).toBe(401);
    expect((await login(email, PASSWORD)).statusCode).toBe(401);
    expect((await login(email, NEW)).statusCode).toBe(200);
    const audits = await t.db
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.tenantId, t.demoTenantId),
          eq(auditLog.action, 'user.password_changed'),
          eq(auditLog.entityId, id),
        ),
      );
    expect(audits).toHaveLength(1);
    expect(JSON.stringify(audits)).not.toContain(NEW);
  });
});
