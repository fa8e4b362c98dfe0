import { escapeHtml, renderLayout } from '../mail/templates/render.ts';

export interface PasswordLinkMailData {
  supplier: string;
  name: string;
  /** 'invite' for a new account, 'reset' when an administrator reset the password. */
  reason: 'invite' | 'reset';
  url: string;
  hours: number;
}

/** The link to choose a password (mjml, like every e-mail we send). The link is the only secret in it. */
export async function renderPasswordLinkMail(d: PasswordLinkMailData) {
  const invite = d.reason === 'invite';
  const subject = invite
    ? `Contul dumneavoastră în aplicația de reclamații ${d.supplier}: alegeți parola`
    : `Resetarea parolei în aplicația de reclamații ${d.supplier}`;
  const intro = invite
    ? `Administratorul furnizorului ${d.supplier} v-a creat un cont în aplicația de gestionare a reclamațiilor. Pentru a-l folosi, alegeți o parolă:`
    : `Administratorul furnizorului ${d.supplier} v-a resetat parola. Parola veche nu mai funcționează; alegeți una nouă:`;
  const footer =
    'Acest mesaj a fost generat automat. Dacă nu vă așteptați la el, anunțați administratorul aplicației și nu folosiți linkul.';
  const html = await renderLayout({
    supplier: d.supplier,
    title: subject,
    footer,
    bodyMjml: `
      <mj-text font-size="20px" font-weight="bold">${invite ? 'Bun venit' : 'Parolă nouă'}, ${escapeHtml(d.name)}</mj-text>
      <mj-text>${escapeHtml(intro)}</mj-text>
      <mj-button href="${escapeHtml(d.url)}" background-color="#0f4c81" align="left">Alegeți parola</mj-button>
      <mj-text font-size="13px">Dacă butonul nu funcționează, copiați în browser adresa: <br/>${escapeHtml(d.url)}</mj-text>
      <mj-text>Linkul este valabil ${d.hours} de ore și poate fi folosit o singură dată. Parola trebuie să aibă cel puțin 12 caractere.</mj-text>`,
  });
  const text = [
    `${invite ? 'Bun venit' : 'Parolă nouă'}, ${d.name}`,
    '',
    intro,
    '',
    d.url,
    '',
    `Linkul este valabil ${d.hours} de ore și poate fi folosit o singură dată. Parola trebuie să aibă cel puțin 12 caractere.`,
    '',
    footer,
  ].join('\n');
  return { subject, html, text };
}
