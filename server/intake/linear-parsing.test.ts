import { describe, expect, it } from 'vitest';
import { addressesIn, extractEvidence } from '../identification/evidence.ts';
import { likePattern } from '../db/search-text.ts';
import { findOperatorReference } from '../operator-requests/operator-requests.service.ts';
import { safeFileName } from '../portal/uploads.ts';
import { classifyMessage } from './mail/classify.ts';
import { guessCategory } from './mail/guess-category.ts';
import { headerParam, htmlToText, mimeDamage, recoverText } from './mail/mime-recovery.ts';
import { parseMessage } from './mail/parse-message.ts';
import { recipientsOf } from './mail/recipients.ts';

/**
 * Issue 13 item 2: every parser that reads e-mail, portal or API text gets 1 MB of adversarial text and must take
 * at most RATIO times as long as it takes on 1 MB of an ordinary complaint, measured in the same run. A linear
 * parser stays within a small factor whatever the text; a backtracking one is hundreds to thousands of times
 * slower at this size (the unbounded category pattern took 435 s on 1 MB of "schimb", a normal megabyte 0.2 s).
 */
const MB = 1024 * 1024;
const RATIO = 25;

/** `unit` repeated to exactly `size` characters. */
const fill = (unit: string, size = MB) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

const NORMAL_TEXT = fill(
  'Bună ziua, factura nr. 12345678 din martie este prea mare: contorul arată alt index. Locul de consum ' +
    'RO005E512345678, cod client 1000876543, telefon 0744 123 456, e-mail ion.popescu@example.test. ' +
    'Vă rog să schimbați furnizorul de energie sau să verificați citirea. Mulțumesc, Ion Popescu\n',
);
const NORMAL_HTML = fill(
  '<p>Bună ziua, <b>factura</b> din martie este <a href="https://example.test/f">prea mare</a>; contorul ' +
    'arată alt index.<br>Locul de consum RO005E512345678.</p>\n<div>Ion Popescu, 0744 123 456</div>\n',
);

/** Texts that broke or could break a pattern: long runs without the character a pattern waits for. */
const HOSTILE: Record<string, string> = {
  'letters without @': fill('a'),
  'a 200 000-character address token': fill(`${'a'.repeat(200_000)}@example.test `),
  'repeated @': fill('a@'),
  'dots after @': `x@${fill('a.')}`,
  'code-like dashes': fill('A-'),
  'code-like slashes': fill('A/-'),
  'digits and blanks (phones)': fill('1 '),
  'plus signs (phones)': fill('+1.'),
  'repeated schimb': fill('schimb'),
  'unclosed <': fill('<'),
  'unclosed <br': fill('<br'),
  'encoded-word openings': fill('=?utf-8?B?'),
  quotes: fill('"a'),
  'angle ids': fill('<a'),
  'references ids': fill('<a@b> '),
  'unclosed nested tags': fill('<b><span>'),
  'operator reference prefix': fill('DEMO-2026-000001/O'),
  'case number prefix': fill('DEMO-2026-'),
  'blank runs': fill(' \t'),
};

/** The fastest of `runs` timings in ms (the least disturbed by other work on the machine). */
async function fastest(fn: () => unknown, runs: number): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/** Asserts every hostile text takes at most RATIO x the ordinary one (and reports the worst, for the reader). */
async function expectLinear(
  name: string,
  parse: (text: string) => unknown,
  normal = NORMAL_TEXT,
  hostile: Record<string, string> = HOSTILE,
) {
  await parse(normal); // warm-up: the first run also compiles
  const base = await fastest(() => parse(normal), 3);
  const worst = { ratio: 0, input: '', ms: 0 };
  for (const [input, text] of Object.entries(hostile)) {
    let ms = await fastest(() => parse(text), 1);
    // A second try only when the first came near the limit (a pause of the machine is not the parser's doing).
    if (ms / Math.max(base, 1) > RATIO / 2) ms = Math.min(ms, await fastest(() => parse(text), 1));
    // Below a millisecond the clock's resolution decides; such a parse is not a problem whatever the ratio.
    const ratio = ms / Math.max(base, 1);
    if (ratio > worst.ratio) Object.assign(worst, { ratio, input, ms });
    expect(
      ratio,
      `${name} on ${input}: ${ms.toFixed(0)} ms vs ${base.toFixed(0)} ms for normal text`,
    ).toBeLessThan(RATIO);
  }
  process.stdout.write(
    `${name}: normal ${base.toFixed(1)} ms; worst ${worst.input} ${worst.ms.toFixed(1)} ms (x${worst.ratio.toFixed(1)})\n`,
  );
}

/** One header line's worth: line breaks would end the header block. */
const oneLine = (t: string, size = 200_000) => t.slice(0, size).replace(/[\r\n]/g, ' ');
const mail = (headers: string, body: string) => Buffer.from(`${headers}\r\n\r\n${body}`, 'latin1');

describe('every parser of untrusted text is linear (1 MB of hostile text vs 1 MB of a normal message)', () => {
  it('e-mail addresses in a text', async () => {
    await expectLinear('addressesIn', (t) => addressesIn(t));
  });

  it('identification evidence (codes, phones, addresses, name words)', async () => {
    await expectLinear('extractEvidence', (t) => extractEvidence({ subject: t, text: t, fromName: t }));
  });

  it('recipients from the header block (catch-all routing)', async () => {
    const header = (t: string) =>
      Buffer.from(`Delivered-To: ${oneLine(t, MB)}\r\nTo: ${oneLine(t, MB)}\r\n\r\nx`);
    await expectLinear(
      'recipientsOf',
      (t) => recipientsOf(header(t)),
      fill('Ion Popescu <ion.popescu@example.test>, '),
    );
  });

  it('MIME recovery: damage, boundary and charset parameters, text of a broken structure', async () => {
    await expectLinear('mime recovery', (t) => {
      const raw = mail('Subject: x\r\nContent-Type: multipart/mixed; boundary=b', t);
      mimeDamage(raw, `multipart/mixed; boundary=b; ${t.slice(0, 64 * 1024)}`);
      headerParam(t, 'charset');
      return recoverText(raw);
    });
  });

  it('HTML made text', async () => {
    await expectLinear('htmlToText', (t) => htmlToText(t), NORMAL_HTML);
  }, 300_000);

  it('the whole message: subject, sender, threading headers and an HTML body', async () => {
    // A header block is at most 1 MB for the MIME parser (a larger one is quarantined as unreadable), so each of
    // the four headers gets a fifth of the hostile text and the body the whole of it.
    const parse = async (t: string) => {
      const h = oneLine(t);
      const parsed = await parseMessage(
        mail(
          `From: ${h}\r\nSubject: ${h}\r\nIn-Reply-To: ${h}\r\nReferences: ${h}\r\nContent-Type: text/html; charset=utf-8`,
          t,
        ),
      );
      expect(parsed.subject.length).toBeLessThanOrEqual(1000);
      return parsed;
    };
    await expectLinear('parseMessage', parse, NORMAL_HTML);
  }, 300_000);

  it('classification: bounce ids, own-message ids, case numbers and operator references in the subject', async () => {
    const classify = async (t: string) => {
      const raw = mail(
        `From: mailer-daemon@example.test\r\nReturn-Path: <>\r\nSubject: ${oneLine(t)}\r\nReferences: ${oneLine(t)}\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=r`,
        t,
      );
      const parsed = await parseMessage(raw);
      const ctx = {
        tenantCode: 'DEMO',
        ownAddresses: ['demo@reclamatii.local'],
        findOurMessage: async () => null,
        findCaseOfMessage: async () => null,
        findOperatorRequest: async () => null,
        findCase: async () => null,
      };
      await classifyMessage(parsed, raw, ctx);
      // The same message not as a bounce: threading, the operator's reference and case numbers are read.
      await classifyMessage(
        { ...parsed, contentType: 'text/plain', fromAddress: 'x@example.test' },
        raw,
        ctx,
      );
    };
    await expectLinear('classifyMessage', classify);
  }, 300_000);

  it('category guess, operator reference, customer search and upload file names', async () => {
    await expectLinear('guessCategory', (t) => guessCategory(t, t));
    await expectLinear('findOperatorReference', (t) => findOperatorReference(t));
    await expectLinear('likePattern (search box)', (t) => likePattern(t));
    await expectLinear('safeFileName (portal upload)', (t) => safeFileName(t, 'pdf'));
  }, 300_000);
});
