import { Type } from 'typebox';
import {
  CreateComplaintSchema,
  MAX_BODY_CHARS,
  RegisterComplaintSchema,
} from '../complaints/complaints.schemas.ts';
import { CaseNumber, IsoDate, IsoDateTime, PageQuery, Nullable } from '../common.schemas.ts';

export const QuarantineIdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export const ListQuarantineQuery = Type.Object(
  {
    status: Type.Union([Type.Literal('open'), Type.Literal('resolved'), Type.Literal('all')], {
      default: 'open',
    }),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const QuarantineSummarySchema = Type.Object({
  id: Type.Integer(),
  reason: Type.String({ description: 'Why the intake could not process it (technical, English)' }),
  fromAddress: Nullable(Type.String()),
  subject: Nullable(Type.String()),
  arrivedAt: IsoDateTime,
  size: Nullable(Type.Integer()),
  folder: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('resolved')]),
  resolution: Type.Union([Type.Literal('registered'), Type.Literal('handled'), Type.Null()]),
  resolutionNote: Nullable(Type.String()),
  resolvedAt: Nullable(IsoDateTime),
  caseNumber: Nullable(CaseNumber),
});

export const QuarantineListSchema = Type.Object({
  items: Type.Array(QuarantineSummarySchema),
  total: Type.Integer(),
});

export const QuarantineDetailSchema = Type.Object({
  ...QuarantineSummarySchema.properties,
  rawAvailable: Type.Boolean(),
  parsed: Type.Boolean({ description: 'False when the MIME structure could not be read' }),
  headers: Nullable(
    Type.Object({
      from: Nullable(Type.String()),
      to: Nullable(Type.String()),
      cc: Nullable(Type.String()),
      date: Nullable(Type.String()),
      subject: Type.String(),
      messageId: Nullable(Type.String()),
    }),
  ),
  fromName: Nullable(Type.String()),
  text: Type.String({
    description: 'Plain text only (never HTML); the raw bytes when the MIME cannot be read',
  }),
  attachments: Type.Array(
    Type.Object({ filename: Nullable(Type.String()), contentType: Type.String(), size: Type.Integer() }),
  ),
});

/** What the officer completed before registering: the same fields as a call-center registration. */
export const RegisterFromQuarantineSchema = Type.Object(
  {
    ...CreateComplaintSchema.properties,
    body: Type.String({ minLength: 10, maxLength: MAX_BODY_CHARS }),
    // An authority's referral that landed in quarantine: its source, name, own number and deadline (issue 12).
    source: RegisterComplaintSchema.properties.source,
    authorityName: RegisterComplaintSchema.properties.authorityName,
    authorityReference: RegisterComplaintSchema.properties.authorityReference,
    authorityDueDate: RegisterComplaintSchema.properties.authorityDueDate,
  },
  { additionalProperties: false },
);

export const RegisteredFromQuarantineSchema = Type.Object({
  id: Type.Integer(),
  number: CaseNumber,
  dueDate: IsoDate,
  processStarted: Type.Boolean(),
});

export const MarkHandledSchema = Type.Object(
  { reason: Type.String({ minLength: 5, maxLength: 1000 }) },
  { additionalProperties: false },
);
