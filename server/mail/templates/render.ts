import mjml2html from 'mjml';

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/** Formats a 'YYYY-MM-DD' business date the Romanian way: 18.12.2026. */
export function roDate(d: string): string {
  const [y, m, day] = d.slice(0, 10).split('-');
  return `${day}.${m}.${y}`;
}

/** The common layout of our e-mails: the supplier's name as letterhead, the content, a footer. */
export async function renderLayout(opts: {
  supplier: string;
  title: string;
  bodyMjml: string;
  /** The small print; by default the one for mail about a case (answer by replying, keep the number). */
  footer?: string;
}): Promise<string> {
  const { html, errors } = await mjml2html(
    `<mjml>
  <mj-head>
    <mj-title>${escapeHtml(opts.title)}</mj-title>
    <mj-attributes><mj-all font-family="Arial, Helvetica, sans-serif" /><mj-text font-size="15px" line-height="1.5" color="#1f2937" /></mj-attributes>
  </mj-head>
  <mj-body background-color="#f3f4f6">
    <mj-section background-color="#0f4c81" padding="16px 24px">
      <mj-column><mj-text color="#ffffff" font-size="18px" font-weight="bold">${escapeHtml(opts.supplier)}</mj-text></mj-column>
    </mj-section>
    <mj-section background-color="#ffffff" padding="24px">
      <mj-column>${opts.bodyMjml}</mj-column>
    </mj-section>
    <mj-section padding="12px 24px">
      <mj-column><mj-text font-size="12px" color="#6b7280">${escapeHtml(opts.footer ?? 'Acest mesaj a fost generat automat. Pentru orice întrebare, răspundeți la acest e-mail păstrând numărul de înregistrare în subiect.')}</mj-text></mj-column>
    </mj-section>
  </mj-body>
</mjml>`,
    { validationLevel: 'soft' },
  );
  if (errors.length) throw new Error(`mjml: ${errors.map((e) => e.message).join('; ')}`);
  return html;
}
