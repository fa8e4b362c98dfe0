import { escapeHtml, renderLayout, roDate } from './render.ts';

export interface AnswerData {
  supplier: string;
  number: string;
  registeredOn: string;
  contactName: string;
  answerText: string;
  statusUrl: string;
}

/** The answer to the consumer, with the escalation routes the law requires them to be told about. */
export async function renderAnswer(d: AnswerData) {
  const subject = `Răspuns la reclamația nr. ${d.number}`;
  const paragraphs = d.answerText
    .split(/\n{2,}/)
    .map((p) => `<mj-text>${escapeHtml(p).replace(/\n/g, '<br/>')}</mj-text>`)
    .join('');
  const escalation =
    'Dacă nu sunteți mulțumit de răspuns, vă puteți adresa Autorității Naționale de Reglementare în Domeniul Energiei (ANRE), www.anre.ro, sau instanței de judecată competente.';
  const html = await renderLayout({
    supplier: d.supplier,
    title: subject,
    bodyMjml: `
      <mj-text font-size="20px" font-weight="bold">${escapeHtml(subject)}</mj-text>
      <mj-text>Stimate/Stimată ${escapeHtml(d.contactName)},</mj-text>
      <mj-text>Vă transmitem răspunsul la reclamația înregistrată cu nr. ${escapeHtml(d.number)} din ${roDate(d.registeredOn)}.</mj-text>
      ${paragraphs}
      <mj-text font-size="13px" color="#374151">${escapeHtml(escalation)}</mj-text>
      <mj-button href="${escapeHtml(d.statusUrl)}" background-color="#0f4c81" align="left">Vedeți dosarul online</mj-button>`,
  });
  const text = [
    `Stimate/Stimată ${d.contactName},`,
    `Vă transmitem răspunsul la reclamația înregistrată cu nr. ${d.number} din ${roDate(d.registeredOn)}.`,
    '',
    d.answerText,
    '',
    escalation,
    d.statusUrl,
  ].join('\n');
  return { subject, html, text };
}
