import type { DbOrTx } from '../db/client.ts';
import type { ComplaintCategory, DocumentKind, Tenant } from '../db/schema/index.ts';
import { CATEGORY_LABELS } from '../codes/case-codes.ts';
import { businessClock } from '../deadlines/index.ts';
import {
  acknowledgementLetter,
  answerLetter,
  letterheadOf,
  noticeLetter,
  queueLetter,
  renderPdf,
  storeCaseDocument,
  verificationReport,
  type LetterCase,
} from '../documents/index.ts';
import { getTenant } from '../tenants/index.ts';
import { statusLinkOf } from './access-code.ts';
import { getCaseById, getCaseByNumber, taskNotesOf } from './cases.repo.ts';

/*
 * The case's letters: the acknowledgement, the answer and its verification report, the notices of the process
 * paths, and the letter that replaces an e-mail that bounced. What they say is the case's; the documents module
 * stores them and keeps the postal register.
 */

async function letterCase(db: DbOrTx, tenantId: string, number: string) {
  const row = await getCaseByNumber(db, tenantId, number);
  if (!row) throw new Error(`case ${number} not found`);
  const c = row.case;
  const lc: LetterCase = {
    number: c.number,
    receivedAt: c.receivedAt,
    registeredOn: c.registeredOn,
    dueDate: c.dueDate,
    category: c.category,
    subject: c.subject,
    contactName: c.contactName,
    address: row.customer?.address ?? row.place?.address ?? null,
    customerCode: row.customer?.customerCode ?? null,
    placeCode: row.place?.placeCode ?? null,
  };
  return { c, lc, label: CATEGORY_LABELS[c.category as ComplaintCategory] ?? c.category };
}

/** The answer letter and the verification report of a case, issued once each (PDF, stored with SHA-256). */
export async function issueAnswerDocuments(db: DbOrTx, tenant: Tenant, number: string) {
  const { c, lc, label } = await letterCase(db, tenant.id, number);
  const issuedOn = businessClock(new Date()).date;
  const notes = await taskNotesOf(db, c.id);
  const l = letterheadOf(tenant);
  const [report, answer] = await Promise.all([
    renderPdf(
      verificationReport(l, lc, {
        categoryLabel: label,
        findings: c.findings ?? '—',
        verifications: notes,
        issuedOn,
        author: 'Responsabil soluționare plângeri',
      }),
    ),
    renderPdf(
      answerLetter(l, lc, {
        categoryLabel: label,
        answerText: c.answerText ?? '',
        signatory: 'Șef serviciu relații clienți',
        issuedOn,
        legalBasis: c.deadlineRule.legalBasis,
      }),
    ),
  ]);
  return {
    report: await storeCaseDocument(db, tenant.id, c.id, c.number, 'verification_report', report),
    answer: await storeCaseDocument(db, tenant.id, c.id, c.number, 'answer_letter', answer),
    address: lc.address,
  };
}

export async function issueAcknowledgementLetter(
  db: DbOrTx,
  tenant: Tenant,
  number: string,
  link: { statusUrl: string; accessCode: string },
) {
  const { c, lc, label } = await letterCase(db, tenant.id, number);
  const pdf = await renderPdf(
    acknowledgementLetter(letterheadOf(tenant), lc, {
      categoryLabel: label,
      ...link,
      issuedOn: businessClock(new Date()).date,
      legalBasis: c.deadlineRule.legalBasis,
    }),
  );
  return {
    doc: await storeCaseDocument(db, tenant.id, c.id, c.number, 'acknowledgement_letter', pdf),
    address: lc.address,
  };
}

/**
 * A notice of the process paths as a PDF letter (issued once per kind and case; a retry reuses it), for a consumer
 * without e-mail: the caller queues it in the postal dispatch register.
 */
export async function issueNoticeLetter(
  db: DbOrTx,
  tenant: Tenant,
  number: string,
  kind: Extract<
    DocumentKind,
    'completion_request_letter' | 'extension_letter' | 'filing_letter' | 'compensation_letter'
  >,
  letter: {
    title: string;
    facts: Array<{ label: string; value: string }>;
    paragraphs: string[];
    legalBasis: string;
  },
) {
  const { c, lc } = await letterCase(db, tenant.id, number);
  const pdf = await renderPdf(
    noticeLetter(letterheadOf(tenant), lc, { ...letter, issuedOn: businessClock(new Date()).date }),
  );
  return { doc: await storeCaseDocument(db, tenant.id, c.id, c.number, kind, pdf), address: lc.address };
}

/** The address a letter to the case's consumer goes to (the customer's or the place's), if we know one. */
export async function postalAddressOf(db: DbOrTx, tenantId: string, number: string): Promise<string | null> {
  return (await letterCase(db, tenantId, number)).lc.address;
}

/**
 * Our e-mail to the consumer bounced: the same content goes by post. The acknowledgement is issued as a letter
 * (status link and access code included), the answer letter was issued with the answer; either is queued once in
 * the postal dispatch register (the register and the documents refuse a second copy). Other kinds of our
 * e-mails have no letter: false, and the case's bounce flag is all there is.
 */
export async function queueLetterAfterBounce(
  db: DbOrTx,
  secret: string,
  tenantId: string,
  caseId: string,
  messageKind: string,
): Promise<boolean> {
  if (messageKind !== 'acknowledgement' && messageKind !== 'answer') return false;
  const [c, tenant] = await Promise.all([getCaseById(db, tenantId, caseId), getTenant(db, tenantId)]);
  if (!c || !tenant) return false;
  let letter: { id: number; address: string | null };
  if (messageKind === 'acknowledgement') {
    const ack = await issueAcknowledgementLetter(
      db,
      tenant,
      c.number,
      statusLinkOf(secret, tenant, c.number),
    );
    letter = { id: ack.doc.id, address: ack.address };
  } else {
    const docs = await issueAnswerDocuments(db, tenant, c.number);
    letter = { id: docs.answer.id, address: docs.address };
  }
  await queueLetter(db, {
    tenantId,
    caseId,
    documentId: letter.id,
    recipientName: c.contactName,
    address: letter.address,
  });
  return true;
}
