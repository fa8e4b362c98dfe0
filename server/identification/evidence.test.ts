import { describe, expect, it } from 'vitest';
import { recipientsOf } from '../intake/mail/recipients.ts';
import { addressesIn, extractEvidence } from './evidence.ts';

describe('e-mail addresses in untrusted text', () => {
  it('finds addresses between brackets, parentheses and punctuation, lower case, in order', () => {
    expect(
      addressesIn(
        'Scrieți la <Maria.Ionescu@Gmail.test>, sau (ion.pop@example.ro). Nu: a@b, @x.ro, x@y.com.',
      ),
    ).toEqual(['maria.ionescu@gmail.test', 'ion.pop@example.ro', 'x@y.com']);
    expect(
      extractEvidence({ fromAddress: 'Sender@Example.test', subject: '', text: 'copie la ana@ex.ro' }).emails,
    ).toEqual(['sender@example.test', 'ana@ex.ro']);
  });

  it('stays linear on a long run without @ (the text, a 1 MB To header)', () => {
    const started = performance.now();
    expect(addressesIn('a'.repeat(500_000))).toEqual([]);
    extractEvidence({ subject: '', text: `${'b'.repeat(190_000)} x@y.ro` });
    const raw = Buffer.from(`To: ${'c'.repeat(900_000)}, demo@reclamatii.local\r\nSubject: x\r\n\r\nx`);
    expect(recipientsOf(raw)).toEqual(['demo@reclamatii.local']);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
