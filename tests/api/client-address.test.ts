import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { loadInstructions } from '../../server/instructions/instructions.ts';
import { createTestContext, silentLog, type TestContext } from '../helpers/test-context.ts';

const randomIp = () => {
  const b = randomBytes(4);
  return `${(b[0]! % 200) + 11}.${b[1]}.${b[2]}.${b[3]}`;
};
/** A fresh unknown address per try, so only the per-client-address limit can answer 429 (not an account's lockout). */
const stranger = () => `nimeni-${randomBytes(4).toString('hex')}@exemplu.test`;

/**
 * The client address behind every per-IP limit is the socket's: an X-Forwarded-For header counts only from a proxy
 * the operator named in TRUST_PROXY, through the API and through the pages alike (issue 13 item 3).
 */
describe('client address', () => {
  let t: TestContext;
  const port = 3400 + Number(process.env.TEST_PORT_OFFSET ?? 0);
  const base = `http://localhost:${port}`;

  beforeAll(async () => {
    t = await createTestContext({ webPort: port, taskEvents: false });
  });
  afterAll(async () => t?.close());

  it('20 API logins with random X-Forwarded-For values are limited like 20 from one address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'x-forwarded-for': randomIp() },
        remoteAddress: '192.0.2.10',
        payload: { email: stranger(), password: 'nu-conteaza' },
      });
      statuses.push(r.statusCode);
    }
    // The route allows 10 a minute per client: the other 10 are refused, whatever the header said.
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual(Array(10).fill(429));
  });

  it('20 logins on the login page with random X-Forwarded-For values are limited too (the pages pass the socket address)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await fetch(`${base}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'text/html',
          origin: base,
          'x-forwarded-for': randomIp(),
          // A client cannot pose as the bridge either: the server overwrites the header it reads.
          'x-reclamatii-client-address': randomIp(),
        },
        body: new URLSearchParams({ email: stranger(), password: 'nu-conteaza' }).toString(),
      });
      statuses.push(r.status);
      await r.arrayBuffer();
    }
    // The API test above used another client address (192.0.2.10); this socket is the loopback's.
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    expect(statuses.slice(10)).toEqual(Array(10).fill(429));
  });

  it('believes X-Forwarded-For from a proxy named in TRUST_PROXY, and only from it', async () => {
    const config = loadConfig({
      PUBLIC_URL: 'http://localhost:3000',
      DATA_DIR: inject('testDataDir'),
      TRUST_PROXY: '192.0.2.1',
    });
    const app = await buildApp({
      config,
      db: t.db,
      engine: t.engine,
      secret: inject('appSecret'),
      instructions: await loadInstructions(),
      log: silentLog,
    });
    try {
      const login = (remoteAddress: string, forwardedFor: string) =>
        app.inject({
          method: 'POST',
          url: '/api/auth/login',
          headers: { 'x-forwarded-for': forwardedFor },
          remoteAddress,
          payload: { email: stranger(), password: 'nu-conteaza' },
        });
      // Through the proxy, 20 different clients: none of them is limited.
      const viaProxy: number[] = [];
      for (let i = 0; i < 20; i++) viaProxy.push((await login('192.0.2.1', randomIp())).statusCode);
      expect(viaProxy).toEqual(Array(20).fill(401));
      // Straight from another socket, the header is the client's own word: one address, limited.
      const direct: number[] = [];
      for (let i = 0; i < 20; i++) direct.push((await login('198.51.100.7', randomIp())).statusCode);
      expect(direct.filter((s) => s === 429)).toHaveLength(10);
    } finally {
      await app.close();
    }
  });

  it('refuses a TRUST_PROXY that trusts everyone', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY takes the proxies' addresses/);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 10.0.1.0/24' }).trustProxy).toEqual([
      '10.0.0.5',
      '10.0.1.0/24',
    ]);
    expect(loadConfig({}).trustProxy).toEqual([]);
  });
});
