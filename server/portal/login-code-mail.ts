import { escapeHtml, renderLayout } from '../mail/templates/render.ts';

export interface LoginCodeMailData {
  supplier: string;
  code: string;
  minutes: number;
  /** The portal's login page, where the code is entered. */
  loginUrl: string;
}

/** The one-time code for the consumer portal (mjml, like every e-mail we send). */
export async function renderLoginCodeMail(d: LoginCodeMailData) {
  const subject = `Codul dumneavoastră de acces în portal: ${d.code}`;
  const html = await renderLayout({
    supplier: d.supplier,
    title: subject,
    bodyMjml: `
      <mj-text font-size="20px" font-weight="bold">Codul de acces în portalul clienților</mj-text>
      <mj-text>Introduceți acest cod pe pagina de autentificare:</mj-text>
      <mj-text font-size="32px" font-weight="bold" letter-spacing="6px" font-family="Courier New, monospace">${escapeHtml(d.code)}</mj-text>
      <mj-text>Codul este valabil ${d.minutes} minute și poate fi folosit o singură dată.</mj-text>
      <mj-button href="${escapeHtml(d.loginUrl)}" background-color="#0f4c81" align="left">Deschideți portalul</mj-button>
      <mj-text font-size="13px" color="#374151">Dacă nu ați cerut acest cod, ignorați mesajul: fără cod, nimeni nu poate intra în portal cu adresa dumneavoastră. Nu comunicați codul nimănui; angajații furnizorului nu vi-l vor cere niciodată.</mj-text>`,
  });
  const text = [
    'Codul de acces în portalul clienților:',
    '',
    `    ${d.code}`,
    '',
    `Codul este valabil ${d.minutes} minute și poate fi folosit o singură dată.`,
    `Portalul: ${d.loginUrl}`,
    '',
    'Dacă nu ați cerut acest cod, ignorați mesajul. Nu comunicați codul nimănui.',
  ].join('\n');
  return { subject, html, text };
}
