import { Writable } from 'node:stream';
import Fastify from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { appLogOptions, requestLogOptions, urlForLog } from './request-log.ts';

function collect() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
}

describe('the request log', () => {
  it('shows the request line with every query value blanked and no credential header', async () => {
    const { lines, stream } = collect();
    const app = Fastify({ logger: requestLogOptions('info', stream) });
    app.get('/account/password', async () => ({ ok: true }));
    // As app.ts does: fastify's own 404 handler would write "Route GET:<raw URL> not found", query and all.
    app.setNotFoundHandler((_req, reply) => reply.status(404).send());
    await app.inject({
      method: 'GET',
      url: '/account/password?token=abcdefghijklmnopqrstuvwxyz234567&x=1',
      headers: { authorization: 'Bearer secret-session', cookie: 'session=secret-cookie' },
    });
    // The status page's access code and a search for a name are blanked like the token.
    await app.inject({ method: 'GET', url: '/status?number=DEMO-2026-000001&code=K7P2M9QX' });
    await app.inject({ method: 'GET', url: '/api/customers?q=Popescu' });
    await app.close();
    const log = lines.join('');
    expect(log).toContain('"url":"/account/password?token=[redacted]&x=[redacted]"');
    expect(log).toContain('"url":"/status?number=[redacted]&code=[redacted]"');
    expect(log).toContain('"method":"GET"');
    for (const secret of [
      'abcdefghijklmnopqrstuvwxyz234567',
      'secret-session',
      'secret-cookie',
      'K7P2M9QX',
      'Popescu',
    ])
      expect(log).not.toContain(secret);
  });
});

describe('urlForLog', () => {
  it('keeps the path and parameter names, blanks values and names that are not plain names', () => {
    expect(urlForLog('/api/status/DEMO-2026-000001')).toBe('/api/status/DEMO-2026-000001');
    expect(urlForLog('/x?a=1&b&c=')).toBe('/x?a=[redacted]&b&c=[redacted]');
    expect(urlForLog('/x?K7P2M9QX%20secret')).toBe('/x?[redacted]');
    expect(urlForLog('/x?')).toBe('/x?');
  });

  it('takes linear time on a hostile query (no backtracking pattern)', () => {
    const hostile = `/x?${'a'.repeat(200_000)}=${'&'.repeat(200_000)}`;
    const started = performance.now();
    urlForLog(hostile);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('the application log', () => {
  it('blanks passwords, tokens, codes and secrets wherever a call site passes them', () => {
    const { lines, stream } = collect();
    const log = pino(appLogOptions('debug'), stream);
    log.info(
      { password: 'p4ss-word', user: { token: 'tok-123', accessCode: 'AC-999' }, secret: 'JBSWY3DP' },
      'something',
    );
    const line = lines.join('');
    expect(line).toContain('"msg":"something"');
    for (const s of ['p4ss-word', 'tok-123', 'AC-999', 'JBSWY3DP']) expect(line).not.toContain(s);
  });
});
