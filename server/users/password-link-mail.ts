import { renderMail } from '../mail/templates/render.ts';

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
  const { html, text } = await renderMail({
    supplier: d.supplier,
    title: subject,
    footer:
      'Acest mesaj a fost generat automat. Dacă nu vă așteptați la el, anunțați administratorul aplicației și nu folosiți linkul.',
    blocks: [
      { heading: `${invite ? 'Bun venit' : 'Parolă nouă'}, ${d.name}` },
      {
        text: invite
          ? `Administratorul furnizorului ${d.supplier} v-a creat un cont în aplicația de gestionare a reclamațiilor. Pentru a-l folosi, alegeți o parolă:`
          : `Administratorul furnizorului ${d.supplier} v-a resetat parola. Parola veche nu mai funcționează; alegeți una nouă:`,
      },
      { button: 'Alegeți parola', href: d.url },
      { small: true, text: `Dacă butonul nu funcționează, copiați în browser adresa:\n${d.url}` },
      {
        text: `Linkul este valabil ${d.hours} de ore și poate fi folosit o singură dată. Parola trebuie să aibă cel puțin 12 caractere.`,
      },
    ],
  });
  return { subject, html, text };
}
