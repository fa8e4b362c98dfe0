import { renderMail } from './render.ts';

/** A short notice about a case (filing, forwarding, extension of the deadline, request to the operator). */
export async function renderNotice(d: { supplier: string; subject: string; paragraphs: string[] }) {
  const { html, text } = await renderMail({
    supplier: d.supplier,
    title: d.subject,
    blocks: [{ heading: d.subject }, ...d.paragraphs.map((p) => ({ text: p }))],
  });
  return { subject: d.subject, html, text };
}
