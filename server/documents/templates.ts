import type { Content, DocDefinition } from 'pdfmake';
import type { Tenant } from '../db/schema/index.ts';
import { roDate } from '../mail/templates/render.ts';

export interface LetterCase {
  number: string;
  receivedAt: Date;
  registeredOn: string;
  dueDate: string;
  category: string;
  subject: string;
  contactName: string;
  address: string | null;
  customerCode: string | null;
  placeCode: string | null;
}

export interface Letterhead {
  supplier: string;
  /** Lines under the name: address, registration numbers, contact. */
  lines: string[];
}

const ESCALATION =
  'Dacă nu sunteți mulțumit de modul de soluționare, vă puteți adresa Autorității Naționale de Reglementare în ' +
  'Domeniul Energiei (ANRE), Str. Constantin Nacu nr. 3, București, www.anre.ro, prin formularul de pe site sau ' +
  'prin poștă, anexând prezentul răspuns, ori instanței de judecată competente, potrivit legii. Puteți folosi și ' +
  'procedurile de soluționare alternativă a litigiilor (SAL).';

function head(l: Letterhead, title: string, c: LetterCase, issuedOn: string): Content[] {
  return [
    { text: l.supplier, style: 'supplier' },
    ...l.lines.map((line) => ({ text: line, style: 'letterhead' })),
    { canvas: [{ type: 'line', x1: 0, y1: 4, x2: 483, y2: 4, lineWidth: 0.8 }], margin: [0, 2, 0, 12] },
    {
      columns: [
        { text: `Nr. ${c.number} / ${roDate(issuedOn)}`, bold: true },
        c.address
          ? { text: [c.contactName, '\n', c.address].join(''), alignment: 'right' }
          : { text: c.contactName, alignment: 'right' },
      ],
      margin: [0, 0, 0, 18],
    },
    { text: title, style: 'title' },
  ];
}

function caseTable(c: LetterCase, categoryLabel: string): Content {
  const rows: Array<[string, string]> = [
    ['Număr de înregistrare', c.number],
    ['Data înregistrării', roDate(c.registeredOn)],
    ['Categoria', categoryLabel],
    ['Subiect', c.subject],
    ...(c.customerCode ? ([['Cod client', c.customerCode]] as Array<[string, string]>) : []),
    ...(c.placeCode ? ([['Loc de consum (POD/CLC)', c.placeCode]] as Array<[string, string]>) : []),
  ];
  return {
    table: { widths: [150, '*'], body: rows.map(([k, v]) => [{ text: k, bold: true }, v]) },
    layout: 'lightHorizontalLines',
    margin: [0, 0, 0, 14],
  };
}

const styles = {
  supplier: { fontSize: 15, bold: true, color: '#0f4c81' },
  letterhead: { fontSize: 8.5, color: '#374151' },
  title: { fontSize: 13, bold: true, margin: [0, 0, 0, 10] },
  small: { fontSize: 8.5, color: '#374151' },
};

function paragraphs(text: string): Content[] {
  return text
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => ({ text: p, margin: [0, 0, 0, 8] }));
}

export function answerLetter(
  l: Letterhead,
  c: LetterCase,
  d: { categoryLabel: string; answerText: string; signatory: string; issuedOn: string; legalBasis?: string },
): DocDefinition {
  return {
    info: { title: `Răspuns la reclamația nr. ${c.number}`, author: l.supplier },
    styles,
    content: [
      ...head(l, 'Răspuns la reclamație', c, d.issuedOn),
      { text: `Stimate/Stimată ${c.contactName},`, margin: [0, 0, 0, 8] },
      {
        text: `Referitor la reclamația dumneavoastră primită la ${roDate(c.receivedAt.toISOString())} și înregistrată cu nr. ${c.number} din ${roDate(c.registeredOn)}, vă comunicăm rezultatul analizei și măsurile dispuse:`,
        margin: [0, 0, 0, 8],
      },
      caseTable(c, d.categoryLabel),
      ...paragraphs(d.answerText),
      { text: 'Căi de atac', bold: true, margin: [0, 8, 0, 4] },
      { text: ESCALATION, style: 'small', margin: [0, 0, 0, 8] },
      {
        text: `Temei legal: Ordinul ANRE nr. 16/2015 (comunicarea în scris a rezultatului analizei, în termen)${d.legalBasis ? `; ${d.legalBasis}` : ''}.`,
        style: 'small',
        margin: [0, 0, 0, 18],
      },
      { text: 'Cu stimă,', margin: [0, 0, 0, 4] },
      { text: d.signatory, bold: true },
      { text: l.supplier },
    ],
  };
}

export function verificationReport(
  l: Letterhead,
  c: LetterCase,
  d: { categoryLabel: string; findings: string; verifications: string[]; issuedOn: string; author: string },
): DocDefinition {
  return {
    info: { title: `Notă de constatare – reclamația nr. ${c.number}`, author: l.supplier },
    styles,
    content: [
      ...head(l, 'Notă de constatare', c, d.issuedOn),
      caseTable(c, d.categoryLabel),
      { text: 'Verificări efectuate', bold: true, margin: [0, 0, 0, 4] },
      d.verifications.length
        ? { ul: d.verifications, margin: [0, 0, 0, 10] }
        : { text: '—', margin: [0, 0, 0, 10] },
      { text: 'Constatări și concluzie', bold: true, margin: [0, 0, 0, 4] },
      ...paragraphs(d.findings),
      { text: `Întocmit: ${d.author}`, margin: [0, 14, 0, 0] },
    ],
  };
}

export function acknowledgementLetter(
  l: Letterhead,
  c: LetterCase,
  d: { categoryLabel: string; statusUrl: string; accessCode: string; issuedOn: string; legalBasis?: string },
): DocDefinition {
  return {
    info: { title: `Confirmarea înregistrării reclamației nr. ${c.number}`, author: l.supplier },
    styles,
    content: [
      ...head(l, 'Confirmarea înregistrării reclamației', c, d.issuedOn),
      { text: `Stimate/Stimată ${c.contactName},`, margin: [0, 0, 0, 8] },
      {
        text: `Reclamația dumneavoastră a fost înregistrată. Vă vom răspunde în scris până la data de ${roDate(c.dueDate)}.`,
        margin: [0, 0, 0, 8],
      },
      caseTable(c, d.categoryLabel),
      {
        text: `Puteți urmări stadiul soluționării la ${d.statusUrl.split('?')[0]}, cu codul de acces ${d.accessCode}.`,
        margin: [0, 0, 0, 8],
      },
      {
        text: `Temei legal: Ordinul ANRE nr. 16/2015; Ordinul ANRE nr. 83/2021 (înregistrarea cu număr unic la primire)${d.legalBasis ? `; termenul de răspuns: ${d.legalBasis}` : ''}.`,
        style: 'small',
        margin: [0, 0, 0, 8],
      },
      { text: 'Cu stimă,', margin: [0, 10, 0, 4] },
      { text: l.supplier, bold: true },
    ],
  };
}

/**
 * A notice of the process paths (completion request, extension, filing, not-a-complaint answer, compensation):
 * the same content as its e-mail (server/mail/templates/case-letters.ts), with the legal basis named.
 */
export function noticeLetter(
  l: Letterhead,
  c: LetterCase,
  d: {
    title: string;
    facts: Array<{ label: string; value: string }>;
    paragraphs: string[];
    legalBasis: string;
    issuedOn: string;
  },
): DocDefinition {
  return {
    info: { title: `${d.title} – nr. ${c.number}`, author: l.supplier },
    styles,
    content: [
      ...head(l, d.title, c, d.issuedOn),
      { text: `Stimate/Stimată ${c.contactName},`, margin: [0, 0, 0, 8] },
      {
        table: { widths: [150, '*'], body: d.facts.map((f) => [{ text: f.label, bold: true }, f.value]) },
        layout: 'lightHorizontalLines',
        margin: [0, 0, 0, 14],
      },
      ...d.paragraphs.flatMap(paragraphs),
      { text: `Temei legal: ${d.legalBasis}.`, style: 'small', margin: [0, 8, 0, 18] },
      { text: 'Cu stimă,', margin: [0, 0, 0, 4] },
      { text: l.supplier, bold: true },
    ],
  };
}

/** The letterhead of a tenant's letters: the supplier and the lines the admin set (or the intake address). */
export function letterheadOf(tenant: Pick<Tenant, 'name' | 'letterhead' | 'intakeEmail'>): Letterhead {
  const lines = tenant.letterhead
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return { supplier: tenant.name, lines: lines.length ? lines : [`Reclamații: ${tenant.intakeEmail}`] };
}
