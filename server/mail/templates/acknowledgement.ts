import { renderMail, roDate } from './render.ts';

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
  const { html, text } = await renderMail({
    supplier: d.supplier,
    title: subject,
    blocks: [
      { heading: 'Am înregistrat reclamația dumneavoastră' },
      {
        facts: [
          { label: 'Număr de înregistrare', value: d.number, strong: true },
          { label: 'Primită la', value: receivedAt },
          { label: 'Data înregistrării', value: roDate(d.registeredOn) },
          { label: 'Termenul de răspuns', value: roDate(d.dueDate), strong: true },
          { label: 'Subiect', value: d.subject },
        ],
      },
      {
        text: `Puteți urmări stadiul reclamației online, cu numărul de înregistrare și codul de acces ${d.accessCode}.`,
      },
      { button: 'Urmăriți reclamația', href: d.statusUrl },
      { text: 'Vă rugăm să menționați numărul de înregistrare în orice corespondență ulterioară.' },
    ],
  });
  return { subject, html, text };
}
