import { createHash, randomInt } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeDocument } from '../../server/documents/documents.repo.ts';
import { LINK_LIMITS } from '../../server/portal/portal.service.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import {
  complaintForm,
  EXE,
  freshIp,
  link,
  loginConsumer,
  MARIA,
  PDF,
  PNG,
  STEFAN,
  submit,
} from './portal-helpers.ts';

type Headers = { authorization: string };
interface Place {
  id: string;
  placeCode: string;
  customerCode: string;
}
interface Submitted {
  number: string;
  dueDate: string;
  accessCode: string;
  files: Array<{ id: number; fileName: string; contentType: string; size: number; sha256: string }>;
}

describe('consumer portal: accounts, complaints, files and isolation', () => {
  let t: TestContext;
  let maria: Headers;
  let stefan: Headers;
  let mariaPlace: Place;

  beforeAll(async () => {
    t = await createTestContext();
    maria = await loginConsumer(t);
    stefan = await loginConsumer(t);
    const r = await link(t, maria, MARIA);
    expect(r.statusCode).toBe(201);
    mariaPlace = r.json<{ places: Place[] }>().places[0]!;
    expect((await link(t, stefan, STEFAN)).statusCode).toBe(201);
  });
  afterAll(async () => t?.close());

  describe('POST /api/portal/links', () => {
    /** Customers of the demo data that only these tests use, so their wrong tries never meet other tests'. */
    const ANA = {
      customerCode: '1000234999',
      placeCode: 'RO001E512345679',
      contractNumber: 'E-60311/2021',
      meterSerial: '40110022',
    };
    const PER_CUSTOMER = {
      customerCode: '1000345678',
      placeCode: 'RO006E530011223',
      contractNumber: 'E-7781/2018',
      meterSerial: '61122330',
    };
    const OTHER = {
      customerCode: '1000445566',
      placeCode: 'RO003E210445566',
      contractNumber: 'DE-2025-118204',
      meterSerial: '70445566',
    };
    /** A wrong try that touches no real customer: a customer code nobody has. */
    const nobody = () => ({
      customerCode: `9${randomInt(100_000_000, 999_999_999)}`,
      placeCode: 'RO000E000000000',
      contractNumber: 'X-1/2000',
      meterSerial: '00000000',
    });
    /** What a caller sees of an answer: status, the JSON body, and the headers that are not per response. */
    const seen = (r: { statusCode: number; body: string; headers: Record<string, unknown> }) => {
      const {
        date: _date,
        'x-ratelimit-remaining': _rest,
        'x-ratelimit-reset': _reset,
        ...headers
      } = r.headers;
      return { status: r.statusCode, body: r.body, headers };
    };
    const reasons = async (accountEmail: string) =>
      (
        await t.db.execute<{ reason: string }>(
          sql`select l.details->>'reason' as reason from audit_log l
              join consumer_accounts c on c.id::text = l.entity_id
              where l.action = 'portal.link_failed' and c.email = ${accountEmail} order by l.id`,
        )
      ).map((r) => r.reason);

    it('links with customer code + POD/CLC + contract number + meter serial, typed loosely', async () => {
      const b = await loginConsumer(t);
      const r = await link(t, b, {
        customerCode: ' 1000234567 ',
        placeCode: 'ro005e512345678',
        contractNumber: 'e 55120/2019',
        meterSerial: ' 35127789',
      });
      expect(r.statusCode).toBe(201);
      expect(r.json<{ places: Place[] }>().places.map((p) => p.placeCode)).toEqual(['RO005E512345678']);
      const places = await t.app.inject({ method: 'GET', url: '/api/portal/places', headers: b });
      expect(places.json<Place[]>().map((p) => p.placeCode)).toEqual(['RO005E512345678']);
    });

    it('needs both the contract number and the meter serial: one of them is not enough', async () => {
      const a = await loginConsumer(t);
      for (const proof of [
        { ...ANA, meterSerial: '' } as Record<string, string>,
        { ...ANA, contractNumber: '' },
        { customerCode: ANA.customerCode, placeCode: ANA.placeCode, contractNumber: ANA.contractNumber },
        { customerCode: ANA.customerCode, placeCode: ANA.placeCode, meterSerial: ANA.meterSerial },
      ]) {
        const r = await link(t, a, proof);
        expect(r.statusCode).toBe(400);
        expect(r.json<{ code: string }>().code).toBe('VALIDATION_FAILED');
      }
      const blank = await link(t, a, { ...ANA, meterSerial: '   ' });
      expect(blank.statusCode).toBe(400);
      expect(blank.json<{ message: string }>().message).toBe(
        'Completați atât numărul contractului, cât și seria contorului.',
      );
      // None of these was a try at the data: nothing counted, and the full proof links at once.
      const [n] = await t.db.execute<{ n: number }>(
        sql`select count(*)::int as n from portal_link_attempts a join consumer_accounts c on c.id = a.account_id
            where c.email = ${a.email}`,
      );
      expect(n!.n).toBe(0);
      expect((await link(t, a, ANA)).statusCode).toBe(201);
    });

    it('answers every wrong proof alike: one wrong factor, a wrong POD, an unknown customer', async () => {
      const a = await loginConsumer(t);
      const answers = [];
      for (const proof of [
        { ...OTHER, meterSerial: '70445567' },
        { ...OTHER, contractNumber: 'DE-2025-118205' },
        { ...OTHER, placeCode: STEFAN.placeCode },
        { ...STEFAN, customerCode: OTHER.customerCode },
        nobody(),
      ]) {
        const r = await link(t, a, proof);
        expect(r.statusCode).toBe(422);
        expect(r.json<{ code: string }>().code).toBe('PORTAL_LINK_REFUSED');
        answers.push(seen(r));
      }
      expect(new Set(answers.map((x) => JSON.stringify(x))).size).toBe(1);
      expect(answers[0]!.body).toContain('Nu am putut asocia contul de client.');
      expect(await reasons(a.email)).toEqual(['mismatch', 'mismatch', 'mismatch', 'mismatch', 'mismatch']);
    });

    it("never matches another supplier's customer codes (ACME data in the DEMO portal)", async () => {
      const a = await loginConsumer(t);
      // ACME has a customer with the same code as DEMO's Maria Ionescu, with its own place and contract.
      const acmeProof = {
        customerCode: '1000234567',
        placeCode: 'DGN0000001',
        contractNumber: 'A-1/2024',
        meterSerial: 'G00000001',
      };
      const r = await link(t, a, acmeProof);
      expect(r.statusCode).toBe(422);
      const acme = await loginConsumer(t, undefined, 'ACME');
      const ok = await link(t, acme, acmeProof);
      expect(ok.statusCode).toBe(201);
    });

    it(`per portal account: after ${LINK_LIMITS.perAccount} wrong tries even the right data gets the wrong-try answer, from any address`, async () => {
      const a = await loginConsumer(t);
      const wrong = [];
      // Each try from a new client address and on a different customer: neither lifts the account's limit.
      for (let i = 0; i < LINK_LIMITS.perAccount; i++) wrong.push(seen(await link(t, a, nobody())));
      const right = seen(await link(t, a, MARIA));
      expect(right.status).toBe(422);
      expect(right).toEqual(wrong[0]);
      expect(await reasons(a.email)).toEqual([
        ...Array<string>(LINK_LIMITS.perAccount).fill('mismatch'),
        'limit_reached',
      ]);
      // The customer is not locked for anyone else.
      expect((await link(t, await loginConsumer(t), MARIA)).statusCode).toBe(201);
    });

    it(`per customer code: after ${LINK_LIMITS.perCustomer} wrong tries from any accounts and addresses, the customer cannot be linked for a day`, async () => {
      const accounts = [await loginConsumer(t), await loginConsumer(t), await loginConsumer(t)];
      for (let i = 0; i < LINK_LIMITS.perCustomer; i++) {
        const r = await link(t, accounts[i % accounts.length]!, {
          ...PER_CUSTOMER,
          // Typed differently each time: the count is on the customer code as it normalises.
          customerCode:
            i % 2
              ? PER_CUSTOMER.customerCode
              : ` ${PER_CUSTOMER.customerCode.slice(0, 4)}-${PER_CUSTOMER.customerCode.slice(4)}`,
          meterSerial: `9${i}`,
        });
        expect(r.statusCode).toBe(422);
      }
      const fresh = await loginConsumer(t);
      const mismatch = seen(await link(t, fresh, { ...OTHER, meterSerial: '1' }));
      const locked = seen(await link(t, fresh, PER_CUSTOMER));
      expect(locked).toEqual(mismatch);
      expect(await reasons(fresh.email)).toEqual(['mismatch', 'limit_reached']);
      // The same account links another customer: it is the customer code that is locked, not the account.
      expect((await link(t, fresh, OTHER)).statusCode).toBe(201);
    });

    it(`per client address: after ${LINK_LIMITS.perAddress} wrong tries from one address, new accounts and other customers do not help`, async () => {
      const ip = freshIp();
      const perAccount = LINK_LIMITS.perAccount - 1;
      const accounts = [];
      for (let i = 0; i * perAccount < LINK_LIMITS.perAddress; i++) accounts.push(await loginConsumer(t));
      for (let i = 0; i < LINK_LIMITS.perAddress; i++) {
        const r = await link(t, accounts[Math.floor(i / perAccount)]!, nobody(), ip);
        expect(r.statusCode).toBe(422);
      }
      const fresh = await loginConsumer(t);
      const mismatch = seen(await link(t, fresh, nobody()));
      const locked = seen(await link(t, fresh, STEFAN, ip));
      expect(locked).toEqual(mismatch);
      expect(await reasons(fresh.email)).toEqual(['mismatch', 'limit_reached']);
      // From another address the same account links the same customer.
      expect((await link(t, fresh, STEFAN)).statusCode).toBe(201);
    });

    it('counts parallel wrong tries one by one (no more than the limit are compared)', async () => {
      const a = await loginConsumer(t);
      const results = await Promise.all(Array.from({ length: 10 }, () => link(t, a, nobody())));
      expect(results.map((r) => r.statusCode)).toEqual(Array<number>(10).fill(422));
      const r = (await reasons(a.email)).sort();
      expect(r.filter((x) => x === 'mismatch')).toHaveLength(LINK_LIMITS.perAccount);
      expect(r.filter((x) => x === 'limit_reached')).toHaveLength(10 - LINK_LIMITS.perAccount);
    });

    it('keeps the client address only as an HMAC, and the customer code as typed (normalised)', async () => {
      const a = await loginConsumer(t);
      await link(t, a, { ...OTHER, customerCode: 'abc-def 1', meterSerial: '1' }, '10.99.98.97');
      const rows = await t.db.execute<{ ip_hash: string; customer_code: string }>(
        sql`select ip_hash, customer_code from portal_link_attempts a join consumer_accounts c on c.id = a.account_id
            where c.email = ${a.email}`,
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]!.customer_code).toBe('ABCDEF1');
      expect(rows[0]!.ip_hash).toMatch(/^[0-9a-f]{32}$/);
      expect(rows[0]!.ip_hash).not.toContain('10.99');
    });
  });

  describe('POST /api/portal/cases', () => {
    it('asks a consumer with two linked accounts which one the complaint is about, instead of a name', async () => {
      const both = await loginConsumer(t);
      expect((await link(t, both, MARIA)).statusCode).toBe(201);
      expect((await link(t, both, STEFAN)).statusCode).toBe(201);
      const r = await submit(
        t,
        both,
        complaintForm({
          category: 'facturare',
          subject: 'Despre contract',
          body: 'Vreau să schimb modalitatea de plată a facturilor pe contractul meu.',
        }),
      );
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({
        code: 'VALIDATION_FAILED',
        message:
          'Aveți mai multe conturi de client asociate: alegeți locul de consum sau contul la care se referă reclamația.',
      });
    });

    it('registers a complaint for a place with a photo and a PDF: channel portal, files sniffed and stored by hash', async () => {
      const r = await submit(
        t,
        maria,
        complaintForm(
          {
            category: 'facturare',
            subject: 'Factură prea mare în octombrie',
            body: 'Factura din octombrie este de trei ori mai mare decât de obicei; atașez fotografia indexului.',
            placeId: mariaPlace.id,
          },
          [
            { name: 'index contor.png', content: PNG, type: 'image/png' },
            // The browser's claim and the name do not decide the type: the bytes do.
            { name: 'factura.bin', content: PDF, type: 'application/octet-stream' },
          ],
        ),
      );
      expect(r.statusCode).toBe(201);
      const s = r.json<Submitted>();
      expect(s.number).toMatch(/^DEMO-\d{4}-\d{6}$/);
      expect(s.accessCode).toMatch(/^[A-Z2-7]{10}$/);
      expect(s.files.map((f) => [f.fileName, f.contentType, f.size])).toEqual([
        ['index contor.png', 'image/png', PNG.length],
        ['factura.bin', 'application/pdf', PDF.length],
      ]);
      expect(s.files[0]!.sha256).toBe(createHash('sha256').update(PNG).digest('hex'));
      const [row] = await t.db.execute<{ channel: string; place_code: string; contact_email: string }>(
        sql`select c.channel, p.place_code, c.contact_email from cases c join places p on p.id = c.place_id
            where c.number = ${s.number}`,
      );
      expect(row).toMatchObject({ channel: 'portal', place_code: 'RO005E512345678' });
      const blobs = await t.db.execute<{ n: number }>(
        sql`select count(*)::int as n from mail_blobs where sha256 in (${s.files[0]!.sha256}, ${s.files[1]!.sha256})`,
      );
      expect(blobs[0]!.n).toBe(2);
      // Recorded as the e-mail intake records what arrives, so officers find the files with the case.
      const inbound = await t.db.execute<{ kind: string; files: number }>(
        sql`select m.kind, (select count(*)::int from inbound_attachments a where a.inbound_message_id = m.id) as files
            from inbound_messages m join cases c on c.id = m.case_id where c.number = ${s.number} and m.reason = 'portal'`,
      );
      expect(inbound).toEqual([{ kind: 'complaint', files: 2 }]);
      // The stored file comes back byte for byte, to its owner only.
      const back = await t.app.inject({
        method: 'GET',
        url: `/api/portal/cases/${s.number}/files/${s.files[0]!.id}`,
        headers: maria,
      });
      expect(back.statusCode).toBe(200);
      expect(back.headers['content-type']).toBe('image/png');
      expect(Buffer.compare(back.rawPayload, PNG)).toBe(0);
      const stranger = await t.app.inject({
        method: 'GET',
        url: `/api/portal/cases/${s.number}/files/${s.files[0]!.id}`,
        headers: stefan,
      });
      expect(stranger.statusCode).toBe(404);
    });

    it('keeps what was sent immutable', async () => {
      // Its own submission with a file: a row trigger only speaks when there is a row to change.
      const mine = await submit(
        t,
        maria,
        complaintForm(
          {
            category: 'facturare',
            subject: 'Test imuabil',
            body: 'Un text care nu se mai schimbă.',
            placeId: mariaPlace.id,
          },
          [{ name: 'dovada.png', content: PNG, type: 'image/png' }],
        ),
      );
      expect(mine.statusCode, mine.body).toBe(201);
      const refused = async (q: ReturnType<typeof sql>) => {
        const err = await t.db.execute(q).then(
          () => null,
          (e: unknown) => e as Error & { cause?: Error },
        );
        return String(err?.cause?.message ?? err?.message);
      };
      expect(await refused(sql`update portal_files set file_name = 'altceva.png'`)).toMatch(/immutable/);
      expect(await refused(sql`delete from portal_submissions`)).toMatch(/immutable/);
      expect(await refused(sql`update portal_submissions set text = 'alt text'`)).toMatch(/immutable/);
    });

    it('refuses a file whose content is not an accepted type, whatever its name says, naming the file', async () => {
      const form = complaintForm(
        {
          category: 'facturare',
          subject: 'Test tip',
          body: 'Un fișier care pretinde că este o poză.',
          placeId: mariaPlace.id,
        },
        [{ name: 'poza.jpg', content: EXE, type: 'image/jpeg' }],
      );
      const r = await submit(t, maria, form);
      expect(r.statusCode).toBe(415);
      expect(r.json<{ message: string }>().message).toBe(
        'Fișierul „poza.jpg” nu este de un tip acceptat. Sunt acceptate fotografii (JPG, PNG, WEBP, HEIC), PDF, DOCX, XLSX și ODT.',
      );
      const text = await submit(
        t,
        maria,
        complaintForm(
          { category: 'facturare', subject: 'Test tip', body: 'Un fișier text fără semnătură.' },
          [{ name: 'nota.pdf', content: Buffer.from('doar text, nu PDF'), type: 'application/pdf' }],
        ),
      );
      expect(text.statusCode).toBe(415);
    });

    it('refuses a file over 10 MB and more than 5 files', async () => {
      const big = Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)]);
      const r = await submit(
        t,
        maria,
        complaintForm({ category: 'facturare', subject: 'Prea mare', body: 'Un fișier de peste 10 MB.' }, [
          { name: 'mare.png', content: big },
        ]),
      );
      expect(r.statusCode).toBe(413);
      expect(r.json<{ code: string; message: string }>()).toEqual({
        code: 'PORTAL_FILE_TOO_LARGE',
        message: 'Un fișier depășește 10 MB.',
      });
      const six = Array.from({ length: 6 }, (_, i) => ({ name: `p${i}.png`, content: PNG }));
      const r6 = await submit(
        t,
        maria,
        complaintForm({ category: 'facturare', subject: 'Prea multe', body: 'Șase fișiere atașate.' }, six),
      );
      expect(r6.statusCode).toBe(413);
      expect(r6.json<{ message: string }>().message).toBe('Puteți atașa cel mult 5 fișiere.');
      const cases = await t.db.execute<{ n: number }>(
        sql`select count(*)::int as n from cases where subject in ('Prea mare', 'Prea multe')`,
      );
      expect(cases[0]!.n).toBe(0);
    });

    it('validates the fields with Romanian messages', async () => {
      const r = await submit(
        t,
        maria,
        complaintForm({ category: 'facturare', subject: 'ab', body: 'Destul de lung text.' }),
      );
      expect(r.statusCode).toBe(400);
      expect(r.json<{ message: string }>().message).toBe(
        'Câmpul „subiectul” trebuie să aibă cel puțin 3 caractere.',
      );
      const c = await submit(
        t,
        maria,
        complaintForm({ category: 'altceva', subject: 'Subiect', body: 'Destul de lung text.' }),
      );
      expect(c.json<{ message: string }>().message).toBe('Alegeți categoria reclamației.');
      // Referrals from an authority are registered by staff, not filed by consumers.
      const referral = await submit(
        t,
        maria,
        complaintForm({ category: 'sesizare_autoritate', subject: 'Subiect', body: 'Destul de lung text.' }),
      );
      expect(referral.statusCode).toBe(400);
      const json = await t.app.inject({
        method: 'POST',
        url: '/api/portal/cases',
        headers: maria,
        payload: { category: 'facturare' },
      });
      expect(json.statusCode).toBe(415);
    });

    it("refuses another consumer's place", async () => {
      const r = await submit(
        t,
        stefan,
        complaintForm({
          category: 'facturare',
          subject: 'Loc străin',
          body: 'Locul altcuiva, nu al meu.',
          placeId: mariaPlace.id,
        }),
      );
      expect(r.statusCode).toBe(422);
      expect(r.json<{ code: string }>().code).toBe('PORTAL_PLACE_NOT_LINKED');
    });

    it('takes a complaint about the contract without a place, and from an unlinked account with a name', async () => {
      const contract = await submit(
        t,
        stefan,
        complaintForm({
          category: 'contractare',
          subject: 'Clauză din contract',
          body: 'Nu sunt de acord cu clauza de penalizare.',
        }),
      );
      expect(contract.statusCode).toBe(201);
      const [row] = await t.db.execute<{ customer_code: string; place_id: string | null }>(
        sql`select cu.customer_code, c.place_id from cases c join customers cu on cu.id = c.customer_id
            where c.number = ${contract.json<Submitted>().number}`,
      );
      expect(row).toEqual({ customer_code: STEFAN.customerCode, place_id: null });

      const lone = await loginConsumer(t);
      const noName = await submit(
        t,
        lone,
        complaintForm({
          category: 'contractare',
          subject: 'Ofertă',
          body: 'Vreau să devin client, dar oferta nu e clară.',
        }),
      );
      expect(noName.statusCode).toBe(422);
      expect(noName.json<{ message: string }>().message).toBe(
        'Fără un cont de client asociat, completați numele dumneavoastră.',
      );
      const named = await submit(
        t,
        lone,
        complaintForm({
          category: 'contractare',
          subject: 'Ofertă',
          body: 'Vreau să devin client, dar oferta nu e clară.',
          contactName: 'Ioana Pop',
        }),
      );
      expect(named.statusCode).toBe(201);
      const mine = await t.app.inject({ method: 'GET', url: '/api/portal/cases', headers: lone });
      expect(mine.json<Array<{ number: string }>>().map((c) => c.number)).toEqual([
        named.json<Submitted>().number,
      ]);
    });
  });

  describe('my cases: timeline, documents, added information, isolation', () => {
    /** A case of Maria's for one test: one test closes its case, another adds to it, another counts its views. */
    async function mariaCase(): Promise<string> {
      const r = await submit(
        t,
        maria,
        complaintForm({
          category: 'grup_masurare',
          subject: 'Contorul se rotește fără consum',
          body: 'Contorul avansează și când totul este oprit.',
          placeId: mariaPlace.id,
        }),
      );
      expect(r.statusCode).toBe(201);
      return r.json<Submitted>().number;
    }

    it('lists the case for its owner only, and shows the public timeline', async () => {
      const number = await mariaCase();
      const mine = await t.app.inject({ method: 'GET', url: '/api/portal/cases', headers: maria });
      expect(mine.json<Array<{ number: string; channel: string }>>().some((c) => c.number === number)).toBe(
        true,
      );
      const theirs = await t.app.inject({ method: 'GET', url: '/api/portal/cases', headers: stefan });
      expect(theirs.json<Array<{ number: string }>>().some((c) => c.number === number)).toBe(false);

      const d = await t.app.inject({ method: 'GET', url: `/api/portal/cases/${number}`, headers: maria });
      expect(d.statusCode).toBe(200);
      const detail = d.json<{ timeline: Array<{ type: string }>; open: boolean; channel: string }>();
      expect(detail.channel).toBe('portal');
      expect(detail.open).toBe(true);
      expect(detail.timeline[0]!.type).toBe('registered');
      // Internal events (e.g. the list of stored files) stay internal.
      expect(detail.timeline.every((e) => e.type !== 'portal_files')).toBe(true);
      const viewed = await t.db.execute<{ n: number }>(
        sql`select count(*)::int as n from audit_log a join cases c on c.id::text = a.entity_id
            where c.number = ${number} and a.action = 'case.viewed' and a.actor_kind = 'consumer'`,
      );
      expect(viewed[0]!.n).toBe(1);
    });

    it("gives 404 for another consumer's case, its documents and files, and for another supplier's consumer", async () => {
      const number = await mariaCase();
      const [c] = await t.db.execute<{ id: string }>(sql`select id from cases where number = ${number}`);
      const doc = await storeDocument(t.db, {
        tenantId: t.demoTenantId,
        caseId: c!.id,
        kind: 'answer_letter',
        fileName: `raspuns-${number}.pdf`,
        content: PDF,
        sha256: createHash('sha256').update(PDF).digest('hex'),
      });
      const own = await t.app.inject({
        method: 'GET',
        url: `/api/portal/cases/${number}/documents/${doc.id}`,
        headers: maria,
      });
      expect(own.statusCode).toBe(200);
      expect(own.headers['content-type']).toBe('application/pdf');
      expect(own.headers['content-disposition']).toContain(`raspuns-${number}.pdf`);
      expect(Buffer.compare(own.rawPayload, PDF)).toBe(0);

      const acme = await loginConsumer(t, undefined, 'ACME');
      for (const headers of [stefan, acme]) {
        for (const url of [
          `/api/portal/cases/${number}`,
          `/api/portal/cases/${number}/documents/${doc.id}`,
        ]) {
          const r = await t.app.inject({ method: 'GET', url, headers });
          expect(r.statusCode).toBe(404);
          expect(r.json<{ message: string }>().message).toBe('Reclamația nu există.');
        }
      }
      const add = await t.app.inject({
        method: 'POST',
        url: `/api/portal/cases/${number}/information`,
        headers: stefan,
        payload: complaintForm({ text: 'Încerc să scriu în dosarul altcuiva.' }),
      });
      expect(add.statusCode).toBe(404);
      const downloads = await t.db.execute<{ n: number }>(
        sql`select count(*)::int as n from audit_log where action = 'document.downloaded' and actor_kind = 'consumer'
            and entity_id = ${c!.id}`,
      );
      expect(downloads[0]!.n).toBe(1);
    });

    it('adds information to an open case: stored with files, public event, BPMN message correlated', async () => {
      const number = await mariaCase();
      const r = await t.app.inject({
        method: 'POST',
        url: `/api/portal/cases/${number}/information`,
        headers: maria,
        payload: complaintForm({ text: 'Am fotografiat contorul din nou azi dimineață.' }, [
          { name: 'contor-azi.png', content: PNG },
        ]),
      });
      expect(r.statusCode).toBe(201);
      const added = r.json<{ correlated: boolean; files: Array<{ contentType: string }> }>();
      expect(added.correlated).toBe(true);
      expect(added.files.map((f) => f.contentType)).toEqual(['image/png']);
      const d = await t.app.inject({ method: 'GET', url: `/api/portal/cases/${number}`, headers: maria });
      const detail = d.json<{
        timeline: Array<{ type: string }>;
        submissions: Array<{ kind: string; files: unknown[] }>;
      }>();
      expect(detail.timeline.map((e) => e.type)).toContain('consumer_added_information');
      expect(detail.submissions.map((s) => [s.kind, s.files.length])).toEqual([
        ['complaint', 0],
        ['information', 1],
      ]);
      const [c] = await t.db.execute<{ process_instance_id: string }>(
        sql`select process_instance_id from cases where number = ${number}`,
      );
      // It went the way an e-mail reply goes: an inbound reply (reason portal) with its attachment, correlated.
      const inbound = await t.db.execute<{
        kind: string;
        pending_message: string | null;
        correlated: boolean;
        files: number;
      }>(
        sql`select m.kind, m.pending_message, m.correlated,
              (select count(*)::int from inbound_attachments a where a.inbound_message_id = m.id) as files
            from inbound_messages m join cases c on c.id = m.case_id where c.number = ${number} and m.reason = 'portal' and m.kind = 'reply'`,
      );
      expect(inbound).toEqual([{ kind: 'reply', pending_message: null, correlated: true, files: 1 }]);
      // The engine ran the "consumer added information" event sub-process for this case.
      const history = await t.engine.activityHistory(c!.process_instance_id);
      expect(history.map((a) => a.activityId)).toContain('informationReceived');
    });

    it('refuses information on a closed case', async () => {
      const number = await mariaCase();
      await t.db.execute(sql`update cases set status = 'closed' where number = ${number}`);
      const r = await t.app.inject({
        method: 'POST',
        url: `/api/portal/cases/${number}/information`,
        headers: maria,
        payload: complaintForm({ text: 'Încă o completare după închidere.' }),
      });
      expect(r.statusCode).toBe(409);
      expect(r.json<{ message: string }>().message).toBe('Reclamația este închisă.');
    });

    it('contests the answer of a closed case: a new linked case, the original untouched, only by its owner', async () => {
      const number = await mariaCase();
      // Closed, its answer sent: what may be contested.
      await t.db.execute(sql`update cases set status = 'closed' where number = ${number}`);
      const contest = (headers: { authorization: string }, n: string) =>
        t.app.inject({
          method: 'POST',
          url: `/api/portal/cases/${n}/contestations`,
          headers,
          payload: { text: 'Nu sunt de acord cu răspunsul: indexul citit nu este cel real.' },
        });
      expect((await contest(stefan, number)).statusCode).toBe(404);
      const r = await contest(maria, number);
      expect(r.statusCode).toBe(201);
      const created = r.json<{ number: string; contests: string }>();
      expect(created.contests).toBe(number);
      const [row] = await t.db.execute<{ category: string; channel: string; original_status: string }>(
        sql`select n.category, n.channel, o.status as original_status from cases n join cases o on o.id = n.contests_case_id
            where n.number = ${created.number}`,
      );
      expect(row).toEqual({ category: 'solutionare_plangeri', channel: 'portal', original_status: 'closed' });
      const mine = await t.app.inject({ method: 'GET', url: '/api/portal/cases', headers: maria });
      expect(mine.json<Array<{ number: string }>>().map((c) => c.number)).toContain(created.number);
      // An open case has no answer to contest yet.
      const open = await contest(maria, created.number);
      expect(open.statusCode).toBe(409);
      expect(open.json<{ message: string }>().message).toBe(
        'Răspunsul poate fi contestat numai după ce a fost transmis consumatorului.',
      );
    });

    it('shows cases of the linked customer that came by other channels', async () => {
      const agent = await t.login('agent@demo.local');
      const [cust] = await t.db.execute<{ id: string }>(
        sql`select id from customers where customer_code = ${STEFAN.customerCode} and tenant_id = ${t.demoTenantId}`,
      );
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/complaints',
        headers: agent,
        payload: {
          customerId: cust!.id,
          category: 'facturare',
          subject: 'Sunat la call center',
          body: 'Clientul a sunat pentru factura din noiembrie.',
        },
      });
      expect(r.statusCode).toBe(201);
      const mine = await t.app.inject({ method: 'GET', url: '/api/portal/cases', headers: stefan });
      const found = mine
        .json<Array<{ number: string; channel: string }>>()
        .find((c) => c.number === r.json<{ number: string }>().number);
      expect(found?.channel).toBe('call_center');
    });
  });
});
