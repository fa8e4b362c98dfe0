import ExcelJS from 'exceljs';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, reportPublications } from '../../server/db/schema/index.ts';
import { createCase, createTenant, createUser, type FactoryTenant } from '../factories/index.ts';
import { insertCase } from './hand-made.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import type { Headers } from '../helpers/tasks.ts';

type Row = Record<string, unknown>;

const ZERO = {
  received: 0,
  solved: 0,
  solvedInTime: 0,
  late: 0,
  pending: 0,
  compensationsOwed: 0,
  compensationsPaid: 0,
  compensationLei: 0,
  compensationOwedLei: 0,
  handlingTimeAvg: null,
  handlingTimeMax: null,
  handlingTimeUnit: null,
};

/**
 * The regulator report (issue 16 item 1) on a hand-made set of complaints whose figures are written below, one by
 * one: what counts as received, solved in time or late (the communication date in Bucharest time against the due
 * day, the same as GET /api/complaints/:number's answeredInTime), pending at the end of the quarter, handling time
 * in the rule's unit, compensation owed and paid. The same figures are read back from the CSV and the XLSX, a past
 * quarter gives the same numbers after later events, and a published quarter stays frozen.
 */
describe('regulator report: GET /api/reports/indicators', { timeout: 240_000 }, () => {
  let t: TestContext;
  let tenant: FactoryTenant;
  let admin: Headers;
  let supervisor: Headers;
  let officer: Headers;
  let otherAdmin: Headers;
  const ids: Record<string, string> = {};
  const Q1 = 'from=2026-01-01&to=2026-03-31';

  beforeAll(async () => {
    t = await createTestContext({ taskEvents: false });
    tenant = await createTenant(t);
    const [a, s, o, other] = await Promise.all([
      createUser(t, { tenantId: tenant.id, roles: ['admin'], jobRoles: [] }),
      createUser(t, { tenantId: tenant.id, roles: ['supervisor'], jobRoles: ['SEF'] }),
      createUser(t, { tenantId: tenant.id, roles: ['officer'], jobRoles: ['RSP'] }),
      createUser(t, { tenantId: t.acmeTenantId, roles: ['admin'], jobRoles: [] }),
    ]);
    [admin, supervisor, officer, otherAdmin] = await Promise.all([
      a.login(),
      s.login(),
      o.login(),
      other.login(),
    ]);
    const hh = { customerType: 'household', energy: 'electricity' } as const;
    const billing = { category: 'facturare', unit: 'working' } as const;
    // A: registered and answered in the quarter, in time. Handling: 13–16, 19, 20 January = 6 working days.
    ids.A = await insertCase(t, tenant, {
      ...billing,
      ...hh,
      channel: 'email',
      registeredOn: '2026-01-12',
      dueDate: '2026-02-02',
      communicatedAt: '2026-01-20T08:00:00Z',
    });
    // B: answered two working days late (Mon 23, Tue 24 February): 150 lei owed, paid on 10 March.
    // Handling: 3–6, 9–13, 16–20, 23, 24 February = 16 working days.
    ids.B = await insertCase(t, tenant, {
      ...billing,
      ...hh,
      channel: 'email',
      registeredOn: '2026-02-02',
      dueDate: '2026-02-20',
      communicatedAt: '2026-02-24T09:00:00Z',
      breachedAt: '2026-02-20T22:00:00Z',
      delayDays: 2,
      compensationLei: 150,
      paidOn: '2026-03-10',
      paidLei: 150,
    });
    // M: sent at 22:30 UTC on the due day, which is already 00:30 on Saturday 21 February in Bucharest: late, 100
    // lei. Handling: 14 working days (the Saturday is not one).
    ids.M = await insertCase(t, tenant, {
      ...billing,
      ...hh,
      channel: 'email',
      registeredOn: '2026-02-02',
      dueDate: '2026-02-20',
      communicatedAt: '2026-02-20T22:30:00Z',
      delayDays: 1,
      compensationLei: 100,
    });
    // K: answered late in the previous quarter, its compensation paid in this one: only "paid" counts here.
    ids.K = await insertCase(t, tenant, {
      ...billing,
      ...hh,
      channel: 'email',
      registeredOn: '2025-10-01',
      dueDate: '2025-10-22',
      communicatedAt: '2025-10-24T09:00:00Z',
      delayDays: 2,
      compensationLei: 150,
      paidOn: '2026-01-15',
      paidLei: 150,
    });
    // E: registered in December, answered on 8 January, in time. Handling: 16–19, 22–24, 29–31 December, 5 and 8
    // January (25–26 December, 1–2 and 6–7 January are holidays) = 12 working days.
    ids.E = await insertCase(t, tenant, {
      ...billing,
      ...hh,
      channel: 'post',
      registeredOn: '2025-12-15',
      dueDate: '2026-01-09',
      communicatedAt: '2026-01-08T10:00:00Z',
    });
    // C: registered late in the quarter, not answered yet: received and pending.
    ids.C = await insertCase(t, tenant, {
      ...billing,
      customerType: 'non_household',
      energy: 'gas',
      channel: 'portal',
      registeredOn: '2026-03-20',
      dueDate: '2026-04-10',
    });
    // D: forwarded by ANRE with an earlier deadline (25 March), answered only on 2 April: at the end of March it
    // is pending and owes 6 calendar days of delay = 100 + 5 × 50 = 350 lei (whatever it owes later).
    ids.D = await insertCase(t, tenant, {
      category: 'contractare',
      unit: 'calendar',
      ...hh,
      channel: 'call_center',
      source: 'authority',
      registeredOn: '2026-03-02',
      dueDate: '2026-03-25',
      breachedAt: '2026-03-25T22:00:00Z',
      delayDays: 1,
      compensationLei: 100,
    });
    // F: registered in November, still not answered: pending (its compensation fell due in December, not here).
    ids.F = await insertCase(t, tenant, {
      category: 'contractare',
      unit: 'calendar',
      customerType: 'non_household',
      energy: 'electricity',
      channel: 'email',
      registeredOn: '2025-11-10',
      dueDate: '2025-12-10',
      breachedAt: '2025-12-10T22:00:00Z',
      delayDays: 1,
      compensationLei: 100,
    });
    // J: anonymous, filed on 9 March with nobody to tell: solved then, in time, 4 calendar days, nothing owed.
    ids.J = await insertCase(t, tenant, {
      category: 'informare_clienti',
      unit: 'calendar',
      customerType: null,
      energy: null,
      channel: 'email',
      status: 'filed',
      filedReason: 'anonymous',
      registeredOn: '2026-03-05',
      dueDate: '2026-04-04',
      closedAt: '2026-03-09T10:00:00Z',
    });
    // Never complaints: an annulled registration, a request found not to be a complaint, a GDPR request.
    for (const extra of [
      { status: 'annulled' as const },
      { kind: 'not_a_complaint' as const, status: 'filed' as const },
      { kind: 'gdpr_request' as const, status: 'filed' as const },
    ])
      await insertCase(t, tenant, {
        ...billing,
        ...hh,
        channel: 'email',
        registeredOn: '2026-01-15',
        dueDate: '2026-02-05',
        communicatedAt: '2026-02-20T09:00:00Z',
        ...extra,
      });
    // L: registered through the one registration door (by phone on Tuesday 10 February, nobody on file), its
    // due date from the tenant's rule: 15 working days = 3 March; answered at 17:00 on that very day: in time.
    const l = await createCase(t, {
      tenantId: tenant.id,
      customer: null,
      contactName: 'Elena Marin',
      contactPhone: '0722000111',
      receivedAt: new Date('2026-02-10T08:00:00Z'),
    });
    expect(l.registeredOn).toBe('2026-02-10');
    expect(l.dueDate).toBe('2026-03-03');
    ids.L = l.id;
    await t.db
      .update(cases)
      .set({
        customerType: null,
        energy: null,
        status: 'closed',
        answerCommunicatedAt: new Date('2026-03-03T15:00:00Z'),
        answerCommunicatedBy: 'email',
        delayDays: 0,
        compensationLei: 0,
      })
      .where(eq(cases.id, l.id));
  });
  afterAll(async () => t?.close());

  async function indicators(headers: Headers, query = Q1) {
    const res = await t.app.inject({ method: 'GET', url: `/api/reports/indicators?${query}`, headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{
      period: Row;
      rows: Row[];
      tables: Record<string, Row[]>;
      total: Row;
      definitions: Array<{ key: string; label: string; text: string }>;
    }>();
  }

  const EXPECTED_ROWS = [
    {
      ...ZERO,
      category: 'contractare',
      customerType: 'household',
      energy: 'electricity',
      channel: 'call_center',
      source: 'authority',
      received: 1,
      pending: 1,
      compensationsOwed: 1,
      compensationOwedLei: 350,
    },
    {
      ...ZERO,
      category: 'contractare',
      customerType: 'non_household',
      energy: 'electricity',
      channel: 'email',
      source: 'consumer',
      pending: 1,
    },
    {
      category: 'facturare',
      customerType: 'household',
      energy: 'electricity',
      channel: 'email',
      source: 'consumer',
      received: 3,
      solved: 3,
      solvedInTime: 1,
      late: 2,
      pending: 0,
      compensationsOwed: 2,
      compensationOwedLei: 250,
      compensationsPaid: 2,
      compensationLei: 300,
      handlingTimeAvg: 12,
      handlingTimeMax: 16,
      handlingTimeUnit: 'working',
    },
    {
      ...ZERO,
      category: 'facturare',
      customerType: 'household',
      energy: 'electricity',
      channel: 'post',
      source: 'consumer',
      solved: 1,
      solvedInTime: 1,
      handlingTimeAvg: 12,
      handlingTimeMax: 12,
      handlingTimeUnit: 'working',
    },
    {
      ...ZERO,
      category: 'facturare',
      customerType: 'non_household',
      energy: 'gas',
      channel: 'portal',
      source: 'consumer',
      received: 1,
      pending: 1,
    },
    {
      ...ZERO,
      category: 'facturare',
      customerType: null,
      energy: null,
      channel: 'call_center',
      source: 'consumer',
      received: 1,
      solved: 1,
      solvedInTime: 1,
      handlingTimeAvg: 15,
      handlingTimeMax: 15,
      handlingTimeUnit: 'working',
    },
    {
      ...ZERO,
      category: 'informare_clienti',
      customerType: null,
      energy: null,
      channel: 'email',
      source: 'consumer',
      received: 1,
      solved: 1,
      solvedInTime: 1,
      handlingTimeAvg: 4,
      handlingTimeMax: 4,
      handlingTimeUnit: 'calendar',
    },
  ];

  it('gives the figures of the hand-made quarter, one row per combination present', async () => {
    const r = await indicators(supervisor);
    expect(r.period).toEqual({
      from: '2026-01-01',
      to: '2026-03-31',
      asOf: '2026-03-31',
      label: 'Trimestrul I 2026',
    });
    expect(r.rows).toEqual(EXPECTED_ROWS);
    expect(r.total).toEqual({
      received: 7,
      solved: 6,
      solvedInTime: 4,
      late: 2,
      pending: 3,
      compensationsOwed: 3,
      compensationOwedLei: 600,
      compensationsPaid: 2,
      compensationLei: 300,
      // (6 + 16 + 14 + 12 + 15 working days + 4 calendar days) / 6, rules in two units.
      handlingTimeAvg: 11.2,
      handlingTimeMax: 16,
      handlingTimeUnit: 'mixed',
    });
    const billing = r.tables.category!.find((c) => c.key === 'facturare');
    expect(billing).toEqual({
      key: 'facturare',
      received: 5,
      solved: 5,
      solvedInTime: 3,
      late: 2,
      pending: 1,
      compensationsOwed: 2,
      compensationOwedLei: 250,
      compensationsPaid: 2,
      compensationLei: 300,
      handlingTimeAvg: 12.6,
      handlingTimeMax: 16,
      handlingTimeUnit: 'working',
    });
    // Every category of Order 16/2015 is listed, with zeros where nothing happened.
    expect(r.tables.category!.map((c) => c.key)).toHaveLength(9);
    expect(r.tables.category!.find((c) => c.key === 'grup_masurare')).toEqual({
      key: 'grup_masurare',
      ...ZERO,
    });
    expect(r.tables.customerType!.map((c) => [c.key, c.received])).toEqual([
      ['household', 4],
      ['non_household', 1],
      [null, 2],
    ]);
    expect(r.tables.source!.map((c) => [c.key, c.received, c.compensationsOwed])).toEqual([
      ['consumer', 6, 2],
      ['authority', 1, 1],
    ]);
    const defined = r.definitions.map((d) => d.key);
    for (const key of [
      'received',
      'solved',
      'solvedInTime',
      'late',
      'pending',
      'compensationsOwed',
      'compensationLei',
    ])
      expect(defined).toContain(key);
    expect(r.definitions.find((d) => d.key === 'solved')!.text).toContain('data comunicării');
  });

  it('is for admins and supervisors of the tenant only', async () => {
    expect((await indicators(admin)).total.received).toBe(7);
    const denied = await t.app.inject({
      method: 'GET',
      url: `/api/reports/indicators?${Q1}`,
      headers: officer,
    });
    expect(denied.statusCode).toBe(403);
    // Another tenant's admin sees its own (empty) quarter, never this tenant's complaints.
    const other = await indicators(otherAdmin);
    expect(other.rows).toEqual([]);
    expect(other.total.received).toBe(0);
    const reversed = await t.app.inject({
      method: 'GET',
      url: '/api/reports/indicators?from=2026-03-31&to=2026-01-01',
      headers: admin,
    });
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json()).toMatchObject({ code: 'PERIOD_INVALID' });
  });

  it('gives the same figures in the CSV (UTF-8 with BOM, semicolons, decimal comma)', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/reports/indicators?${Q1}&format=csv`,
      headers: admin,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="raport-reclamatii-${tenant.code}-2026-01-01-2026-03-31.csv"`,
    );
    const raw = res.rawPayload;
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = raw.toString('utf8').slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'Categoria;Tipul clientului;Energia;Canalul;Sursa;Primite;Soluționate;Soluționate în termen;' +
        'Soluționate cu întârziere;În curs la sfârșitul perioadei;Durata medie de soluționare;' +
        'Durata maximă de soluționare;Unitatea duratei;Compensații datorate;Compensații datorate (lei);' +
        'Compensații plătite;Compensații plătite (lei)',
    );
    expect(lines).toHaveLength(1 + EXPECTED_ROWS.length);
    expect(lines[3]).toBe(
      'Facturarea;Client casnic;Energie electrică;E-mail;Consumatorul;3;3;1;2;0;12;16;zile lucrătoare;2;250;2;300',
    );
    expect(lines[6]).toBe(
      'Facturarea;Nespecificat;Nespecificat;Call center;Consumatorul;1;1;1;0;0;15;15;zile lucrătoare;0;0;0;0',
    );
    expect(lines[1]).toBe(
      'Contractarea energiei;Client casnic;Energie electrică;Call center;Transmisă de o autoritate (ANRE, ANPC);1;0;0;0;1;;;;1;350;0;0',
    );
  });

  it('gives the same figures in the XLSX: a sheet per table and one of definitions', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/reports/indicators?${Q1}&format=xlsx`,
      headers: supervisor,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual([
      'Pe categorii',
      'Pe tip de client',
      'Pe tip de energie',
      'Pe canale',
      'Pe surse',
      'Pe combinații',
      'Definiții',
    ]);
    const values = (sheet: string, label: string) => {
      const ws = wb.getWorksheet(sheet)!;
      let found: unknown[] | null = null;
      ws.eachRow((row) => {
        // Empty cells come back as holes: read them as ''.
        const v = Array.from((row.values as unknown[]).slice(1), (x) => x ?? '');
        if (v[0] === label) found = v;
      });
      return found;
    };
    expect(values('Pe categorii', 'Facturarea')).toEqual([
      'Facturarea',
      5,
      5,
      3,
      2,
      1,
      12.6,
      16,
      'zile lucrătoare',
      2,
      250,
      2,
      300,
    ]);
    expect(values('Pe categorii', 'Total')).toEqual([
      'Total',
      7,
      6,
      4,
      2,
      3,
      11.2,
      16,
      'unități diferite',
      3,
      600,
      2,
      300,
    ]);
    expect(values('Pe surse', 'Transmisă de o autoritate (ANRE, ANPC)')).toEqual([
      'Transmisă de o autoritate (ANRE, ANPC)',
      1,
      0,
      0,
      0,
      1,
      '',
      '',
      '',
      1,
      350,
      0,
      0,
    ]);
    expect(wb.getWorksheet('Pe combinații')!.rowCount).toBe(1 + EXPECTED_ROWS.length);
    const defs = values('Definiții', 'Soluționate în termen') as unknown as string[];
    expect(defs[1]).toContain('cel târziu în ziua termenului legal');
    expect(values('Definiții', 'Perioada')).toEqual([
      'Perioada',
      'Trimestrul I 2026: 01.01.2026 – 31.03.2026',
    ]);
  });

  it('gives a PDF on the letterhead', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/reports/indicators?${Q1}&format=pdf`,
      headers: admin,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(res.rawPayload.length).toBeGreaterThan(5_000);
  });

  it('gives the same figures for a past quarter after later events', async () => {
    const before = await indicators(admin);
    // In April and May: D is answered (8 days late, 450 lei) and paid, C and F are answered, a new complaint comes.
    await t.db
      .update(cases)
      .set({
        answerCommunicatedAt: new Date('2026-04-02T09:00:00Z'),
        answerCommunicatedBy: 'email',
        status: 'closed',
        delayDays: 8,
        compensationLei: 450,
        compensationPaidOn: '2026-04-20',
        compensationPaidLei: 450,
      })
      .where(eq(cases.id, ids.D!));
    for (const [id, at] of [
      [ids.C!, '2026-04-08T09:00:00Z'],
      [ids.F!, '2026-05-04T09:00:00Z'],
    ] as const)
      await t.db
        .update(cases)
        .set({ answerCommunicatedAt: new Date(at), answerCommunicatedBy: 'post', status: 'closed' })
        .where(and(eq(cases.id, id), eq(cases.tenantId, tenant.id)));
    await insertCase(t, tenant, {
      category: 'facturare',
      unit: 'working',
      channel: 'email',
      registeredOn: '2026-04-15',
      dueDate: '2026-05-07',
    });
    expect(await indicators(admin)).toEqual(before);
    // The later events are there: the second quarter sees them.
    const q2 = await indicators(admin, 'from=2026-04-01&to=2026-06-30');
    expect(q2.total).toMatchObject({
      received: 1,
      solved: 3,
      late: 2,
      solvedInTime: 1,
      compensationsPaid: 1,
      compensationLei: 450,
    });
  });

  /** Publishing a quarter: an admin's act, once per quarter, frozen; the public page only when the tenant opts in. */
  describe('publication', () => {
    let tenant: FactoryTenant;
    let admin: Headers;
    let supervisor: Headers;

    beforeAll(async () => {
      tenant = await createTenant(t);
      const [a, s] = await Promise.all([
        createUser(t, { tenantId: tenant.id, roles: ['admin'], jobRoles: [] }),
        createUser(t, { tenantId: tenant.id, roles: ['supervisor'], jobRoles: ['SEF'] }),
      ]);
      [admin, supervisor] = await Promise.all([a.login(), s.login()]);
      for (const day of ['2026-01-20', '2026-02-11'])
        await insertCase(t, tenant, {
          category: 'grup_masurare',
          unit: 'calendar',
          channel: 'portal',
          registeredOn: day,
          dueDate: '2026-03-13',
          communicatedAt: '2026-03-02T09:00:00Z',
        });
    });

    const publicPage = () =>
      t.app.inject({ method: 'GET', url: `/api/reports/public/${tenant.code.toLowerCase()}` });

    it('publishes an ended quarter once, frozen, shown publicly only after the opt-in', async () => {
      const q1 = { from: '2026-01-01', to: '2026-03-31' };
      const bySupervisor = await t.app.inject({
        method: 'POST',
        url: '/api/reports/publications',
        headers: supervisor,
        payload: q1,
      });
      expect(bySupervisor.statusCode).toBe(403);
      for (const payload of [
        { from: '2026-01-01', to: '2026-02-28' },
        // The quarter this test runs in has not ended (the clock of the machine is after 2026's first quarter).
        (() => {
          const today = new Date().toISOString().slice(0, 10);
          const month = Number(today.slice(5, 7));
          const first = (Math.floor((month - 1) / 3) * 3 + 1).toString().padStart(2, '0');
          const lastMonth = Number(first) + 2;
          const end = new Date(Date.UTC(Number(today.slice(0, 4)), lastMonth, 0)).toISOString().slice(0, 10);
          return { from: `${today.slice(0, 4)}-${first}-01`, to: end };
        })(),
      ]) {
        const refused = await t.app.inject({
          method: 'POST',
          url: '/api/reports/publications',
          headers: admin,
          payload,
        });
        expect(refused.statusCode, JSON.stringify(payload)).toBe(422);
        expect(refused.json()).toMatchObject({ code: 'REPORT_NOT_A_PAST_QUARTER' });
      }

      const published = await t.app.inject({
        method: 'POST',
        url: '/api/reports/publications',
        headers: admin,
        payload: q1,
      });
      expect(published.statusCode, published.body).toBe(201);
      expect(published.json()).toMatchObject({
        periodFrom: '2026-01-01',
        periodTo: '2026-03-31',
        label: 'Trimestrul I 2026',
      });
      const again = await t.app.inject({
        method: 'POST',
        url: '/api/reports/publications',
        headers: admin,
        payload: q1,
      });
      expect(again.statusCode).toBe(409);

      // Not shown until the tenant opts in; the setting is the admin's.
      expect((await publicPage()).statusCode).toBe(404);
      const denied = await t.app.inject({
        method: 'PUT',
        url: '/api/reports/settings',
        headers: supervisor,
        payload: { publicPage: true },
      });
      expect(denied.statusCode).toBe(403);
      const on = await t.app.inject({
        method: 'PUT',
        url: '/api/reports/settings',
        headers: admin,
        payload: { publicPage: true },
      });
      expect(on.json()).toEqual({ publicPage: true, publicPath: `/raport/${tenant.code}` });
      const shown = await publicPage();
      expect(shown.statusCode, shown.body).toBe(200);
      expect(shown.json()).toMatchObject({
        supplier: { code: tenant.code },
        label: 'Trimestrul I 2026',
        total: { received: 2, solved: 2, solvedInTime: 2, late: 0 },
      });

      // A later correction (a registration annulled) changes the live figures, never what was published.
      const [first] = await t.db
        .select({ id: cases.id })
        .from(cases)
        .where(eq(cases.tenantId, tenant.id))
        .limit(1);
      await t.db
        .update(cases)
        .set({ status: 'annulled', annulledAt: new Date() })
        .where(eq(cases.id, first!.id));
      const live = await t.app.inject({
        method: 'GET',
        url: '/api/reports/indicators?from=2026-01-01&to=2026-03-31',
        headers: admin,
      });
      expect(live.json<{ total: { received: number } }>().total.received).toBe(1);
      expect((await publicPage()).json()).toMatchObject({ total: { received: 2 } });
      // Frozen by the database too: the owner's own update is refused.
      const refused = await t.db
        .update(reportPublications)
        .set({ label: 'altceva' })
        .where(eq(reportPublications.tenantId, tenant.id))
        .then(
          () => 'no error',
          (err: { message: string; cause?: { message?: string } }) => err.cause?.message ?? err.message,
        );
      expect(refused).toMatch(/report_publications are immutable/);

      const list = await t.app.inject({
        method: 'GET',
        url: '/api/reports/publications',
        headers: supervisor,
      });
      expect(list.json<{ items: Array<{ label: string }> }>().items.map((i) => i.label)).toEqual([
        'Trimestrul I 2026',
      ]);
    });

    it('shows nothing for an unknown supplier', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/reports/public/NUEXISTA' });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'REPORT_NOT_PUBLISHED' });
    });
  });
});
