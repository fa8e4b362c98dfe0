import sanitizeHtml from 'sanitize-html';
import { describe, expect, it } from 'vitest';
import { renderPasswordLinkMail } from '../../users/password-link-mail.ts';
import { renderLoginCodeMail } from '../../portal/login-code-mail.ts';
import { renderAcknowledgement } from './acknowledgement.ts';
import { renderAnswer } from './answer.ts';
import { renderNotice } from './notice.ts';

/** The words a reader of the HTML part sees, in order, whitespace collapsed. */
function visibleWords(html: string): string[] {
  const body = html.slice(html.indexOf('<body'));
  const text = sanitizeHtml(body.replace(/<br\s*\/?>/g, ' '), {
    allowedTags: [],
    allowedAttributes: {},
    nonTextTags: ['style', 'script', 'title'],
  });
  const decoded = text
    .replaceAll('&amp;', '&')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'");
  return decoded.split(/\s+/).filter((w) => w !== '');
}

const mails = {
  acknowledgement: () =>
    renderAcknowledgement({
      supplier: 'Demo Energie SA',
      number: 'DEMO-2026-000001',
      receivedAt: '2026-12-02T09:30:00Z',
      registeredOn: '2026-12-02',
      dueDate: '2027-01-04',
      statusUrl: 'http://localhost:3000/status/DEMO-2026-000001',
      accessCode: 'K7M2-QX9P',
      subject: 'Factura din octombrie & <penalități>',
    }),
  'acknowledgement of a further message': () =>
    renderAcknowledgement({
      supplier: 'Demo Energie SA',
      number: 'DEMO-2026-000002',
      receivedAt: '2026-12-02T09:30:00Z',
      registeredOn: '2026-12-02',
      dueDate: '2027-01-04',
      statusUrl: 'http://localhost:3000/status/DEMO-2026-000002',
      accessCode: 'K7M2-QX9P',
      subject: 'Re: Răspuns la reclamația DEMO-2026-000001',
      earlier: { number: 'DEMO-2026-000001', statusLabel: 'Soluționată' },
    }),
  answer: () =>
    renderAnswer({
      supplier: 'Demo Energie SA',
      number: 'DEMO-2026-000001',
      registeredOn: '2026-12-02',
      contactName: 'Maria Ionescu',
      answerText:
        'Am verificat indexul.\nFactura a fost refăcută.\n\n  \nDiferența de 120,50 lei se returnează.',
      statusUrl: 'http://localhost:3000/status/DEMO-2026-000001',
    }),
  notice: () =>
    renderNotice({
      supplier: 'Demo Energie SA',
      subject: 'Prelungirea termenului',
      paragraphs: [
        'Termenul se prelungește cu 15 zile.',
        'Motivul: așteptăm datele operatorului de distribuție.',
      ],
    }),
  'password link': () =>
    renderPasswordLinkMail({
      supplier: 'Demo Energie SA',
      name: 'Ioana Știrbu',
      reason: 'invite',
      url: 'http://localhost:3000/account/password#t=abc',
      hours: 24,
    }),
  'portal login code': () =>
    renderLoginCodeMail({
      supplier: 'Demo Energie SA',
      code: '482913',
      minutes: 10,
      loginUrl: 'http://localhost:3000/portal/DEMO',
    }),
};

describe('e-mails we send', () => {
  for (const [name, render] of Object.entries(mails)) {
    it(`${name}: Romanian HTML whose plain-text part says the same`, async () => {
      const mail = await render();
      expect(mail.html).toMatch(/<html[^>]* lang="ro"/);
      const html = visibleWords(mail.html);
      // The text part adds the addresses of the buttons (a plain-text reader cannot click) and the signature
      // separator before the footer; addresses are compared by the button test below.
      const text = mail.text.split(/\s+/).filter((w) => w !== '' && w !== '--' && !w.startsWith('http'));
      expect(text).toEqual(html.filter((w) => !w.startsWith('http')));
    });
  }

  it("gives every button's address in the plain text too", async () => {
    const mail = await mails.acknowledgement();
    expect(mail.html).toContain('href="http://localhost:3000/status/DEMO-2026-000001"');
    expect(mail.text).toContain('Urmăriți reclamația\nhttp://localhost:3000/status/DEMO-2026-000001');
  });

  it('keeps the officer’s paragraphs and drops blank ones', async () => {
    const mail = await mails.answer();
    expect(mail.text).toContain('Am verificat indexul.\nFactura a fost refăcută.\n\nDiferența de 120,50 lei');
    expect(mail.html).toContain('Am verificat indexul.<br/>Factura a fost refăcută.');
  });
});
