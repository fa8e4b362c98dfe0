import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { renderPdf } from './pdf.ts';
import { answerLetter } from './templates.ts';

/** The decompressed streams of a PDF (fonts' ToUnicode maps among them). */
function streams(pdf: Buffer): string {
  const out: string[] = [];
  let at = 0;
  for (;;) {
    const start = pdf.indexOf('stream', at);
    if (start < 0) break;
    const dataStart = pdf[start + 6] === 0x0d ? start + 8 : start + 7;
    const end = pdf.indexOf('endstream', dataStart);
    if (end < 0) break;
    try {
      out.push(inflateSync(pdf.subarray(dataStart, end)).toString('latin1'));
    } catch {
      /* not deflated */
    }
    at = end + 9;
  }
  return out.join('\n');
}

describe('renderPdf', () => {
  it('embeds DejaVu Sans with ș ț ă î â (comma below), and the letter states the escalation routes', async () => {
    const def = answerLetter(
      { supplier: 'Furnizorul de Energie Ștefănești SA', lines: ['Str. Țesătorilor nr. 1, Brașov'] },
      {
        number: 'DEMO-2026-000001',
        receivedAt: new Date('2026-11-25T10:00:00+02:00'),
        registeredOn: '2026-11-25',
        dueDate: '2026-12-18',
        category: 'facturare',
        subject: 'Factură contestată',
        contactName: 'Ștefan Țîrcă',
        address: 'Str. Mărășești nr. 2, Iași',
        customerCode: 'C-1001',
        placeCode: 'RO005E512345678',
      },
      {
        categoryLabel: 'Facturarea',
        answerText: 'Am recalculat factura; diferența de 412,50 lei se compensează.',
        signatory: 'Șef serviciu',
        issuedOn: '2026-12-10',
      },
    );
    expect(JSON.stringify(def)).toContain('ANRE');
    expect(JSON.stringify(def)).toContain('instanței de judecată');
    const pdf = await renderPdf(def);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1')).toMatch(/DejaVuSans/);
    // The catalogue says the letter is Romanian (may sit in a compressed object stream).
    expect(pdf.toString('latin1') + streams(pdf)).toMatch(/\/Lang \(ro-RO\)/);
    const text = streams(pdf).toLowerCase();
    // ToUnicode map of the embedded subset: ș U+0219, ț U+021B, ă U+0103, î U+00EE, Ș U+0218, Ț U+021A.
    for (const cp of ['0219', '021b', '0103', '00ee', '0218', '021a']) expect(text, cp).toContain(`<${cp}>`);
    // No cedilla forms (ş U+015F, ţ U+0163).
    expect(text).not.toContain('<015f>');
    expect(text).not.toContain('<0163>');
  });
});
