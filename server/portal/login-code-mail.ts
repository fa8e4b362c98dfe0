import { renderMail } from '../mail/templates/render.ts';

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
  const { html, text } = await renderMail({
    supplier: d.supplier,
    title: subject,
    blocks: [
      { heading: 'Codul de acces în portalul clienților' },
      { text: 'Introduceți acest cod pe pagina de autentificare:' },
      { code: d.code },
      { text: `Codul este valabil ${d.minutes} minute și poate fi folosit o singură dată.` },
      { button: 'Deschideți portalul', href: d.loginUrl },
      {
        small: true,
        text: 'Dacă nu ați cerut acest cod, ignorați mesajul: fără cod, nimeni nu poate intra în portal cu adresa dumneavoastră. Nu comunicați codul nimănui; angajații furnizorului nu vi-l vor cere niciodată.',
      },
    ],
  });
  return { subject, html, text };
}
