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

/**
 * One piece of an e-mail. Every e-mail is a list of blocks rendered twice, as mjml and as plain text, so the two
 * parts always say the same thing (a reader without HTML must not miss a due date or a link).
 */
export type MailBlock =
  | { heading: string }
  /** A paragraph; line breaks are kept. `small` for the legal small print. */
  | { text: string; small?: boolean }
  /** Label–value lines such as the registration number and the due date; `strong` values stand out. */
  | { facts: Array<{ label: string; value: string; strong?: boolean }> }
  /** A one-time code, large and monospaced. */
  | { code: string }
  /** A link as a button; the plain text shows the label with the address below it. */
  | { button: string; href: string };

const DEFAULT_FOOTER =
  'Acest mesaj a fost generat automat. Pentru orice întrebare, răspundeți la acest e-mail păstrând numărul de înregistrare în subiect.';

const paragraph = (s: string) => escapeHtml(s).replace(/\n/g, '<br/>');

function blockMjml(b: MailBlock): string {
  if ('heading' in b)
    return `<mj-text font-size="20px" font-weight="bold">${escapeHtml(b.heading)}</mj-text>`;
  if ('facts' in b)
    return `<mj-text>${b.facts
      .map(
        (f) =>
          `${escapeHtml(f.label)}: ${f.strong ? `<strong>${escapeHtml(f.value)}</strong>` : escapeHtml(f.value)}`,
      )
      .join('<br/>')}</mj-text>`;
  if ('code' in b)
    return `<mj-text font-size="32px" font-weight="bold" letter-spacing="6px" font-family="Courier New, monospace">${escapeHtml(b.code)}</mj-text>`;
  if ('button' in b)
    return `<mj-button href="${escapeHtml(b.href)}" background-color="#0f4c81" align="left">${escapeHtml(b.button)}</mj-button>`;
  return b.small
    ? `<mj-text font-size="13px" color="#374151">${paragraph(b.text)}</mj-text>`
    : `<mj-text>${paragraph(b.text)}</mj-text>`;
}

function blockText(b: MailBlock): string {
  if ('heading' in b) return b.heading;
  if ('facts' in b) return b.facts.map((f) => `${f.label}: ${f.value}`).join('\n');
  if ('code' in b) return `    ${b.code}`;
  if ('button' in b) return `${b.button}\n${b.href}`;
  return b.text;
}

/**
 * The common layout of our e-mails (the supplier's name as letterhead, the content, a footer) in Romanian:
 * `lang="ro"` on the HTML so screen readers and translators read it as such; the plain-text part from the same blocks.
 */
export async function renderMail(opts: {
  supplier: string;
  title: string;
  blocks: MailBlock[];
  /** The small print; by default the one for mail about a case (answer by replying, keep the number). */
  footer?: string;
}): Promise<{ html: string; text: string }> {
  const footer = opts.footer ?? DEFAULT_FOOTER;
  const { html, errors } = await mjml2html(
    `<mjml lang="ro" dir="ltr">
  <mj-head>
    <mj-title>${escapeHtml(opts.title)}</mj-title>
    <mj-attributes><mj-all font-family="Arial, Helvetica, sans-serif" /><mj-text font-size="15px" line-height="1.5" color="#1f2937" /></mj-attributes>
  </mj-head>
  <mj-body background-color="#f3f4f6">
    <mj-section background-color="#0f4c81" padding="16px 24px">
      <mj-column><mj-text color="#ffffff" font-size="18px" font-weight="bold">${escapeHtml(opts.supplier)}</mj-text></mj-column>
    </mj-section>
    <mj-section background-color="#ffffff" padding="24px">
      <mj-column>${opts.blocks.map(blockMjml).join('\n      ')}</mj-column>
    </mj-section>
    <mj-section padding="12px 24px">
      <mj-column><mj-text font-size="12px" color="#6b7280">${escapeHtml(footer)}</mj-text></mj-column>
    </mj-section>
  </mj-body>
</mjml>`,
    { validationLevel: 'soft' },
  );
  if (errors.length) throw new Error(`mjml: ${errors.map((e) => e.message).join('; ')}`);
  const text = [opts.supplier, ...opts.blocks.map(blockText), '--', footer].join('\n\n');
  return { html, text };
}
