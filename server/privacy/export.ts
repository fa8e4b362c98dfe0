import { createHash } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import type { Db } from '../db/client.ts';
import { logAccess } from '../audit/index.ts';
import { getBlob } from '../documents/index.ts';
import { collectSubject, documentContent, type ExportSubject, type SubjectData } from './export.repo.ts';

export type { ExportSubject, SubjectData };

/**
 * The data-subject export (GDPR art. 15 and 20): everything held about one person, found by the customer file or by
 * e-mail address, as a ZIP of JSON files plus the documents and attachments as stored. The archive is streamed:
 * JSON parts are deflated, binary parts stored as they are (PDFs and most attachments are compressed already), and
 * blobs are read one at a time, so a person with many files does not fill the memory.
 */
const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v, null, 2));

/** Only characters that are safe in a ZIP entry name on every system (no path separators, no control chars). */
function safeName(s: string): string {
  let out = '';
  for (const ch of s.slice(0, 120)) {
    const c = ch.codePointAt(0)!;
    out += c < 0x20 || '/\\:*?"<>|'.includes(ch) ? '_' : ch;
  }
  return out.replace(/^\.+/, '_') || 'fisier';
}

export async function exportSubject(
  db: Db,
  tenantId: string,
  actorId: string,
  subject: ExportSubject,
  via: string | null,
): Promise<{ stream: Readable; fileName: string; data: SubjectData }> {
  const d = await collectSubject(db, tenantId, subject);
  await logAccess(db, {
    tenantId,
    actorId,
    subjectType: 'export',
    // Ids only in the log: a person known by e-mail alone is named by the SHA-256 of the address.
    subjectId:
      d.customer?.id ??
      `email-sha256:${createHash('sha256')
        .update(d.emails[0] ?? '')
        .digest('hex')}`,
    customerId: d.customer?.id ?? null,
    via,
  });
  const numberOf = new Map(d.caseRows.map((c) => [c.id, c.number]));
  const out = new PassThrough();
  const zip = new Zip((err, chunk, final) => {
    if (err) return out.destroy(err);
    out.write(Buffer.from(chunk));
    if (final) out.end();
  });
  const addJson = (name: string, v: unknown) => {
    const f = new ZipDeflate(name, { level: 6 });
    zip.add(f);
    f.push(json(v), true);
  };
  const addBinary = (name: string, bytes: Uint8Array) => {
    const f = new ZipPassThrough(name);
    zip.add(f);
    f.push(bytes, true);
  };
  const run = async () => {
    addJson('README.json', {
      continut:
        'Datele cu caracter personal păstrate despre persoana vizată (Regulamentul (UE) 2016/679, art. 15 și 20): ' +
        'fișa de client și locurile de consum, dosarele de reclamație cu istoricul lor, mesajele primite și trimise, ' +
        'documentele emise, contul din portal, cererile GDPR și jurnalul accesărilor datelor de către personal.',
      generatLa: new Date().toISOString(),
    });
    addJson('client.json', d.customer ? { ...d.customer, locuriDeConsum: d.placeRows } : null);
    addJson(
      'dosare.json',
      d.caseRows.map((c) => ({
        ...c,
        searchText: undefined,
        evenimente: d.events.filter((e) => e.caseId === c.id),
      })),
    );
    addJson(
      'mesaje-primite.json',
      d.inbound.map((m) => ({
        id: m.id,
        dosar: m.caseId ? numberOf.get(m.caseId) : null,
        primitLa: m.arrivedAt,
        de: m.fromAddress,
        nume: m.fromName,
        subiect: m.subject,
        text: m.textBody,
        atasamente: d.attachments
          .filter((a) => a.inboundMessageId === m.id)
          .map((a) => ({
            id: a.id,
            fisier: a.filename,
            tip: a.contentType,
            dimensiune: a.size,
            sha256: a.sha256,
          })),
      })),
    );
    addJson(
      'mesaje-trimise.json',
      d.sent.map((m) => ({ ...m, dosar: numberOf.get(m.caseId) })),
    );
    addJson(
      'documente.json',
      d.docs.map((x) => ({ ...x, dosar: numberOf.get(x.caseId) })),
    );
    addJson('cont-portal.json', { conturi: d.accounts, trimiteri: d.submissions });
    addJson('cereri-gdpr.json', d.requests);
    addJson('jurnal-acces.json', d.access);
    // Binary parts, one blob in memory at a time.
    for (const doc of d.docs) {
      const content = await documentContent(db, doc.id);
      if (content)
        addBinary(`documente/${numberOf.get(doc.caseId)}/${doc.id}-${safeName(doc.fileName)}`, content);
    }
    for (const a of d.attachments) {
      const blob = await getBlob(db, tenantId, a.sha256);
      const m = d.inbound.find((x) => x.id === a.inboundMessageId);
      if (blob)
        addBinary(
          `atasamente/${m?.caseId ? numberOf.get(m.caseId) : 'fara-dosar'}/${a.id}-${safeName(a.filename ?? 'atasament')}`,
          blob,
        );
    }
    zip.end();
  };
  run().catch((err: unknown) => out.destroy(err as Error));
  const key = d.customer?.customerCode ?? 'persoana';
  return { stream: out, fileName: `export-date-${safeName(key)}.zip`, data: d };
}
