import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCase, demoCustomer } from '../factories/index.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';

describe('postal dispatch register (consumers without e-mail)', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext({ workers: true });
  });
  afterAll(async () => t?.close());

  it('queues the acknowledgement as a PDF letter to the customer address; the dispatch and delivery are recorded', async () => {
    const agent = await t.login('agent@demo.local');
    const officer = await t.login('officer@demo.local');
    const { number } = await createCase(t, {
      as: agent,
      customer: await demoCustomer(t, '2000456789'),
      place: null,
      category: 'informare_clienti',
      subject: 'Nu am primit notificarea de preț',
      body: 'Nu am fost informat despre modificarea prețului din luna trecută.',
    });
    // Gheorghe Dumitrescu has no e-mail address: the acknowledgement goes out as a letter.
    const list = async () =>
      (
        await t.app.inject({ method: 'GET', url: '/api/postal-dispatches?pending=true', headers: officer })
      ).json<{
        items: Array<{
          id: number;
          caseNumber: string;
          documentKind: string;
          address: string;
          documentSha256: string;
        }>;
      }>().items;
    const item = await waitFor(async () => (await list()).find((i) => i.caseNumber === number));
    expect(item).toMatchObject({ documentKind: 'acknowledgement_letter' });
    expect(item.address).toContain('Bărăști');
    // The register shows the recipient's name and address: reading it is in the personal-data access log.
    const [logged] = await t.db.execute<{ n: number; via: string }>(sql`
      select count(*)::int as n, max(a.via) as via from personal_data_access a
        join cases c on c.id = a.case_id join users u on u.id = a.actor_id
       where c.number = ${number} and a.subject_type = 'case' and u.email = 'officer@demo.local'`);
    expect(logged).toMatchObject({ via: 'GET /api/postal-dispatches' });
    expect(logged!.n).toBeGreaterThan(0);
    const detail = await t.app.inject({ method: 'GET', url: `/api/complaints/${number}`, headers: officer });
    expect(detail.json<{ documents: Array<{ kind: string; sha256: string }> }>().documents).toEqual([
      expect.objectContaining({ kind: 'acknowledgement_letter', sha256: item.documentSha256 }),
    ]);
    const upd = await t.app.inject({
      method: 'PATCH',
      url: `/api/postal-dispatches/${item.id}`,
      headers: officer,
      payload: { dispatchedAt: new Date().toISOString(), postalReference: 'RR123456789RO' },
    });
    expect(upd.statusCode).toBe(200);
    expect((await list()).find((i) => i.caseNumber === number)).toBeUndefined();
  });
});
