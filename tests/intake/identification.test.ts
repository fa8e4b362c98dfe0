import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, customers, identificationCandidates, places } from '../../server/db/schema/index.ts';
import { identifySender } from '../../server/identification/identify.ts';
import { processInboundMail } from '../../server/intake/mail/process-message.ts';
import { createTestContext, silentLog, type TestContext } from '../helpers/test-context.ts';
import { messageId, OUR_SENDER, rfc822 } from './intake-helpers.ts';

/** Issue 3 point 4, judged on the customers of ../shared/data (seeded for DEMO and ACME). */
describe('identifying the person and the place of consumption', () => {
  let t: TestContext;
  const ids = new Map<string, string>();
  const placeIds = new Map<string, string>();

  beforeAll(async () => {
    t = await createTestContext();
    for (const c of await t.db.select().from(customers).where(eq(customers.tenantId, t.demoTenantId)))
      ids.set(c.customerCode, c.id);
    for (const p of await t.db.select().from(places).where(eq(places.tenantId, t.demoTenantId)))
      placeIds.set(p.placeCode, p.id);
  });
  afterAll(async () => t?.close());

  const demo = (m: { fromAddress?: string; fromName?: string; subject?: string; text: string }) =>
    identifySender(t.db, t.demoTenantId, { subject: '', ...m });

  it('a POD written in the message is a certain match on that place', async () => {
    const r = await demo({
      fromAddress: 'unknown@example.test',
      text: 'Locul de consum RO005E512345678, vă rog verificați.',
    });
    expect(r.match).toMatchObject({
      customerId: ids.get('1000234567'),
      placeId: placeIds.get('RO005E512345678'),
      certain: true,
    });
  });

  it('a gas CLC typed with a space and in lower case still matches', async () => {
    const r = await demo({ text: 'codul clc este deg 0456712' });
    expect(r.match).toMatchObject({ customerId: ids.get('2000456789'), placeId: placeIds.get('DEG0456712') });
  });

  it('a customer code or a contract number is a certain match', async () => {
    const byCode = await demo({ text: 'Cod client: 1000876543.' });
    expect(byCode.match).toMatchObject({
      customerId: ids.get('1000876543'),
      placeId: placeIds.get('RO002E100987654'),
    });
    const byContract = await demo({ subject: 'Contract DE-2025-118204', text: 'factura greșită' });
    expect(byContract.match).toMatchObject({
      customerId: ids.get('1000445566'),
      placeId: placeIds.get('RO003E210445566'),
    });
  });

  it('never confuses the two Maria Ionescu when only the name is known', async () => {
    const r = await demo({
      fromAddress: 'maria.i.1970@example.test',
      fromName: 'Maria Ionescu',
      text: 'Am o problemă cu factura.',
    });
    expect(r.match).toBeNull();
    const marias = r.candidates.filter((c) => c.customerName === 'Maria Ionescu');
    expect(marias.map((c) => c.customerId).sort()).toEqual(
      [ids.get('1000234567'), ids.get('1000234999')].sort(),
    );
    expect(marias[0]!.score).toBe(marias[1]!.score);
  });

  it('tells the two Ion Popescu apart only by what is written: the address picks one, the POD decides', async () => {
    const byAddress = await demo({
      fromName: 'Ion Popescu',
      text: 'Locuiesc pe strada Dorobantilor nr. 71 in Cluj-Napoca.',
    });
    expect(byAddress.match).toBeNull();
    expect(byAddress.candidates[0]).toMatchObject({ customerId: ids.get('1000818181') });
    expect(byAddress.candidates[0]!.score).toBeGreaterThan(byAddress.candidates[1]!.score);
    const byPod = await demo({ fromName: 'Ion Popescu', text: 'POD RO002E100818999' });
    expect(byPod.match).toMatchObject({ customerId: ids.get('1000818999') });
  });

  it('tolerates missing diacritics and a typo in the name, with the sender address on file', async () => {
    const r = await demo({
      fromAddress: 'stefan.munteanu@outlook.test',
      fromName: 'Stefan Muntenu',
      text: 'Contorul meu.',
    });
    expect(r.candidates[0]).toMatchObject({ customerId: ids.get('1000876543'), certain: false });
    expect(r.candidates[0]!.evidence.map((e) => e.kind).sort()).toEqual(['email', 'name']);
  });

  it('finds a customer by a phone number written in international form', async () => {
    const r = await demo({ text: 'Mă puteți suna la +40 745 987 654.' });
    expect(r.candidates[0]).toMatchObject({ customerId: ids.get('1000345678') });
    expect(r.candidates[0]!.evidence).toMatchObject([{ kind: 'phone' }]);
  });

  it('does not take a code of another tenant', async () => {
    // DGN0000001 and A-2/2024 belong to ACME.
    const r = await demo({ text: 'Locul de consum DGN0000001, contract A-2/2024.' });
    expect(r.match).toBeNull();
    expect(r.candidates).toHaveLength(0);
    const acme = await identifySender(t.db, t.acmeTenantId, {
      subject: '',
      text: 'Locul de consum DGN0000001',
    });
    expect(acme.match).not.toBeNull();
  });

  it('when two different codes point to two customers, nothing is certain', async () => {
    const r = await demo({ text: 'RO005E512345678 sau RO001E512345679?' });
    expect(r.match).toBeNull();
    expect(r.candidates.filter((c) => c.certain)).toHaveLength(2);
  });

  const deps = () => ({
    db: t.db,
    engine: t.engine,
    secret: 's',
    log: silentLog,
    ownAddresses: [OUR_SENDER],
  });
  const tenant = () => ({ id: t.demoTenantId, code: 'DEMO', intakeEmail: 'demo@reclamatii.local' });

  it('registers a certain match against that place, and an uncertain one at once with candidates to confirm', async () => {
    const certain = await processInboundMail(deps(), tenant(), {
      raw: Buffer.from(
        rfc822(
          { From: 'cineva@example.test', Subject: 'Fără curent', 'Message-ID': messageId() },
          'POD RO004E300456789, nu am curent de ieri.',
        ),
      ),
      arrivedAt: new Date(),
    });
    expect(certain).toMatchObject({ status: 'registered', identified: true });
    if (certain.status !== 'registered') return;
    const [c1] = await t.db.select().from(cases).where(eq(cases.id, certain.caseId));
    expect(c1).toMatchObject({
      customerId: ids.get('1000567890'),
      placeId: placeIds.get('RO004E300456789'),
      category: 'continuitate_alimentare',
    });

    const unsure = await processInboundMail(deps(), tenant(), {
      raw: Buffer.from(
        rfc822(
          {
            From: 'Maria Ionescu <maria.noua@example.test>',
            Subject: 'Reclamație',
            'Message-ID': messageId(),
          },
          'Factura e greșită.',
        ),
      ),
      arrivedAt: new Date(),
    });
    expect(unsure).toMatchObject({ status: 'registered', identified: false });
    if (unsure.status !== 'registered') return;
    const [c2] = await t.db.select().from(cases).where(eq(cases.id, unsure.caseId));
    expect(c2).toMatchObject({ customerId: null, placeId: null, contactEmail: 'maria.noua@example.test' });
    const candidates = await t.db
      .select()
      .from(identificationCandidates)
      .where(
        and(
          eq(identificationCandidates.caseId, unsure.caseId),
          eq(identificationCandidates.tenantId, t.demoTenantId),
        ),
      );
    expect(candidates.map((k) => k.customerId).sort()).toEqual(
      [ids.get('1000234567'), ids.get('1000234999')].sort(),
    );
    expect(candidates.every((k) => !k.certain && k.score > 0)).toBe(true);
  });
});
