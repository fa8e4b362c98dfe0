import {
  caseSources,
  complaintCategories,
  customerTypes,
  energies,
  type CaseSource,
  type ComplaintCategory,
  type CustomerType,
  type Energy,
} from '../codes/case-codes.ts';
import { FILING_OUTCOMES, TRIAGE_OUTCOMES, type TriageOutcome } from '../codes/triage-outcomes.ts';
import { DomainError } from '../errors.ts';
import { PAYMENT_METHOD_LABELS } from '../mail/templates/case-letters.ts';
import { roDate } from '../mail/templates/render.ts';

/**
 * The forms a user task can carry (`form` property in the BPMN). Each validates what the officer submitted and
 * says what goes to the case record and what goes to the engine (only what routing needs).
 *
 * One file although past 300 lines: it is one table, a case per form in validateSubmission, each a dozen lines of
 * the same field checks; a file per form would scatter the one list the BPMN `form` property is checked against.
 */
export const TASK_FORMS = [
  'findings',
  'answer',
  'approval',
  'triage',
  'verification',
  'note',
  'operatorRequest',
  'filingApproval',
  'extensionRequest',
  'extensionApproval',
  'compensationPayment',
] as const;
export type TaskForm = (typeof TASK_FORMS)[number];

export interface TaskSubmission {
  findings?: string | undefined;
  answerText?: string | undefined;
  approved?: boolean | undefined;
  comment?: string | undefined;
  outcome?: string | undefined;
  branch?: string | undefined;
  needsOperator?: boolean | undefined;
  needsCorrection?: boolean | undefined;
  questions?: string | undefined;
  /** extensionRequest: the days asked (at most the category rule's extension). */
  extensionDays?: number | undefined;
  /** compensationPayment (IL-29): when, how and how much finance granted. */
  paidOn?: string | undefined;
  paymentMethod?: string | undefined;
  amountLei?: number | undefined;
  /** triage (IL-06): the category, customer type and energy as the officer found them. */
  category?: string | undefined;
  customerType?: string | undefined;
  energy?: string | undefined;
  /** triage: who brought it (consumer | authority) and, for an authority, its name, number and deadline. */
  source?: string | undefined;
  authorityName?: string | undefined;
  authorityReference?: string | undefined;
  authorityDueDate?: string | undefined;
  /** triage (IL-06): further categories the complaint is also about; each gets its own verification, in parallel. */
  additionalCategories?: string[] | undefined;
  /**
   * triage, outcome `incomplete` (IL-06, IL-08): what the consumer must add, written for them: it is the text of the
   * written completion request. The `comment` stays the officer's internal reason.
   */
  missingInformation?: string | undefined;
  /** approval (IL-31): where a rejected answer goes back to, `draft` (the default) or `verification`. */
  returnTo?: string | undefined;
}

/**
 * The case event that holds what the consumer must add (triage, incomplete): internal on the timeline, its text is
 * what the written completion request (request-completion.worker.ts) asks the consumer for.
 */
export const MISSING_INFORMATION_EVENT = 'missing_information';

/** approval: where a rejected answer goes back to (the `returnTo` process variable of complaint-handling.bpmn). */
export const APPROVAL_RETURNS = ['draft', 'verification'] as const;

/** How finance granted a compensation (IL-29): credited on the next invoice, or paid. */
export const PAYMENT_METHODS = ['invoice_credit', 'bank_transfer', 'postal_order'] as const;

const MAX_TEXT = 20_000;

function text(value: string | undefined, field: string, label: string, min = 10): string {
  const v = value?.trim() ?? '';
  if (v.length < min)
    throw new DomainError('TASK_FORM_INVALID', { field }, `${label}: scrieți cel puțin ${min} caractere.`);
  if (v.length > MAX_TEXT)
    throw new DomainError('TASK_FORM_INVALID', { field }, `${label}: cel mult ${MAX_TEXT} de caractere.`);
  return v;
}

export interface ValidatedSubmission {
  caseUpdate: {
    findings?: string;
    answerText?: string;
    filedReason?: string | null;
    kind?: 'complaint' | 'not_a_complaint';
  };
  variables: Record<string, boolean | string>;
  comment?: string;
  /** An internal note for the case timeline (verification results, notes, triage reasons). */
  note?: string;
  /** The questions of a request to the distribution operator. */
  operatorQuestions?: string;
  /** triage, incomplete: what the consumer is asked to add (the completion request's text; consumer-facing). */
  missingInformation?: string;
  /** triage: what the officer says the case is (each field only when given); the service compares and applies. */
  classification?: {
    category?: ComplaintCategory;
    customerType?: CustomerType;
    energy?: Energy;
    source?: CaseSource;
    authorityName?: string;
    authorityReference?: string;
    authorityDueDate?: string;
    additionalCategories?: ComplaintCategory[];
  };
}

/** A classification field: absent stays absent; present must be one of `allowed`, else the form says which. */
function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  field: string,
  message: string,
): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new DomainError('TASK_FORM_INVALID', { field }, message);
  return value as T;
}

/** `properties` are the task's camunda:properties (a verification form lists its `branches`). */
export function validateSubmission(
  form: string | null,
  s: TaskSubmission,
  properties: Record<string, string> = {},
): ValidatedSubmission {
  switch (form) {
    case 'findings':
      return { caseUpdate: { findings: text(s.findings, 'findings', 'Constatările') }, variables: {} };
    case 'answer':
      return { caseUpdate: { answerText: text(s.answerText, 'answerText', 'Răspunsul') }, variables: {} };
    case 'approval': {
      if (typeof s.approved !== 'boolean')
        throw new DomainError('TASK_FORM_INVALID', { field: 'approved' }, 'Alegeți: aprobat sau respins.');
      const comment = s.comment?.trim() ?? '';
      if (!s.approved && comment.length < 5)
        throw new DomainError('TASK_FORM_INVALID', { field: 'comment' }, 'La respingere, scrieți motivul.');
      if (s.approved) return { caseUpdate: {}, variables: { approved: true }, comment };
      const returnTo = s.returnTo ?? 'draft';
      if (!(APPROVAL_RETURNS as readonly string[]).includes(returnTo))
        throw new DomainError(
          'TASK_FORM_INVALID',
          { field: 'returnTo' },
          'Alegeți unde se întoarce răspunsul: la redactare sau la verificare.',
        );
      return { caseUpdate: {}, variables: { approved: false, returnTo }, comment };
    }
    case 'triage': {
      const outcome = s.outcome as TriageOutcome | undefined;
      if (!outcome || !TRIAGE_OUTCOMES.includes(outcome))
        throw new DomainError(
          'TASK_FORM_INVALID',
          { field: 'outcome' },
          'Alegeți rezultatul: admisibilă, incompletă, duplicat, greșit îndreptată, anonimă, nu este o reclamație sau retrasă.',
        );
      const comment = s.comment?.trim() ?? '';
      if (outcome !== 'admissible' && comment.length < 5)
        throw new DomainError('TASK_FORM_INVALID', { field: 'comment' }, 'Motivați încadrarea.');
      // What the consumer reads in the completion request: its own field, never the internal comment.
      const missingInformation =
        outcome === 'incomplete'
          ? text(s.missingInformation, 'missingInformation', 'Ce trebuie să completeze consumatorul')
          : undefined;
      const classification: NonNullable<ValidatedSubmission['classification']> = {};
      const category = oneOf(
        s.category,
        complaintCategories,
        'category',
        'Alegeți una dintre categoriile de plângeri din Ordinul ANRE nr. 16/2015.',
      );
      if (category) classification.category = category;
      const customerType = oneOf(
        s.customerType,
        customerTypes,
        'customerType',
        'Alegeți tipul clientului: casnic sau noncasnic.',
      );
      if (customerType) classification.customerType = customerType;
      const energy = oneOf(
        s.energy,
        energies,
        'energy',
        'Alegeți energia: energie electrică sau gaze naturale.',
      );
      if (energy) classification.energy = energy;
      const source = oneOf(
        s.source,
        caseSources,
        'source',
        'Alegeți sursa: consumatorul sau o autoritate (ANRE, ANPC).',
      );
      if (source) classification.source = source;
      const authorityName = s.authorityName?.trim();
      if (authorityName) classification.authorityName = authorityName.slice(0, 200);
      const authorityReference = s.authorityReference?.trim();
      if (authorityReference) classification.authorityReference = authorityReference.slice(0, 100);
      if (s.authorityDueDate) {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(s.authorityDueDate) || Number.isNaN(Date.parse(s.authorityDueDate)))
          throw new DomainError(
            'TASK_FORM_INVALID',
            { field: 'authorityDueDate' },
            'Termenul autorității: o dată calendaristică (zz.ll.aaaa).',
          );
        classification.authorityDueDate = s.authorityDueDate;
      }
      const verifications = additionalVerifications(s, classification.category);
      // Named further categories also move the due date (the earliest of all); none given leaves them as they were.
      if (s.additionalCategories !== undefined)
        classification.additionalCategories = verifications.additionalCategories
          ? (verifications.additionalCategories.split(',') as ComplaintCategory[])
          : [];
      return {
        // Counted as a complaint (ANRE statistics) unless triage says it is not one.
        caseUpdate: {
          filedReason: FILING_OUTCOMES.includes(outcome) ? outcome : null,
          kind: outcome === 'not_a_complaint' ? 'not_a_complaint' : 'complaint',
        },
        variables: { triage: outcome, ...verifications },
        comment,
        note: `Încadrare: ${outcome}${comment ? ` – ${comment}` : ''}`,
        classification,
        ...(missingInformation ? { missingInformation } : {}),
      };
    }
    case 'verification': {
      const findings = text(s.findings, 'findings', 'Rezultatul verificării');
      const branches = (properties.branches ?? '')
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean);
      const variables: Record<string, boolean | string> = {
        needsOperator: s.needsOperator === true,
        needsCorrection: s.needsCorrection === true,
      };
      if (branches.length) {
        if (!s.branch || !branches.includes(s.branch))
          throw new DomainError(
            'TASK_FORM_INVALID',
            { field: 'branch' },
            `Alegeți ce se verifică în continuare: ${branches.join(', ')}.`,
          );
        variables.branch = s.branch;
      }
      return { caseUpdate: {}, variables, note: findings };
    }
    case 'note':
      return { caseUpdate: {}, variables: {}, note: text(s.comment, 'comment', 'Nota', 5) };
    case 'operatorRequest':
      return {
        caseUpdate: {},
        variables: {},
        operatorQuestions: text(s.questions, 'questions', 'Întrebările către OD'),
      };
    // SEF approves (or sends back to triage) a filing; SEF approves an extension of the deadline (IL-08, IL-32).
    case 'filingApproval':
    case 'extensionApproval': {
      if (typeof s.approved !== 'boolean')
        throw new DomainError('TASK_FORM_INVALID', { field: 'approved' }, 'Alegeți: aprobat sau respins.');
      const comment = s.comment?.trim() ?? '';
      if (!s.approved && comment.length < 5)
        throw new DomainError('TASK_FORM_INVALID', { field: 'comment' }, 'La respingere, scrieți motivul.');
      const filing = form === 'filingApproval';
      return {
        caseUpdate: {},
        variables: { [filing ? 'filingApproved' : 'extensionApproved']: s.approved },
        comment,
        note: `${filing ? 'Clasarea' : 'Prelungirea termenului'}: ${s.approved ? 'aprobată' : 'respinsă'}${comment ? ` – ${comment}` : ''}`,
      };
    }
    // The officer proposes an extension: the reason goes into the notice to the consumer.
    case 'extensionRequest': {
      const reason = text(s.comment, 'comment', 'Motivul prelungirii');
      const days = s.extensionDays;
      if (days !== undefined && (!Number.isInteger(days) || days < 1))
        throw new DomainError(
          'TASK_FORM_INVALID',
          { field: 'extensionDays' },
          'Numărul de zile: cel puțin 1.',
        );
      return {
        caseUpdate: {},
        variables: { extensionReason: reason, ...(days ? { extensionDays: String(days) } : {}) },
        note: `Prelungire propusă: ${reason}`,
      };
    }
    // Finance records how the compensation was granted; the worker that follows notifies the consumer.
    case 'compensationPayment': {
      const method = s.paymentMethod as (typeof PAYMENT_METHODS)[number] | undefined;
      if (!method || !PAYMENT_METHODS.includes(method))
        throw new DomainError(
          'TASK_FORM_INVALID',
          { field: 'paymentMethod' },
          'Alegeți modul de acordare: compensare în factură, transfer bancar sau mandat poștal.',
        );
      if (!s.paidOn || !/^\d{4}-\d{2}-\d{2}$/.test(s.paidOn) || Number.isNaN(Date.parse(s.paidOn)))
        throw new DomainError(
          'TASK_FORM_INVALID',
          { field: 'paidOn' },
          'Data acordării compensației: o dată validă (AAAA-LL-ZZ).',
        );
      if (typeof s.amountLei !== 'number' || !Number.isInteger(s.amountLei) || s.amountLei <= 0)
        throw new DomainError(
          'TASK_FORM_INVALID',
          { field: 'amountLei' },
          'Suma acordată: un număr întreg de lei, mai mare decât zero.',
        );
      return {
        caseUpdate: {},
        variables: {
          compensationPaidOn: s.paidOn,
          compensationPaymentMethod: method,
          compensationPaidLei: String(s.amountLei),
        },
        // The history is read by people: the method's Romanian name and the date as written in Romania.
        note: `Compensație acordată: ${s.amountLei} lei (${PAYMENT_METHOD_LABELS[method]}), la ${roDate(s.paidOn)}.`,
      };
    }
    default:
      return { caseUpdate: {}, variables: {} };
  }
}

/**
 * triage: the further categories a complaint is also about (billing and metering at once). The handling process
 * runs one verification per category in parallel: `verificationCount` instances, the first for `category`, the
 * i-th for the i-th of `additionalCategories` (the routing DMN picks it, processes/complaint-routing.dmn).
 */
function additionalVerifications(
  s: TaskSubmission,
  main: string | undefined,
): { additionalCategories: string; verificationCount: string } {
  const list = s.additionalCategories ?? [];
  if (!Array.isArray(list) || list.some((c) => !complaintCategories.includes(c as ComplaintCategory)))
    throw new DomainError(
      'TASK_FORM_INVALID',
      { field: 'additionalCategories' },
      'Categoriile suplimentare trebuie alese dintre categoriile de plângeri din Ordinul ANRE nr. 16/2015.',
    );
  const extra = [...new Set(list)].filter((c) => c !== main);
  return { additionalCategories: extra.join(','), verificationCount: String(1 + extra.length) };
}
