import { renderMail, roDate } from './render.ts';

/**
 * The consumer-facing letters of the process paths besides the acknowledgement and the answer: the request to
 * complete an incomplete complaint, the extension notice, the filing notice (duplicate, misdirected, anonymous,
 * withdrawn, never completed), the short answer to what is not a complaint, and the compensation notice. Each is
 * one piece of content, rendered as an e-mail (blocks: HTML and plain text say the same) and, for consumers
 * without e-mail, as a PDF letter (server/documents/templates.ts) for the postal register. Each names its legal basis.
 */
export interface CaseLetter {
  /** E-mail subject; the PDF's title is `title`. */
  subject: string;
  title: string;
  /** Label–value lines (registration number, dates, amounts). */
  facts: Array<{ label: string; value: string; strong?: boolean }>;
  paragraphs: string[];
  legalBasis: string;
}

export interface LetterCaseFacts {
  number: string;
  registeredOn: string;
  dueDate: string;
}

const registration = (c: LetterCaseFacts) => [
  { label: 'Număr de înregistrare', value: c.number, strong: true },
  { label: 'Data înregistrării', value: roDate(c.registeredOn) },
];

/** IL-08: what is missing, by when, and what happens without an answer. */
export function completionRequestLetter(
  c: LetterCaseFacts,
  d: { missing: string; answerBy: string; pausesDeadline: boolean; statusUrl: string },
): CaseLetter {
  return {
    subject: `Reclamația nr. ${c.number}: vă rugăm să completați reclamația`,
    title: 'Cerere de completare a reclamației',
    facts: [
      ...registration(c),
      { label: 'Vă rugăm să răspundeți până la', value: roDate(d.answerBy), strong: true },
    ],
    paragraphs: [
      'Pentru a putea analiza reclamația dumneavoastră avem nevoie de următoarele informații:',
      d.missing,
      `Vă rugăm să ni le transmiteți până la ${roDate(d.answerBy)}, răspunzând la acest mesaj (păstrați numărul de înregistrare în subiect), prin portal sau prin poștă.`,
      d.pausesDeadline
        ? `Până la primirea completării, termenul de răspuns (${roDate(c.dueDate)}) se prelungește cu zilele în care așteptăm informațiile.`
        : `Termenul de răspuns rămâne ${roDate(c.dueDate)}.`,
      'Dacă nu primim completarea până la data de mai sus, reclamația se clasează, iar dumneavoastră veți fi înștiințat; o puteți depune din nou oricând, cu informațiile complete.',
      `Stadiul dosarului: ${d.statusUrl}`,
    ],
    legalBasis:
      'Ordinul ANRE nr. 16/2015 (procedura-cadru de soluționare a plângerilor clienților finali); OG nr. 27/2002',
  };
}

/** IL-32: sent before the original due date, with the reason and the new date. */
export function extensionNoticeLetter(
  c: LetterCaseFacts,
  d: { originalDueDate: string; newDueDate: string; reason: string; legalBasis: string; statusUrl: string },
): CaseLetter {
  return {
    subject: `Reclamația nr. ${c.number}: prelungirea termenului de răspuns`,
    title: 'Înștiințare privind prelungirea termenului de răspuns',
    facts: [
      ...registration(c),
      { label: 'Termenul inițial', value: roDate(d.originalDueDate) },
      { label: 'Noul termen de răspuns', value: roDate(d.newDueDate), strong: true },
    ],
    paragraphs: [
      `Vă înștiințăm că termenul de răspuns la reclamația dumneavoastră se prelungește de la ${roDate(d.originalDueDate)} până la ${roDate(d.newDueDate)}.`,
      `Motivul prelungirii: ${d.reason}`,
      `Puteți urmări dosarul aici: ${d.statusUrl}`,
    ],
    legalBasis: d.legalBasis,
  };
}

export type FilingReason =
  'duplicate' | 'misdirected' | 'anonymous' | 'not_a_complaint' | 'withdrawn' | 'incomplete';

const FILING: Record<FilingReason, { title: string; text: string; legalBasis: string }> = {
  duplicate: {
    title: 'Înștiințare privind clasarea reclamației (conexare)',
    text: 'Reclamația dumneavoastră are același conținut cu o reclamație anterioară; cele două au fost conexate și veți primi un singur răspuns, în dosarul inițial.',
    legalBasis: 'OG nr. 27/2002, art. 7 (petiții cu același conținut); Ordinul ANRE nr. 16/2015',
  },
  misdirected: {
    title: 'Înștiințare privind redirecționarea reclamației',
    text: 'Aspectele sesizate nu sunt de competența noastră. Am transmis reclamația instituției competente, care vă va răspunde direct.',
    legalBasis: 'OG nr. 27/2002 (redirecționarea petițiilor greșit îndreptate, cu înștiințarea petentului)',
  },
  anonymous: {
    title: 'Înștiințare privind clasarea reclamației',
    text: 'Reclamația nu conține datele de identificare necesare și se clasează.',
    legalBasis: 'OG nr. 27/2002, art. 7 (petiții anonime sau fără date de identificare)',
  },
  not_a_complaint: {
    title: 'Răspuns la solicitarea dumneavoastră',
    text: 'Mesajul dumneavoastră nu este o reclamație privind activitatea furnizorului, ci o solicitare (de exemplu o cerere de informații sau transmiterea unui index). L-am preluat ca atare; nu este înregistrat ca reclamație.',
    legalBasis:
      'Ordinul ANRE nr. 16/2015, art. 1 (definiția plângerii: expresia nemulțumirii clientului final față de activitatea furnizorului)',
  },
  withdrawn: {
    title: 'Confirmarea retragerii reclamației',
    text: 'Am luat act de retragerea reclamației dumneavoastră; dosarul se închide fără alte măsuri. Ne puteți scrie din nou oricând.',
    legalBasis: 'Ordinul ANRE nr. 16/2015 (procedura-cadru de soluționare a plângerilor)',
  },
  incomplete: {
    title: 'Înștiințare privind clasarea reclamației necompletate',
    text: 'Nu am primit, în termenul indicat, informațiile cerute pentru completarea reclamației, astfel încât aceasta nu poate fi analizată și se clasează. O puteți depune din nou oricând, cu informațiile complete.',
    legalBasis: 'Ordinul ANRE nr. 16/2015; OG nr. 27/2002',
  },
};

/** The filing notice (and, for `not_a_complaint`, the short answer), after SEF approved it (IL-08). */
export function filingNoticeLetter(c: LetterCaseFacts, reason: FilingReason): CaseLetter {
  const f = FILING[reason];
  return {
    subject:
      reason === 'not_a_complaint'
        ? `Solicitarea nr. ${c.number}: răspuns`
        : reason === 'withdrawn'
          ? `Reclamația nr. ${c.number}: retragere`
          : `Reclamația nr. ${c.number}: clasare`,
    title: f.title,
    facts: registration(c),
    paragraphs: [f.text],
    legalBasis: f.legalBasis,
  };
}

export const PAYMENT_METHOD_LABELS: Record<string, string> = {
  invoice_credit: 'compensare în factura următoare',
  bank_transfer: 'transfer bancar',
  postal_order: 'mandat poștal',
};

/** IL-29: the amount, how it was granted and why (the delay counted in the rule's unit). */
export function compensationNoticeLetter(
  c: LetterCaseFacts,
  d: {
    delayDays: number;
    unit: 'working' | 'calendar';
    amountLei: number;
    method: string;
    paidOn: string;
    communicatedOn: string | null;
    legalBasis: string;
  },
): CaseLetter {
  const days = `${d.delayDays} ${d.unit === 'working' ? 'zile lucrătoare' : 'zile calendaristice'}`;
  return {
    subject: `Reclamația nr. ${c.number}: compensație pentru depășirea termenului`,
    title: 'Înștiințare privind acordarea compensației',
    facts: [
      ...registration(c),
      { label: 'Termenul de răspuns', value: roDate(c.dueDate) },
      ...(d.communicatedOn ? [{ label: 'Răspuns comunicat la', value: roDate(d.communicatedOn) }] : []),
      { label: 'Întârziere', value: days },
      { label: 'Compensație', value: `${d.amountLei} lei`, strong: true },
      { label: 'Mod de acordare', value: PAYMENT_METHOD_LABELS[d.method] ?? d.method },
      { label: 'Data acordării', value: roDate(d.paidOn) },
    ],
    paragraphs: [
      `Răspunsul la reclamația dumneavoastră a depășit termenul de ${roDate(c.dueDate)} cu ${days}. Potrivit standardului de performanță, vă acordăm din proprie inițiativă o compensație de ${d.amountLei} lei, prin ${PAYMENT_METHOD_LABELS[d.method] ?? d.method}, la ${roDate(d.paidOn)}.`,
      'Nu trebuie să faceți nicio cerere pentru a o primi.',
    ],
    legalBasis: d.legalBasis,
  };
}

/** The e-mail of a case letter: the same facts and paragraphs, the legal basis in the small print. */
export async function renderCaseLetterMail(supplier: string, l: CaseLetter) {
  const { html, text } = await renderMail({
    supplier,
    title: l.subject,
    blocks: [
      { heading: l.title },
      { facts: l.facts },
      ...l.paragraphs.map((p) => ({ text: p })),
      { text: `Temei legal: ${l.legalBasis}.`, small: true },
    ],
  });
  return { subject: l.subject, html, text };
}
