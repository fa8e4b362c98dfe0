import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadInstructions } from '../../server/instructions/instructions.ts';
import { createTestContext, silentLog, type TestContext } from '../helpers/test-context.ts';

/** A concrete URL for a route: every `:param` filled with a value of the right shape that names nothing. */
function concreteUrl(url: string): string {
  return url
    .replace(/\*$/, 'x')
    .split('/')
    .map((part) => {
      if (!part.startsWith(':')) return part;
      return /id$/i.test(part) ? '00000000-0000-4000-8000-000000000000' : 'X-1';
    })
    .join('/');
}

const methodsOf = (r: RouteOptions) => (Array.isArray(r.method) ? r.method : [r.method]);

/**
 * HTTP hardening (issue 13 item 9): which routes are public is declared per route, not guessed from the URL, so
 * every route without the declaration needs a session; the API documentation needs a staff login in production;
 * security headers on the API and on the pages; the login page's `next` never leaves the site.
 */
describe('HTTP hardening', () => {
  let t: TestContext;
  const port = 3410 + Number(process.env.TEST_PORT_OFFSET ?? 0);
  const base = `http://localhost:${port}`;

  beforeAll(async () => {
    t = await createTestContext({ webPort: port, taskEvents: false });
  });
  afterAll(async () => t?.close());

  it('every route not declared public answers 401 without a session, whatever its URL', async () => {
    const closed = t.app.routeTable.filter((r) => r.config?.public !== true);
    // The walk covers the whole API (a handful would mean the table was not read).
    expect(closed.length).toBeGreaterThan(60);
    const open: string[] = [];
    for (const r of closed)
      for (const method of methodsOf(r)) {
        if (method === 'HEAD' || method === 'OPTIONS') continue;
        const res = await t.app.inject({
          method,
          url: concreteUrl(r.url),
          ...(['POST', 'PUT', 'PATCH'].includes(method) ? { payload: {} } : {}),
        });
        if (res.statusCode !== 401 || res.json<{ code: string }>().code !== 'AUTH_REQUIRED')
          open.push(`${method} ${r.url}: ${res.statusCode}`);
      }
    expect(open).toEqual([]);
  });

  it('declares public only what an anonymous visitor needs', () => {
    const declared = t.app.routeTable
      .filter((r) => r.config?.public === true)
      .filter((r) => !r.url.startsWith('/api/docs') && !r.url.startsWith('/api/portal/'))
      .map((r) => `${methodsOf(r).join(',')} ${r.url}`);
    // The published regulator report is public by law (suppliers publish their quarterly figures).
    for (const route of declared)
      expect(route).toMatch(/^\S+ \/(api\/(auth|account|status|reports\/public)\/|healthz|readyz)/);
  });

  it('/readyz says whether a balancer may send requests: 200 while the database answers, 503 once draining', async () => {
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ ready: true });
    // A process of its own, stopping: it answers 503 from the moment it drains, and knows a balancer saw it.
    const stopping = await buildApp({
      config: t.app.appConfig,
      db: t.db,
      engine: t.engine,
      secret: inject('appSecret'),
      instructions: await loadInstructions(),
      log: silentLog,
    });
    try {
      const seen = stopping.readiness.drainUntilSeen(60_000);
      const check = await stopping.inject({ method: 'GET', url: '/readyz' });
      expect(check.statusCode).toBe(503);
      expect(check.json()).toEqual({ ready: false, reason: 'stopping' });
      await seen; // resolved by that check, long before its 60 s
      expect((await stopping.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await stopping.close();
    }
  });

  it('keeps the API documentation open on a developer machine and behind a staff login in production', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/docs/json' })).statusCode).toBe(200);
    const prod = await buildApp({
      config: { ...t.app.appConfig, production: true },
      db: t.db,
      engine: t.engine,
      secret: inject('appSecret'),
      instructions: await loadInstructions(),
      log: silentLog,
    });
    try {
      for (const url of ['/api/docs', '/api/docs/json', '/api/docs/static/index.html']) {
        const res = await prod.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(401);
      }
      const staff = await t.login('agent@demo.local');
      const spec = await prod.inject({ method: 'GET', url: '/api/docs/json', headers: staff });
      expect(spec.statusCode).toBe(200);
      expect(spec.json<{ openapi: string }>().openapi).toMatch(/^3\./);
    } finally {
      await prod.close();
    }
  });

  it('sends HSTS, no-framing and a CSP on API answers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/status/X-1?code=000000' });
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
  });

  it('pages carry a CSP whose script-src holds a fresh nonce per response, and the scripts carry it', async () => {
    const nonces: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${base}/login`);
      const csp = res.headers.get('content-security-policy') ?? '';
      const html = await res.text();
      expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce, csp).toBeTruthy();
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      // SvelteKit's inline bootstrap script carries the nonce; no inline script goes without it.
      const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]!);
      expect(inline.length).toBeGreaterThan(0);
      for (const attrs of inline) expect(attrs).toContain(`nonce="${nonce}"`);
      nonces.push(nonce!);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it('/login?next=/%09/evil.example never leaves the site', async () => {
    const evil = [
      '/%09/evil.example',
      '//evil.example',
      '/%5Cevil.example',
      'https://evil.example',
      '/.//evil.example',
    ];
    const staff = await t.login('agent@demo.local');
    const cookie = `session=${staff.authorization.slice('Bearer '.length)}`;
    for (const next of evil) {
      // Signed in already: the page sends the visitor on at once.
      const res = await fetch(`${base}/login?next=${next}`, { redirect: 'manual', headers: { cookie } });
      expect(res.status, next).toBe(303);
      const location = res.headers.get('location') ?? '';
      expect(new URL(location, base).origin, `${next} -> ${location}`).toBe(base);
      expect(location.startsWith('/') && !location.startsWith('//'), location).toBe(true);
      await res.arrayBuffer();
    }
    // A path on this site is kept.
    const ok = await fetch(`${base}/login?next=/inbox%3Fq%3Dx`, { redirect: 'manual', headers: { cookie } });
    expect(ok.headers.get('location')).toBe('/inbox?q=x');
  });
});
