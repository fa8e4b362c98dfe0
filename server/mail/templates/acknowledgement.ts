import { escapeHtml, renderLayout, roDate } from './render.ts';

export interface AcknowledgementData {
  supplier: string;
  number: string;
  receivedAt: string;
  registeredOn: string;
  dueDate: string;
  statusUrl: string;
  accessCode: string;
  subject: string;
}

/** The acknowledgement the law requires: the registration number and date, and when the answer is due. */
export async function renderAcknowledgement(d: AcknowledgementData) {
  const subject = `Reclamația dumneavoastră a fost înregistrată cu nr. ${d.number}`;
  const receivedAt = new Date(d.receivedAt).toLocaleString('ro-RO', { timeZone: 'Europe/Bucharest' });
  const html = await renderLayout({
    supplier: d.supplier,
    title: subject,
    bodyMjml: `
      <mj-text font-size="20px" font-weight="bold">Am înregistrat reclamația dumneavoastră</mj-text>
      <mj-text>Număr de înregistrare: <strong>${escapeHtml(d.number)}</strong><br/>
        Primită la: ${escapeHtml(receivedAt)}<br/>
        Data înregistrării: ${roDate(d.registeredOn)}<br/>
        Termenul de răspuns: <strong>${roDate(d.dueDate)}</strong><br/>
        Subiect: ${escapeHtml(d.subject)}</mj-text>
      <mj-text>Puteți urmări stadiul reclamației online, cu numărul de înregistrare și codul de acces <strong>${escapeHtml(d.accessCode)}</strong>.</mj-text>
      <mj-button href="${escapeHtml(d.statusUrl)}" background-color="#0f4c81" align="left">Urmăriți reclamația</mj-button>
      <mj-text>Vă rugăm să menționați numărul de înregistrare în orice corespondență ulterioară.</mj-text>`,
  });
  const text = [
    'Am înregistrat reclamația dumneavoastră.',
    `Număr de înregistrare: ${d.number}`,
    `Primită la: ${receivedAt}`,
    `Data înregistrării: ${roDate(d.registeredOn)}`,
    `Termenul de răspuns: ${roDate(d.dueDate)}`,
    `Urmăriți reclamația: ${d.statusUrl} (cod de acces: ${d.accessCode})`,
  ].join('\n');
  return { subject, html, text };
}
