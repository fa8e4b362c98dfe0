import type { DocDefinition } from 'pdfmake';
import { roDate } from '../mail/templates/render.ts';
import { noticeLetter, type Letterhead, type LetterCase } from '../documents/index.ts';
import { OUTCOME_LABELS, RIGHT_LABELS, type DsrDocumentKind } from '../codes/privacy-codes.ts';
import type { DataSubjectRequest } from '../db/schema/index.ts';
import { businessDate } from '../codes/business-date.ts';

/**
 * The three letters of a data-subject request, in Romanian, each naming its legal basis (Regulation (EU) 2016/679
 * art. 12(3) for the deadline and its extension, the article of the right exercised, art. 17(3) for a refused
 * erasure, art. 77 for the complaint to the supervisory authority).
 */
const RIGHT_ARTICLES: Record<DataSubjectRequest['right'], string> = {
  access: 'art. 15',
  rectification: 'art. 16',
  erasure: 'art. 17',
  restriction: 'art. 18',
  portability: 'art. 20',
  objection: 'art. 21',
};

export const DSR_FILE_NAMES: Record<DsrDocumentKind, (n: string) => string> = {
  acknowledgement: (n) => `confirmare-cerere-gdpr-${n}.pdf`,
  extension_notice: (n) => `prelungire-termen-gdpr-${n}.pdf`,
  answer: (n) => `raspuns-cerere-gdpr-${n}.pdf`,
};

const SUPERVISORY =
  'Dacă considerați că drepturile dumneavoastră nu au fost respectate, puteți depune o plângere la Autoritatea ' +
  'Națională de Supraveghere a Prelucrării Datelor cu Caracter Personal (ANSPDCP), B-dul G-ral. Gheorghe Magheru ' +
  'nr. 28-30, București, www.dataprotection.ro, sau vă puteți adresa instanței de judecată (art. 77 și 79 din ' +
  'Regulamentul (UE) 2016/679).';

function letterSubject(r: DataSubjectRequest, address: string | null): LetterCase {
  return {
    number: r.number,
    receivedAt: r.receivedAt,
    // The Romanian day it was received (its due date counts from it), not the UTC one.
    registeredOn: businessDate(r.receivedAt),
    dueDate: r.dueDate,
    category: r.right,
    subject: RIGHT_LABELS[r.right],
    contactName: r.contactName,
    address,
    customerCode: null,
    placeCode: null,
  };
}

export function dsrLetter(
  kind: DsrDocumentKind,
  l: Letterhead,
  r: DataSubjectRequest,
  d: { issuedOn: string; address: string | null },
): DocDefinition {
  const c = letterSubject(r, d.address);
  const right = RIGHT_LABELS[r.right];
  const article = RIGHT_ARTICLES[r.right];
  const facts = [
    { label: 'Număr de înregistrare', value: r.number },
    { label: 'Data primirii', value: roDate(r.receivedAt.toISOString()) },
    { label: 'Dreptul exercitat', value: right },
  ];
  if (kind === 'acknowledgement')
    return noticeLetter(l, c, {
      title: 'Confirmarea primirii cererii privind datele personale',
      facts: [...facts, { label: 'Termen de răspuns', value: roDate(r.dueDate) }],
      paragraphs: [
        `Am primit cererea dumneavoastră privind datele cu caracter personal și am înregistrat-o cu nr. ${r.number}. ` +
          `Aceasta nu este tratată ca reclamație, ci ca cerere a persoanei vizate, soluționată de responsabilul cu protecția datelor.`,
        `Vă vom răspunde până la data de ${roDate(r.dueDate)}, adică în cel mult o lună de la primire. Dacă cererea este ` +
          'complexă, termenul poate fi prelungit cu cel mult două luni; în acest caz vă vom informa înainte de expirarea primei luni, arătând motivul.',
        'Pentru a vă proteja datele, este posibil să vă cerem informații suplimentare pentru confirmarea identității.',
      ],
      legalBasis: `Regulamentul (UE) 2016/679, art. 12 alin. (3) și ${article}; Legea nr. 190/2018`,
      issuedOn: d.issuedOn,
    });
  if (kind === 'extension_notice')
    return noticeLetter(l, c, {
      title: 'Prelungirea termenului de răspuns la cererea privind datele personale',
      facts: [
        ...facts,
        { label: 'Termenul inițial', value: roDate(r.originalDueDate ?? r.dueDate) },
        { label: 'Noul termen', value: roDate(r.dueDate) },
      ],
      paragraphs: [
        `Vă informăm că termenul de răspuns la cererea nr. ${r.number} se prelungește până la data de ${roDate(r.dueDate)}.`,
        `Motivul prelungirii: ${r.extensionReason ?? ''}`,
        SUPERVISORY,
      ],
      legalBasis:
        'Regulamentul (UE) 2016/679, art. 12 alin. (3) (prelungire cu cel mult două luni, cu informarea persoanei în prima lună)',
      issuedOn: d.issuedOn,
    });
  const outcome = r.outcome ? OUTCOME_LABELS[r.outcome] : '';
  const refused = r.outcome && r.outcome !== 'granted';
  return noticeLetter(l, c, {
    title: 'Răspuns la cererea privind datele personale',
    facts: [...facts, { label: 'Soluția', value: outcome }],
    paragraphs: [
      r.answerText ?? '',
      ...(refused && r.refusalReason ? [`Motivul refuzului: ${r.refusalReason}`] : []),
      SUPERVISORY,
    ],
    legalBasis:
      `Regulamentul (UE) 2016/679, art. 12 și ${article}` +
      (r.right === 'erasure' && refused
        ? '; art. 17 alin. (3) lit. b) și e) (obligația legală de păstrare a evidenței reclamațiilor: Ordinul ANRE nr. 16/2015)'
        : ''),
    issuedOn: d.issuedOn,
  });
}
