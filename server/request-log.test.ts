import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { requestLogOptions } from './request-log.ts';

describe('the request log', () => {
  it('shows the request line without the token of a password-setting link or any credential header', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = Fastify({ logger: { ...requestLogOptions('info'), stream } });
    app.get('/account/password', async () => ({ ok: true }));
    await app.inject({
      method: 'GET',
      url: '/account/password?token=abcdefghijklmnopqrstuvwxyz234567&x=1',
      headers: { authorization: 'Bearer secret-session', cookie: 'session=secret-cookie' },
    });
    await app.close();
    const log = lines.join('');
    expect(log).toContain('"url":"/account/password?token=[redacted]&x=1"');
    expect(log).toContain('"method":"GET"');
    for (const secret of ['abcdefghijklmnopqrstuvwxyz234567', 'secret-session', 'secret-cookie'])
      expect(log).not.toContain(secret);
  });
});
