import { describe, expect, it } from 'vitest';
import { checkFactors } from './link-proof.ts';

describe('checkFactors', () => {
  const onFile = { contractNumber: 'E-55120/2019', meterSerial: '35127789' };

  it('matches only when both factors match, typed loosely (case, spaces, dashes)', () => {
    expect(checkFactors(onFile, { contractNumber: 'e 55120/2019', meterSerial: ' 3512-7789 ' })).toBe(
      'match',
    );
    expect(checkFactors(onFile, { contractNumber: 'E-55120/2019', meterSerial: '35127788' })).toBe(
      'mismatch',
    );
    expect(checkFactors(onFile, { contractNumber: 'E-55121/2019', meterSerial: '35127789' })).toBe(
      'mismatch',
    );
  });

  it('never matches a place that does not exist', () => {
    expect(checkFactors(null, { contractNumber: 'E-55120/2019', meterSerial: '35127789' })).toBe('mismatch');
  });

  it('refuses a place on file without one of the factors, whatever is typed', () => {
    for (const typed of [
      { contractNumber: 'E-55120/2019', meterSerial: '35127789' },
      { contractNumber: 'E-55120/2019', meterSerial: '-' },
    ])
      expect(checkFactors({ ...onFile, meterSerial: null }, typed)).toBe('place_incomplete');
    expect(
      checkFactors(
        { contractNumber: '', meterSerial: '35127789' },
        { contractNumber: ' ', meterSerial: '35127789' },
      ),
    ).toBe('place_incomplete');
  });
});
