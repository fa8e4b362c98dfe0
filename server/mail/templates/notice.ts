import { escapeHtml, renderLayout } from './render.ts';

/** A short notice about a case (filing, forwarding, extension of the deadline, request to the operator). */
export async function renderNotice(d: { supplier: string; subject: string; paragraphs: string[] }) {
  const html = await renderLayout({
    supplier: d.supplier,
    title: d.subject,
    bodyMjml: [
      `<mj-text font-size="20px" font-weight="bold">${escapeHtml(d.subject)}</mj-text>`,
      ...d.paragraphs.map((p) => `<mj-text>${escapeHtml(p).replace(/\n/g, '<br/>')}</mj-text>`),
    ].join(''),
  });
  return { subject: d.subject, html, text: d.paragraphs.join('\n\n') };
}
