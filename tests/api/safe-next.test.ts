import { describe, expect, it } from 'vitest';
import { safeNext } from '../../web/src/lib/utils/safe-next.ts';

/** The login page's `next`: only a path on this site, after the decoding a browser does (issue 13 item 9). */
describe('safeNext', () => {
  it('keeps paths on this site, with their query and fragment', () => {
    expect(safeNext('/inbox')).toBe('/inbox');
    expect(safeNext('/cases/DEMO-2026-000001?tab=istoric#mesaje')).toBe(
      '/cases/DEMO-2026-000001?tab=istoric#mesaje',
    );
    expect(safeNext('/portal/DEMO')).toBe('/portal/DEMO');
  });

  it('refuses everything that a browser would send elsewhere', () => {
    for (const evil of [
      '/\t/evil.example', // /%09/evil.example once the query string is decoded
      '/\n/evil.example',
      '/\r\n/evil.example',
      '//evil.example',
      '/\\evil.example',
      '\\/evil.example',
      '/.//evil.example',
      '/./\t/evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      ' /inbox',
      'inbox',
      '',
    ])
      expect(safeNext(evil), JSON.stringify(evil)).toBeNull();
    expect(safeNext(null)).toBeNull();
    expect(safeNext(['/inbox'])).toBeNull();
  });
});
