import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { taskFor } from '../helpers/tasks.ts';
import { waitFor } from '../helpers/wait.ts';

/** Bad input gets a 4xx with a clear Romanian message; never a 500, never a crash. */
describe('bad input', () => {
  let t: TestContext;
  let agent: { authorization: string };
  let customer: { id: string; places: Array<{ id: string }> };
  let acmeCustomer: { id: string; places: Array<{ id: string }> };
  let acmeOfficer: { authorization: string };

  beforeAll(async () => {
    t = await createTestContext({ workers: true });
    agent = await t.login('agent@demo.local');
    acmeOfficer = await t.login(`officer-${t.databaseUrl.split('/').pop()}@acme.local`);
    const find = async (h: { authorization: string }, q: string) =>
      (
        await t.app.inject({ method: 'GET', url: `/api/customers?q=${encodeURIComponent(q)}`, headers: h })
      ).json<{ items: Array<{ id: string; places: Array<{ id: string }> }> }>().items[0]!;
    customer = await find(agent, 'Ștefan Munteanu');
    acmeCustomer = await find(acmeOfficer, 'Tudor Lazăr');
  });
  afterAll(async () => t?.close());

  /** The first task of the officer's groups, once the engine and the acknowledgement worker created one. */
  const firstTaskId = (headers: Record<string, string>) =>
    waitFor(async () => {
      const tasks = await t.app.inject({ method: 'GET', url: '/api/tasks?scope=groups', headers });
      return tasks.json<{ items: Array<{ id: string }> }>().items[0]?.id;
    });

  const valid = () => ({
    customerId: customer.id,
    placeId: customer.places[0]!.id,
    category: 'facturare',
    subject: 'Factură greșită',
    body: 'Mi s-a facturat un consum estimat prea mare.',
  });
  const post = (payload: unknown, headers: Record<string, string> = agent) =>
    t.app.inject({
      method: 'POST',
      url: '/api/complaints',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });

  it.each([
    ['a missing category', { category: undefined }, 400, 'Câmpul „categoria” este obligatoriu.'],
    ['an unknown category', { category: 'altceva' }, 400, 'Câmpul „categoria” are o valoare nepermisă.'],
    [
      'a too short text',
      { body: 'scurt' },
      400,
      'Câmpul „textul reclamației” trebuie să aibă cel puțin 10 caractere.',
    ],
    ['a malformed customer id', { customerId: 'abc' }, 400, 'Câmpul „clientul” nu are un format valid.'],
    [
      'an unknown customer',
      { customerId: '00000000-0000-4000-8000-000000000000' },
      404,
      'Clientul nu există.',
    ],
    [
      'a bad e-mail',
      { contactEmail: 'nu-e-email' },
      400,
      'Câmpul „e-mailul petentului” nu are un format valid.',
    ],
  ])('refuses %s', async (_name, change, status, message) => {
    const res = await post({ ...valid(), ...change });
    expect(res.statusCode).toBe(status);
    expect(res.json<{ message: string }>().message).toBe(message);
  });

  it('refuses another tenant’s customer and place as unknown', async () => {
    const res = await post({ ...valid(), customerId: acmeCustomer.id, placeId: acmeCustomer.places[0]!.id });
    expect(res.statusCode).toBe(404);
    const placeOnly = await post({ ...valid(), placeId: acmeCustomer.places[0]!.id });
    expect(placeOnly.statusCode).toBe(404);
    expect(placeOnly.json<{ code: string }>().code).toBe('PLACE_NOT_FOUND');
  });

  it('finds only the own tenant’s customers, even when codes coincide', async () => {
    const own = await t.app.inject({ method: 'GET', url: '/api/customers?q=1000234567', headers: agent });
    const items = own.json<{ items: Array<{ id: string }> }>().items;
    expect(items).toHaveLength(1);
    expect(items[0]!.id).not.toBe(
      (await t.app.inject({ method: 'GET', url: '/api/customers?q=1000234567', headers: acmeOfficer })).json<{
        items: Array<{ id: string }>;
      }>().items[0]!.id,
    );
    const other = await t.app.inject({ method: 'GET', url: '/api/customers?q=5000000002', headers: agent });
    expect(other.json<{ items: unknown[] }>().items).toHaveLength(0);
  });

  it('refuses a place that belongs to another customer', async () => {
    const other = (
      await t.app.inject({ method: 'GET', url: '/api/customers?q=RO001E512345679', headers: agent })
    ).json<{ items: Array<{ places: Array<{ id: string }> }> }>().items[0]!;
    const res = await post({ ...valid(), placeId: other.places[0]!.id });
    expect(res.statusCode).toBe(422);
  });

  it('refuses 1 MB of text with 413, and 60 000 characters with a clear 400', async () => {
    const huge = await post({ ...valid(), body: 'x'.repeat(1024 * 1024) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json<{ message: string }>().message).toBe('Cererea este prea mare.');
    const long = await post({ ...valid(), body: 'ă'.repeat(60_000) });
    expect(long.statusCode).toBe(400);
    expect(long.json<{ message: string }>().message).toContain('cel mult 50000');
  });

  it('refuses invalid JSON', async () => {
    const res = await post('{"category": ');
    expect(res.statusCode).toBe(400);
    expect(res.json<{ code: string }>().code).toBe('INVALID_JSON');
  });

  it('refuses a forged or missing session with 401', async () => {
    expect(
      (await post(valid(), { authorization: 'Bearer abcdefghijklmnopqrstuvwxyzabcdef' })).statusCode,
    ).toBe(401);
    expect((await post(valid(), { authorization: 'Bearer ../../etc/passwd' })).statusCode).toBe(401);
    expect((await post(valid(), {})).statusCode).toBe(401);
    const cookie = await t.app.inject({
      method: 'GET',
      url: '/api/tasks',
      headers: { cookie: 'session=forged' },
    });
    expect(cookie.statusCode).toBe(401);
    expect(cookie.json<{ message: string }>().message).toContain('Sesiunea');
  });

  it('refuses a cookie-authenticated write from another origin (CSRF)', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'agent@demo.local', password: 'Demo-2026!' },
    });
    const cookie = `session=${login.json<{ token: string }>().token}`;
    const evil = await t.app.inject({
      method: 'POST',
      url: '/api/complaints',
      headers: { cookie, origin: 'https://evil.example' },
      payload: valid(),
    });
    expect(evil.statusCode).toBe(403);
    expect(evil.json<{ code: string }>().code).toBe('CSRF_ORIGIN_MISMATCH');
    // A sandboxed frame sends `Origin: null`: refused the same way, not a 500.
    const opaque = await t.app.inject({
      method: 'POST',
      url: '/api/complaints',
      headers: { cookie, origin: 'null' },
      payload: valid(),
    });
    expect(opaque.statusCode).toBe(403);
    expect(opaque.json<{ code: string }>().code).toBe('CSRF_ORIGIN_MISMATCH');
    const same = await t.app.inject({
      method: 'POST',
      url: '/api/complaints',
      headers: { cookie, origin: 'http://localhost:3000' },
      payload: valid(),
    });
    expect(same.statusCode).toBe(201);
  });

  it('refuses wrong credentials without saying which part was wrong', async () => {
    const a = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'agent@demo.local', password: 'gresit' },
    });
    const b = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'nimeni@demo.local', password: 'gresit' },
    });
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(401);
    expect(a.json()).toEqual(b.json());
  });

  it('ends the session at logout', async () => {
    const h = await t.login('agent@demo.local');
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: h })).statusCode).toBe(
      200,
    );
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: h })).statusCode).toBe(401);
  });

  it('keeps roles apart: an agent sees only its job role’s tasks, an officer cannot annul', async () => {
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/tasks?scope=all', headers: agent })).statusCode,
    ).toBe(403);
    const officer = await t.login('officer@demo.local');
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/complaints/DEMO-2026-000001/annulment',
      headers: officer,
      payload: { reason: 'un motiv suficient de lung' },
    });
    expect(r.statusCode).toBe(403);
  });

  it('never shows another tenant’s case, task or status', async () => {
    const reg = await post(valid());
    const { number, accessCode } = reg.json<{ number: string; accessCode: string }>();
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/complaints/${number}`, headers: acmeOfficer }))
        .statusCode,
    ).toBe(404);
    const acmeNumber = number.replace('DEMO', 'ACME');
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/status/${acmeNumber}?code=${accessCode}` })).statusCode,
    ).toBe(404);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/status/${number}?code=AAAAAAAAAA` })).statusCode,
    ).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/status/not-a-number?code=x` })).statusCode).toBe(
      400,
    );
    // A DEMO task id is unknown to ACME staff.
    const id = await firstTaskId(await t.login('officer@demo.local'));
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/tasks/${id}/claim`, headers: acmeOfficer }))
        .statusCode,
    ).toBe(404);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/tasks/${id}`, headers: acmeOfficer })).statusCode,
    ).toBe(404);
  });

  it('refuses completing a task not claimed, and an empty triage form', async () => {
    const officer = await t.login('officer@demo.local');
    // A case of its own, whose classification task no other test has claimed.
    const { number } = (await post(valid())).json<{ number: string }>();
    const { id } = await taskFor(t, officer, number, 'Clasificarea și admisibilitatea reclamației');
    const early = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${id}/complete`,
      headers: officer,
      payload: { outcome: 'admissible' },
    });
    expect(early.statusCode).toBe(409);
    await t.app.inject({ method: 'POST', url: `/api/tasks/${id}/claim`, headers: officer });
    const empty = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${id}/complete`,
      headers: officer,
      payload: { outcome: ' ' },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json<{ message: string }>().message).toBe(
      'Alegeți rezultatul: admisibilă, incompletă, duplicat, greșit îndreptată, anonimă, nu este o reclamație sau retrasă.',
    );
  });
});

describe('GET /api/docs', () => {
  it('publishes the OpenAPI contract without a session, with every route documented', async () => {
    const t = await createTestContext();
    try {
      const res = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
      expect(res.statusCode).toBe(200);
      const spec = res.json<{
        paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      }>();
      for (const path of [
        '/api/auth/login',
        '/api/auth/logout',
        '/api/complaints/',
        '/api/complaints/{number}',
        '/api/tasks/',
        '/api/tasks/{id}/claim',
        '/api/tasks/{id}/complete',
        '/api/status/{number}',
      ]) {
        expect(spec.paths[path], path).toBeDefined();
      }
      // Every operation says what it answers when it works and when it does not. (Counting its responses proved
      // nothing: the shared error responses alone are eight.)
      for (const [path, ops] of Object.entries(spec.paths))
        for (const [m, op] of Object.entries(ops)) {
          const codes = Object.keys(op.responses);
          expect(
            codes.filter((c) => /^[23]\d\d$/.test(c)),
            `${m} ${path}: success`,
          ).not.toEqual([]);
          expect(
            codes.filter((c) => /^[45]\d\d$/.test(c)),
            `${m} ${path}: errors`,
          ).not.toEqual([]);
        }
    } finally {
      await t.close();
    }
  });
});
