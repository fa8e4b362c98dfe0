import { describe, expect, it } from 'vitest';
import { EVIDENCE_WEIGHT } from '../identification/identify.ts';
import { EVIDENCE_LABELS, evidenceLabel } from './evidence-codes.ts';

describe('evidence labels', () => {
  it('names every kind of evidence the identification scores, in Romanian', () => {
    expect(Object.keys(EVIDENCE_LABELS).sort()).toEqual(Object.keys(EVIDENCE_WEIGHT).sort());
    expect(evidenceLabel('place_code')).toBe('cod POD/CLC');
    expect(Object.values(EVIDENCE_LABELS).some((l) => l.includes('_'))).toBe(false);
  });
});
