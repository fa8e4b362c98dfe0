/**
 * The intake officer's work on quarantined mail (createQuarantineService below): list, safe text view, raw .eml,
 * register as a complaint or as a GDPR request, mark handled, each step audited. One file although past 300 lines:
 * every action loads the same row, re-parses the same stored bytes and writes the same audit entry.
 */
import type { Principal } from '../auth/index.ts';
import type { Db } from '../db/client.ts';
import type { DataSubjectRight } from '../codes/privacy-codes.ts';
import { requireDpoOrOfficer, type DsrService } from '../privacy/index.ts';
import { appendAudit, logAccess, logCaseAccess } from '../audit/index.ts';
import { addCaseEvent } from '../cases/index.ts';
import type { CaseSource, ComplaintCategory } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { getBlob } from '../documents/index.ts';
import { insertInbound } from './mail/inbound.repo.ts';
import {
  getQuarantined,
  pageOfQuarantine,
  resolveQuarantined,
  type QuarantinedMessage,
} from './quarantine.repo.ts';
import { parseMessage, sha256Hex, type ParsedInbound } from './mail/parse-message.ts';
import { registerComplaint, type RegisterDeps } from './register-complaint.ts';

export type QuarantineStatus = 'open' | 'resolved' | 'all';

/** Largest text shown in the safe view; the whole message is in the .eml download. */
const MAX_TEXT = 200_000;

type Row = QuarantinedMessage;

function summary(r: Row, caseNumber: string | null) {
  return {
    id: r.id,
    reason: r.reason,
    fromAddress: r.fromAddress,
    subject: r.subject,
    arrivedAt: (r.arrivedAt ?? r.createdAt).toISOString(),
    size: r.size,
    folder: r.folder,
    status: r.resolvedAt ? ('resolved' as const) : ('open' as const),
    resolution: r.resolution,
    resolutionNote: r.resolutionNote,
    resolvedAt: r.resolvedAt?.toISOString() ?? null,
    caseNumber,
  };
}

/** The raw bytes as text a person can read safely: control characters dropped, never rendered as HTML. */
function printable(raw: Buffer): string {
  return raw
    .subarray(0, MAX_TEXT)
    .toString('latin1')
    .replace(/[^\t\n\r\x20-\x7e\xa0-\xff]/g, '');
}

/**
 * What could not be processed automatically, for the intake officer: list, a text-only view, the raw .eml, and two
 * ways out, "register as complaint" (after the officer fixed what was missing) or "handled" with a reason. A row is
 * never deleted (the mailbox's Quarantine folder keeps the message too); every step is audited.
 */
export function createQuarantineService(deps: RegisterDeps) {
  const { db } = deps;

  async function load(p: Principal, id: number) {
    const row = await getQuarantined(db, p.tenantId, id);
    if (!row) throw new DomainError('QUARANTINE_NOT_FOUND');
    return row;
  }

  async function audit(
    p: Principal,
    action: string,
    id: number | '*',
    details: Record<string, unknown> = {},
  ) {
    await appendAudit(db, {
      tenantId: p.tenantId,
      actorId: p.userId,
      actorKind: 'user',
      action,
      entityType: 'mail_quarantine',
      entityId: String(id),
      details,
    });
  }

  /**
   * A quarantined message is a received message whose sender and text are personal data: the view and the
   * download are in the access log too (`quarantine:<id>`, as the postal register names its letters), with the
   * person of the case it was registered as, when it was.
   */
  async function logRead(p: Principal, row: Row, via: string | null) {
    const entry = { tenantId: p.tenantId, actorId: p.userId, subjectType: 'message' as const, via };
    const subjectId = `quarantine:${row.id}`;
    if (row.caseId) await logCaseAccess(db, { ...entry, subjectIds: [subjectId], caseId: row.caseId });
    else await logAccess(db, { ...entry, subjectId });
  }

  async function list(p: Principal, q: { status: QuarantineStatus; page: number; pageSize: number }) {
    const { rows, total } = await pageOfQuarantine(db, p.tenantId, q);
    // Senders and subjects are personal data: record who listed them (not what).
    await audit(p, 'quarantine.listed', '*', { results: rows.length, status: q.status });
    return { items: rows.map((r) => summary(r.q, r.caseNumber)), total };
  }

  async function parsedOf(
    tenantId: string,
    row: Row,
  ): Promise<{ raw: Buffer | null; parsed: ParsedInbound | null }> {
    const raw = row.rawSha256 ? await getBlob(db, tenantId, row.rawSha256) : null;
    if (!raw) return { raw: null, parsed: null };
    try {
      return { raw, parsed: await parseMessage(raw) };
    } catch {
      return { raw, parsed: null };
    }
  }

  /** One message: its summary, the headers that matter and its text (never its HTML). The view is audited. */
  async function get(p: Principal, id: number, via: string | null = null) {
    const { q, caseNumber } = await load(p, id);
    const { raw, parsed } = await parsedOf(p.tenantId, q);
    await audit(p, 'quarantine.viewed', id);
    await logRead(p, q, via);
    return {
      ...summary(q, caseNumber),
      rawAvailable: raw !== null,
      parsed: parsed !== null,
      headers: parsed
        ? {
            from: parsed.header('from'),
            to: parsed.header('to'),
            cc: parsed.header('cc'),
            date: parsed.header('date'),
            subject: parsed.subject,
            messageId: parsed.messageId,
          }
        : null,
      fromName: parsed?.fromName ?? null,
      text: parsed ? parsed.text.slice(0, MAX_TEXT) : raw ? printable(raw) : '',
      attachments: (parsed?.attachments ?? []).map((a) => ({
        filename: a.filename,
        contentType: a.contentType,
        size: a.size,
      })),
    };
  }

  /** The message exactly as received (RFC 822), for a mail program. The download is audited. */
  async function raw(p: Principal, id: number, via: string | null = null) {
    const { q } = await load(p, id);
    const bytes = q.rawSha256 ? await getBlob(db, p.tenantId, q.rawSha256) : null;
    if (!bytes) throw new DomainError('QUARANTINE_RAW_MISSING');
    await audit(p, 'quarantine.downloaded', id);
    await logRead(p, q, via);
    return { bytes, sha256: q.rawSha256!, fileName: `carantina-${id}.eml` };
  }

  /**
   * Registers the message as an e-mail complaint with what the officer completed (category, text, contact,
   * customer). The quarantine row is resolved in the registration's own transaction, so two officers can never
   * register it twice (the second is refused and its number rolled back).
   */
  async function register(
    p: Principal,
    id: number,
    input: {
      category: ComplaintCategory;
      subject: string;
      body: string;
      contactName?: string | undefined;
      contactEmail?: string | undefined;
      contactPhone?: string | undefined;
      customerId?: string | undefined;
      placeId?: string | undefined;
      source?: CaseSource | undefined;
      authorityName?: string | undefined;
      authorityReference?: string | undefined;
      authorityDueDate?: string | undefined;
    },
  ) {
    const { q } = await load(p, id);
    if (q.resolvedAt) throw new DomainError('QUARANTINE_RESOLVED');
    const { raw, parsed } = await parsedOf(p.tenantId, q);
    const reg = await registerComplaint(
      deps,
      {
        tenantId: p.tenantId,
        channel: 'email',
        category: input.category,
        subject: input.subject,
        body: input.body,
        customerId: input.customerId,
        placeId: input.placeId,
        contactName: input.contactName,
        contactEmail: input.contactEmail,
        contactPhone: input.contactPhone,
        source: input.source,
        authorityName: input.authorityName,
        authorityReference: input.authorityReference,
        authorityDueDate: input.authorityDueDate,
        receivedAt: q.arrivedAt ?? q.createdAt,
        actor: { id: p.userId, kind: 'user' },
      },
      {
        inTransaction: async (tx, c) => {
          const done = await resolveQuarantined(tx, p.tenantId, id, {
            resolvedBy: p.userId,
            resolution: 'registered',
            resolutionNote: `Înregistrată ca reclamația ${c.number}.`,
            caseId: c.id,
          });
          if (!done) throw new DomainError('QUARANTINE_RESOLVED');
          if (raw) {
            // What was received stays with the case, as for any e-mail complaint.
            const sha = q.rawSha256 ?? sha256Hex(raw);
            await insertInbound(
              tx,
              {
                tenantId: p.tenantId,
                messageId: parsed?.messageId ?? null,
                rawSha256: sha,
                dedupeKey: `quarantine:${id}|${sha}`,
                size: raw.length,
                arrivedAt: q.arrivedAt ?? q.createdAt,
                fromAddress: q.fromAddress,
                fromName: parsed?.fromName ?? null,
                subject: parsed?.subject ?? q.subject ?? '',
                textBody: parsed?.text ?? printable(raw),
                safeHtml: parsed?.safeHtml ?? null,
                kind: 'complaint',
                reason: `din carantină: ${q.reason}`.slice(0, 500),
                caseId: c.id,
              },
              [],
            );
          }
          await addCaseEvent(tx, {
            tenantId: p.tenantId,
            caseId: c.id,
            type: 'registered_from_quarantine',
            visibility: 'internal',
            message: `Mesajul din carantină (${q.reason}) a fost completat și înregistrat de ofițer.`,
            actorId: p.userId,
          });
          await appendAudit(tx, {
            tenantId: p.tenantId,
            actorId: p.userId,
            actorKind: 'user',
            action: 'quarantine.registered',
            entityType: 'mail_quarantine',
            entityId: String(id),
            details: { caseId: c.id, number: c.number },
          });
        },
      },
    );
    return { id, number: reg.number, dueDate: reg.dueDate, processStarted: reg.processStarted };
  }

  /** Closes a message without a case (spam, duplicate, not a complaint), with the officer's reason. */
  async function markHandled(p: Principal, id: number, reason: string) {
    await load(p, id);
    const row = await db.transaction(async (tx) => {
      const done = await resolveQuarantined(tx, p.tenantId, id, {
        resolvedBy: p.userId,
        resolution: 'handled',
        resolutionNote: reason,
      });
      if (!done) throw new DomainError('QUARANTINE_RESOLVED');
      await appendAudit(tx, {
        tenantId: p.tenantId,
        actorId: p.userId,
        actorKind: 'user',
        action: 'quarantine.handled',
        entityType: 'mail_quarantine',
        entityId: String(id),
        details: {},
      });
      return done;
    });
    return summary(row, null);
  }

  return { list, get, raw, register, markHandled };
}

export type QuarantineService = ReturnType<typeof createQuarantineService>;

/**
 * A quarantined e-mail that is a GDPR request: the privacy module registers it from what could be read (its own
 * number, due one month after receipt), and the quarantine is resolved with that number. The officer who found it
 * or the DPO does it.
 */
export async function registerQuarantinedAsGdprRequest(
  deps: { db: Db; dsr: Pick<DsrService, 'register'> },
  p: Principal,
  quarantineId: number,
  right: DataSubjectRight,
  details: string,
) {
  requireDpoOrOfficer(p);
  const found = await getQuarantined(deps.db, p.tenantId, quarantineId);
  const q = found?.q;
  if (!q || q.resolvedAt) throw new DomainError('NOT_FOUND', { quarantineId });
  const registered = await deps.dsr.register(p.tenantId, p.userId, {
    right,
    channel: 'email',
    details,
    contactName: q.fromAddress ?? 'Expeditor necunoscut',
    contactEmail: q.fromAddress ?? undefined,
    receivedAt: q.arrivedAt ?? q.createdAt,
  });
  await resolveQuarantined(deps.db, p.tenantId, q.id, {
    resolvedBy: p.userId,
    resolution: 'handled',
    resolutionNote: `cerere GDPR ${registered.number}`,
  });
  return registered;
}
