/**
 * The request and response schemas of /api/complaints (typebox; the OpenAPI spec and the pages' generated client
 * come from them). One file although past 300 lines: they are one resource's contract, most of it the case detail
 * the case page shows; the route plugin (index.ts) and the generated client read them together.
 */
import { Type } from 'typebox';
import type {
  CaseKind,
  CaseSource,
  CaseStatus,
  Channel,
  ComplaintCategory,
  CustomerType,
  Energy,
} from '../../../db/schema/index.ts';
import {
  caseKinds,
  caseSources,
  channels,
  complaintCategories,
  caseStatuses,
  customerTypes,
  energies,
} from '../../../codes/case-codes.ts';
import { CaseNumber, IsoDate, IsoDateTime, PageQuery, Uuid, Nullable } from '../common.schemas.ts';

export const MAX_BODY_CHARS = 50_000;

export const CategorySchema = Type.Unsafe<ComplaintCategory>({
  type: 'string',
  enum: [...complaintCategories],
});
const DeadlineRuleSchema = Type.Object({
  days: Type.Integer(),
  unit: Type.Union([Type.Literal('working'), Type.Literal('calendar')]),
  legalBasis: Type.String(),
});

export const CreateComplaintSchema = Type.Object(
  {
    category: CategorySchema,
    subject: Type.String({ minLength: 3, maxLength: 200 }),
    body: Type.String({ minLength: 10, maxLength: MAX_BODY_CHARS }),
    customerId: Type.Optional(Uuid),
    placeId: Type.Optional(Uuid),
    contactName: Type.Optional(Type.String({ minLength: 2, maxLength: 200 })),
    contactEmail: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    contactPhone: Type.Optional(Type.String({ pattern: '^[+0-9 ()./-]{6,20}$' })),
  },
  { additionalProperties: false },
);

/** Codes that used to be categories: refused with a message that says what to do instead. */
export const FORMER_CATEGORIES = ['sesizare_autoritate', 'cerere_gdpr'] as const;

/** Registration by staff: a complaint of the consumer, or an authority's referral with its reference and deadline. */
const { category: _category, ...complaintFields } = CreateComplaintSchema.properties;
export const RegisterComplaintSchema = Type.Object(
  {
    ...complaintFields,
    category: Type.Unsafe<ComplaintCategory | (typeof FORMER_CATEGORIES)[number]>({
      type: 'string',
      enum: [...complaintCategories, ...FORMER_CATEGORIES],
      description:
        'Order 16/2015 art. 2(1). sesizare_autoritate and cerere_gdpr are refused with a reason: an authority is a `source`, a GDPR request is not a complaint.',
    }),
    source: Type.Optional(
      Type.Unsafe<CaseSource>({
        type: 'string',
        enum: [...caseSources],
        description: 'consumer (default) or authority (a referral from ANRE, ANPC…)',
      }),
    ),
    authorityName: Type.Optional(Type.String({ minLength: 2, maxLength: 200 })),
    authorityReference: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    authorityDueDate: Type.Optional(IsoDate),
  },
  { additionalProperties: false },
);

export const RegisteredComplaintSchema = Type.Object({
  id: Type.String(),
  number: Type.String(),
  receivedAt: IsoDateTime,
  registeredOn: IsoDate,
  dueDate: IsoDate,
  accessCode: Type.String({
    description: 'Give it to the consumer: with the number it opens the public status page.',
  }),
  processStarted: Type.Boolean({
    description: 'False when the engine was unreachable; the start is retried.',
  }),
  deadlineRule: DeadlineRuleSchema,
});

export const ListComplaintsQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  ...PageQuery,
});

export const CaseSummarySchema = Type.Object({
  id: Type.String(),
  number: Type.String(),
  status: Type.Unsafe<CaseStatus>({ type: 'string', enum: [...caseStatuses] }),
  channel: Type.Unsafe<Channel>({ type: 'string', enum: [...channels] }),
  category: CategorySchema,
  subject: Type.String(),
  contactName: Type.String(),
  receivedAt: IsoDateTime,
  registeredOn: IsoDate,
  dueDate: IsoDate,
  customerCode: Nullable(Type.String()),
  placeCode: Nullable(Type.String()),
});

export const CaseListSchema = Type.Object({
  items: Type.Array(CaseSummarySchema),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});

export const NumberParams = Type.Object({ number: CaseNumber });

export const CustomerTypeSchema = Type.Unsafe<CustomerType>({ type: 'string', enum: [...customerTypes] });
export const EnergySchema = Type.Unsafe<Energy>({ type: 'string', enum: [...energies] });
export const SourceSchema = Type.Unsafe<CaseSource>({
  type: 'string',
  enum: [...caseSources],
  description: 'consumer, or authority (a referral from ANRE, ANPC…, with its own reference and deadline)',
});

export const CaseDetailSchema = Type.Object({
  id: Type.String(),
  number: Type.String(),
  status: Type.Unsafe<CaseStatus>({ type: 'string', enum: [...caseStatuses] }),
  channel: Type.String(),
  category: CategorySchema,
  customerType: Nullable(CustomerTypeSchema, {
    description: 'household | non_household; null while not known (no customer identified yet)',
  }),
  energy: Nullable(EnergySchema, {
    description: 'electricity | gas; null while not known (no place of consumption yet)',
  }),
  source: SourceSchema,
  authority: Nullable(
    Type.Object({
      name: Nullable(Type.String()),
      reference: Nullable(Type.String({ description: "The authority's own registration number" })),
      dueDate: Nullable(Type.String({ description: "The authority's deadline, when it set one" })),
    }),
  ),
  kind: Type.Unsafe<CaseKind>({
    type: 'string',
    enum: [...caseKinds],
    description: 'complaint (counted for ANRE), not_a_complaint (filed at triage), gdpr_request',
  }),
  subject: Type.String(),
  body: Type.String(),
  contactName: Type.String(),
  contactEmail: Nullable(Type.String()),
  contactPhone: Nullable(Type.String()),
  receivedAt: IsoDateTime,
  registeredOn: IsoDate,
  dueDate: IsoDate,
  deadlineRule: DeadlineRuleSchema,
  findings: Nullable(Type.String()),
  answerText: Nullable(Type.String()),
  answerSentAt: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
  annulledAt: Nullable(Type.String()),
  annulReason: Nullable(Type.String()),
  processStarted: Type.Boolean(),
  versions: Type.Object({
    processDefinitionId: Nullable(Type.String()),
    processHash: Nullable(Type.String({ description: 'SHA-256 of the deployed BPMN the case runs under' })),
    instructionsHash: Nullable(Type.String({ description: 'SHA-256 over the work instructions in force' })),
  }),
  deadline: Type.Object({
    originalDueDate: Nullable(Type.String({ description: 'Before an extension with prior notice' })),
    extendedAt: Nullable(Type.String()),
    breachedAt: Nullable(Type.String()),
    delayDays: Nullable(Type.Integer()),
    compensationLei: Nullable(Type.Integer()),
  }),
  filedReason: Nullable(Type.String()),
  additionalCategories: Type.Array(CategorySchema, {
    description:
      'Further categories named at triage (each verified in parallel); the due date is the earliest of all categories',
  }),
  regulator: Type.Object(
    {
      registeredOn: IsoDate,
      channel: Type.String({ description: 'email, portal, call_center, counter, post, fax' }),
      source: SourceSchema,
      dueDate: IsoDate,
      answerCommunicatedAt: Nullable(
        Type.String({
          description:
            'When the answer (or filing notice) counts as given: SMTP accepted it, the letter was handed to the post (dispatch recorded) or the consumer downloaded it in the portal',
        }),
      ),
      answerCommunicatedBy: Type.Union(
        [Type.Literal('email'), Type.Literal('post'), Type.Literal('portal'), Type.Null()],
        { description: 'How it was communicated' },
      ),
      answeredInTime: Nullable(Type.Boolean(), {
        description:
          'true: communicated on or before the due day; false: late, or the due day passed without an answer; null: not due yet',
      }),
      delayDays: Nullable(Type.Integer(), {
        description: "Days of delay, in the deadline rule's unit",
      }),
      compensation: Type.Object({
        owedLei: Nullable(Type.Integer(), { description: 'Compensation owed, lei' }),
        determinedAt: Nullable(
          Type.String({
            description: 'When it was determined: communication of a late answer, else the recorded breach',
          }),
        ),
        final: Type.Boolean({ description: 'The amount is final once the answer is communicated' }),
        paidLei: Nullable(Type.Integer(), { description: 'Granted by finance, lei' }),
        paidOn: Nullable(Type.String({ description: 'Date it was granted (YYYY-MM-DD)' })),
        paymentMethod: Type.Union(
          [
            Type.Literal('invoice_credit'),
            Type.Literal('bank_transfer'),
            Type.Literal('postal_order'),
            Type.Null(),
          ],
          { description: 'How: credit on the next invoice, bank transfer or postal order' },
        ),
        notifiedAt: Nullable(Type.String({ description: 'When the consumer was told' })),
      }),
    },
    { description: 'What the quarterly report to ANRE needs of this case' },
  ),
  documents: Type.Array(
    Type.Object({
      id: Type.Integer(),
      kind: Type.String({ description: 'acknowledgement_letter, answer_letter, verification_report' }),
      fileName: Type.String(),
      contentType: Type.String(),
      sha256: Type.String(),
      size: Type.Integer(),
      createdAt: Type.String(),
    }),
  ),
  accessCode: Type.String(),
  customer: Nullable(
    Type.Object({
      id: Type.String(),
      customerCode: Type.String(),
      name: Type.String(),
      customerType: Type.String(),
    }),
  ),
  place: Nullable(
    Type.Object({
      id: Type.String(),
      placeCode: Type.String(),
      energy: Type.String(),
      address: Type.String(),
    }),
  ),
  events: Type.Array(
    Type.Object({
      at: IsoDateTime,
      type: Type.String(),
      visibility: Type.String(),
      message: Type.String(),
      actorName: Nullable(
        Type.String({
          description: 'The staff member who made the change; null for the system or the consumer',
        }),
      ),
    }),
  ),
  messages: Type.Array(
    Type.Object({
      direction: Type.Union([Type.Literal('in'), Type.Literal('out')], {
        description: 'in: received (the consumer, the distribution operator); out: sent by us',
      }),
      kind: Type.String({
        description:
          'in: complaint, reply, operator_answer, auto_reply, bounce; out: acknowledgement, answer, filed, extension, operator_request, ...',
      }),
      date: IsoDateTime,
      subject: Type.String(),
      text: Nullable(Type.String({ description: 'The text as received or sent' })),
      fromAddress: Nullable(Type.String()),
      fromName: Nullable(Type.String()),
      toAddress: Nullable(Type.String()),
      sentAt: IsoDateTime,
      attachments: Type.Array(
        Type.Object({
          documentId: Nullable(Type.Integer(), {
            description:
              'Received: the attachment id (GET /api/complaints/{number}/attachments/{id}); sent: the case document id (GET /api/complaints/{number}/documents/{id})',
          }),
          filename: Type.String(),
          contentType: Type.String(),
          size: Type.Integer(),
          href: Nullable(Type.String()),
        }),
      ),
    }),
    { description: 'Every message of the case, received and sent, oldest first' },
  ),
  activities: Type.Array(
    Type.Object({
      activityId: Type.String(),
      name: Nullable(Type.String()),
      type: Type.String(),
      assignee: Nullable(Type.String()),
      startTime: Type.String(),
      endTime: Nullable(Type.String()),
    }),
  ),
});

export const AnnulSchema = Type.Object(
  { reason: Type.String({ minLength: 10, maxLength: 1000 }) },
  { additionalProperties: false },
);

export const AnnulResultSchema = Type.Object({
  number: Type.String(),
  status: Type.Literal('annulled'),
  annulledAt: IsoDateTime,
});
