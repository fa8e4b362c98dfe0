import { renderMail, roDate } from './render.ts';

export interface AnswerData {
  supplier: string;
  number: string;
  registeredOn: string;
  contactName: string;
  answerText: string;
  statusUrl: string;
  /** The legal basis of the case's deadline (its rule). */
  legalBasis?: string | undefined;
}

/** The officer's paragraphs (separated by blank lines) stay paragraphs; line breaks inside one are kept. */
function paragraphsOf(answer: string): string[] {
  const out: string[] = [];
  let current: string[] = [];
  for (const line of answer.split('\n')) {
    if (line.trim() === '') {
      if (current.length) out.push(current.join('\n'));
      current = [];
    } else current.push(line.trimEnd());
  }
  if (current.length) out.push(current.join('\n'));
  return out;
}

/** The answer to the consumer, with the escalation routes the law requires them to be told about. */
export async function renderAnswer(d: AnswerData) {
  const subject = `Răspuns la reclamația nr. ${d.number}`;
  const { html, text } = await renderMail({
    supplier: d.supplier,
    title: subject,
    blocks: [
      { heading: subject },
      { text: `Stimate/Stimată ${d.contactName},` },
      {
        text: `Vă transmitem răspunsul la reclamația înregistrată cu nr. ${d.number} din ${roDate(d.registeredOn)}.`,
      },
      ...paragraphsOf(d.answerText).map((p) => ({ text: p })),
      {
        small: true,
        text: 'Dacă nu sunteți mulțumit de răspuns, vă puteți adresa Autorității Naționale de Reglementare în Domeniul Energiei (ANRE), www.anre.ro, sau instanței de judecată competente.',
      },
      {
        small: true,
        text: `Temei legal: Ordinul ANRE nr. 16/2015 (comunicarea în scris a rezultatului analizei, în termen)${d.legalBasis ? `; ${d.legalBasis}` : ''}.`,
      },
      { button: 'Vedeți dosarul online', href: d.statusUrl },
    ],
  });
  return { subject, html, text };
}
