import { BUSINESS_TZ } from '../../codes/business-date.ts';
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
  /**
   * The earlier case this one is linked to (a further message after that case was answered or filed, or a
   * contestation of its answer): the consumer is told the new number and the link.
   */
  earlier?: { number: string; statusLabel: string } | null;
  /** The legal basis of the case's deadline (its rule), named with the registration's. */
  legalBasis?: string | undefined;
}

/** Registration with a number at receipt (Order 83/2021) in the complaint procedure (Order 16/2015). */
export const REGISTRATION_LEGAL_BASIS =
  'Ordinul ANRE nr. 16/2015 (procedura-cadru de soluționare a plângerilor); Ordinul ANRE nr. 83/2021 (înregistrarea cu număr unic la primire)';

/** The acknowledgement the law requires: the registration number and date, and when the answer is due. */
export async function renderAcknowledgement(d: AcknowledgementData) {
  const subject = `Reclamația dumneavoastră a fost înregistrată cu nr. ${d.number}`;
  const receivedAt = new Date(d.receivedAt).toLocaleString('ro-RO', { timeZone: BUSINESS_TZ });
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
          ...(d.earlier ? [{ label: 'Reclamația anterioară', value: d.earlier.number }] : []),
        ],
      },
      ...(d.earlier
        ? [
            {
              text:
                `Mesajul dumneavoastră privește reclamația anterioară nr. ${d.earlier.number} ` +
                `(${d.earlier.statusLabel.toLowerCase()}). L-am înregistrat ca reclamație nouă, legată de aceasta, cu ` +
                'numărul, data și termenul de mai sus; dosarul anterior rămâne neschimbat. Vom stabili dacă este o ' +
                'contestație a modului în care a fost rezolvată reclamația anterioară (Ordinul ANRE nr. 16/2015, ' +
                'art. 2 alin. (1) lit. i)) sau o reclamație nouă și vă vom răspunde în termen.',
            },
          ]
        : []),
      {
        text: `Puteți urmări stadiul reclamației online, cu numărul de înregistrare și codul de acces ${d.accessCode}.`,
      },
      { button: 'Urmăriți reclamația', href: d.statusUrl },
      { text: 'Vă rugăm să menționați numărul de înregistrare în orice corespondență ulterioară.' },
      {
        small: true,
        text: `Temei legal: ${REGISTRATION_LEGAL_BASIS}${d.legalBasis ? `; termenul de răspuns: ${d.legalBasis}` : ''}.`,
      },
    ],
  });
  return { subject, html, text };
}
