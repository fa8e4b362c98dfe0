import { describe, expect, it } from 'vitest';
import { headerParam, isReadable, mimeDamage, recoverText } from './mime-recovery.ts';

const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'), 'utf8');

describe('mime recovery', () => {
  it('reads boundary and charset parameters, quoted or not', () => {
    expect(headerParam('multipart/mixed; boundary="a b"; charset=utf-8', 'boundary')).toBe('a b');
    expect(headerParam('text/plain; CHARSET=windows-1250', 'charset')).toBe('windows-1250');
    expect(headerParam('text/plain; xcharset=no', 'charset')).toBeNull();
  });

  it('names the damage: boundary not used, not closed, missing; a sound message has none', () => {
    const head = 'Subject: x\n\n';
    expect(mimeDamage(crlf(`${head}--b\n\nx\n--b--\n`), 'multipart/mixed; boundary=b')).toBeNull();
    expect(mimeDamage(crlf(`${head}--c\n\nx\n`), 'multipart/mixed; boundary=b')).toMatch(/not the delimiter/);
    expect(mimeDamage(crlf(`${head}--b\n\nx\n`), 'multipart/mixed; boundary=b')).toMatch(/no closing/);
    expect(mimeDamage(crlf(`${head}x\n`), 'multipart/mixed')).toMatch(/without a boundary/);
    expect(mimeDamage(crlf(`${head}x\n`), 'text/plain')).toBeNull();
  });

  it('decodes base64 in a declared charset and keeps the plain part before the HTML one', () => {
    const text = Buffer.from('Bună ziua, contorul nu mai merge deloc.', 'utf8').toString('base64');
    const raw = crlf(
      `Subject: x\n\n--used\nContent-Type: text/html\n\n<p>HTML</p>\n--used\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n${text}\n`,
    );
    expect(recoverText(raw)).toBe('Bună ziua, contorul nu mai merge deloc.');
  });

  it('decodes Windows-1250 quoted-printable (ş ţ ă) and falls back to the HTML text when there is no plain part', () => {
    const raw = crlf(
      'Subject: x\n\n--z\nContent-Type: text/html; charset=windows-1250\nContent-Transfer-Encoding: quoted-printable\n\n<p>V=E3 rog s=E3 verifica=FEi factura =BAi contorul.</p>\n',
    );
    expect(recoverText(raw)).toBe('Vă rog să verificaţi factura şi contorul.');
  });

  it('takes the whole body when no part can be told apart, and nothing when it is not readable', () => {
    expect(recoverText(crlf('Subject: x\n\nFactura mea este prea mare, vă rog verificați.\n'))).toContain(
      'Factura mea',
    );
    expect(recoverText(crlf('Subject: x\n\n--q\nContent-Type: image/png\n\niVBORw0KGgo=\n'))).toBe('');
    expect(isReadable('%%%% 1234 ---- ####')).toBe(false);
  });

  it('stays linear on hostile bodies (thousands of delimiter-like lines, endless soft breaks)', () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => (i % 2 ? `--x${i}` : 'Content-Type: text/plain'));
    const hostile = crlf(`Subject: x\n\n${lines.join('\n')}\n${'='.repeat(500_000)}\n`);
    const started = performance.now();
    recoverText(hostile);
    mimeDamage(hostile, 'multipart/mixed; boundary=b');
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
