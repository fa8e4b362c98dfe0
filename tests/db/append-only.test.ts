import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCase, demoCustomer } from '../factories/index.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';

/** The database's own message of a failed statement (drizzle wraps it as the cause). */
async function dbError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    const e = err as { message: string; cause?: { message?: string } };
    return e.cause?.message ?? e.message;
  }
  return 'no error';
}

/** What was recorded stays recorded: the database itself refuses to alter or remove it. */
describe('append-only records', () => {
  let t: TestContext;
  let caseId: string;

  beforeAll(async () => {
    t = await createTestContext();
    const agent = await t.login('agent@demo.local');
    caseId = (
      await createCase(t, {
        as: agent,
        customer: await demoCustomer(t, '1000234567'),
        category: 'contractare',
        subject: 'Contract',
        body: 'Nu am primit contractul semnat.',
      })
    ).id;
  });
  afterAll(async () => t?.close());

  it('refuses UPDATE, DELETE and TRUNCATE on the audit log', async () => {
    const [row] = await t.db.execute<{ id: number }>(sql`select id from audit_log order by id limit 1`);
    expect(row).toBeDefined();
    expect(await dbError(t.db.execute(sql`update audit_log set action = 'x' where id = ${row!.id}`))).toMatch(
      /append-only/,
    );
    expect(await dbError(t.db.execute(sql`delete from audit_log where id = ${row!.id}`))).toMatch(
      /append-only/,
    );
    expect(await dbError(t.db.execute(sql`truncate audit_log`))).toMatch(/append-only/);
    const [after] = await t.db.execute<{ action: string }>(
      sql`select action from audit_log where id = ${row!.id}`,
    );
    expect(after?.action).not.toBe('x');
  });

  it('refuses deleting a case or changing what was received', async () => {
    expect(await dbError(t.db.execute(sql`delete from cases where id = ${caseId}`))).toMatch(/never deleted/);
    expect(await dbError(t.db.execute(sql`update cases set body = 'altceva' where id = ${caseId}`))).toMatch(
      /immutable/,
    );
    // Other fields (status, findings) may change.
    await t.db.execute(sql`update cases set findings = 'ok' where id = ${caseId}`);
    const [c] = await t.db.execute<{ body: string }>(sql`select body from cases where id = ${caseId}`);
    expect(c?.body).toBe('Nu am primit contractul semnat.');
  });
});
