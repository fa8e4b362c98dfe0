import { Type } from 'typebox';
import type { CaseSource, ComplaintCategory, CustomerType, Energy } from '../../../db/schema/index.ts';
import {
  caseStatuses,
  channels,
  complaintCategories,
  caseSources,
  customerTypes,
  energies,
} from '../../../codes/case-codes.ts';
import { deadlineRisks } from '../../../codes/deadline-risk.ts';
import { Nullable } from '../common.schemas.ts';

export const TaskIdParams = Type.Object({ id: Type.String({ pattern: '^[\\w-]{1,64}$' }) });

const Lit = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...values] });

export const ListTasksQuery = Type.Object({
  view: Type.Optional(Lit(['mine', 'groups', 'all'] as const)),
  /** Former name of `view`. */
  scope: Type.Optional(Lit(['mine', 'groups', 'all'] as const)),
  category: Type.Optional(Lit(complaintCategories)),
  channel: Type.Optional(Lit(channels)),
  status: Type.Optional(Lit(caseStatuses)),
  place: Type.Optional(
    Type.String({ pattern: '^[A-Za-z0-9]{2,40}$', description: 'POD/CLC code or its beginning' }),
  ),
  due: Type.Optional(Lit(['overdue', 'today', 'week'] as const)),
  holder: Type.Optional(Lit(['unassigned', 'assigned'] as const)),
  q: Type.Optional(Type.String({ minLength: 2, maxLength: 100 })),
  order: Type.Optional(Lit(['asc', 'desc'] as const)),
  after: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page' })),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 25 }),
  /** Former name of `limit`. */
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});

/** The GDPR request behind a DPO task (process verify-gdpr): no case; extended or answered on the DPO's page. */
const GdprTaskRequestSchema = Nullable(
  Type.Object({
    number: Type.String({ description: 'e.g. DEMO-GDPR-2026-000001' }),
    right: Type.String({
      description: 'access, rectification, erasure, restriction, portability, objection',
    }),
    status: Type.String({ description: 'open | answered' }),
    dueDate: Type.String(),
    extended: Type.Boolean(),
  }),
);

export const TaskSummarySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  taskDefinitionKey: Type.String(),
  assignee: Nullable(Type.String()),
  assigneeName: Nullable(Type.String()),
  assignedToMe: Type.Boolean(),
  candidateGroups: Type.Array(Type.String()),
  created: Type.String(),
  due: Nullable(Type.String()),
  /** Deadline badge from the case's legal due date (deadlineRisk in server/codes): late, at risk, on time. */
  deadline: Nullable(Lit(deadlineRisks)),
  /** Set (and `case` null) for a GDPR request's task. */
  gdprRequest: GdprTaskRequestSchema,
  case: Nullable(
    Type.Object({
      number: Type.String(),
      subject: Type.String(),
      category: Type.String(),
      channel: Type.String(),
      status: Type.String(),
      dueDate: Type.String(),
      contactName: Type.String(),
      placeCode: Nullable(Type.String()),
    }),
  ),
});

export const TaskListSchema = Type.Object({
  items: Type.Array(TaskSummarySchema),
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: Nullable(Type.String()),
  /** Open tasks per view with the same filters (`all` only for supervisors). */
  counts: Type.Object({
    mine: Type.Optional(Type.Integer()),
    groups: Type.Optional(Type.Integer()),
    all: Type.Optional(Type.Integer()),
  }),
  /** Counts stop just above this: a count greater than countCap reads "more than countCap". */
  countCap: Type.Integer(),
  view: Type.String(),
  today: Type.String(),
});

export const SavedFilterSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  filters: Type.Record(Type.String(), Type.String()),
});

export const SaveFilterBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 60 }),
    filters: Type.Object(
      {
        view: Type.Optional(Type.String({ maxLength: 20 })),
        category: Type.Optional(Type.String({ maxLength: 40 })),
        channel: Type.Optional(Type.String({ maxLength: 20 })),
        status: Type.Optional(Type.String({ maxLength: 20 })),
        place: Type.Optional(Type.String({ maxLength: 40 })),
        due: Type.Optional(Type.String({ maxLength: 20 })),
        holder: Type.Optional(Type.String({ maxLength: 20 })),
        q: Type.Optional(Type.String({ maxLength: 100 })),
        order: Type.Optional(Type.String({ maxLength: 4 })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const DelegateBody = Type.Object(
  { userId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);

export const DelegateSchema = Type.Object({
  id: Type.String(),
  assignee: Type.String(),
  assigneeName: Type.String(),
});

export const DelegatesSchema = Type.Array(
  Type.Object({ id: Type.String(), name: Type.String(), email: Type.String() }),
);

export const CommentSchema = Type.Object({
  id: Type.Integer(),
  body: Type.String(),
  taskId: Nullable(Type.String()),
  authorName: Type.String(),
  createdAt: Type.String(),
});

export const CommentBody = Type.Object(
  { body: Type.String({ maxLength: 5000 }) },
  { additionalProperties: false },
);

export const TimelineSchema = Type.Array(
  Type.Object({
    at: Type.String(),
    source: Lit(['engine', 'task', 'case', 'audit'] as const),
    text: Type.String(),
  }),
);

export const TaskDetailSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  assignee: Nullable(Type.String()),
  assignedToMe: Type.Boolean(),
  created: Type.String(),
  due: Nullable(Type.String()),
  taskDefinitionKey: Type.String(),
  candidateGroups: Type.Array(Type.String()),
  form: Nullable(Type.String()),
  /** Choices of a verification form (`branch`). */
  branches: Type.Array(Type.String()),
  caseNumber: Nullable(Type.String()),
  /** Set (and `caseNumber` null) for a GDPR request's task: it is extended or answered on the DPO's page. */
  gdprRequest: GdprTaskRequestSchema,
  /** Indexes (0-based) of the instruction steps ticked as done. */
  stepsDone: Type.Array(Type.Integer()),
  draft: Nullable(Type.Object({ findings: Nullable(Type.String()), answerText: Nullable(Type.String()) })),
  instruction: Nullable(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      role: Type.String(),
      steps: Type.Array(Type.String()),
      documents: Type.Array(Type.String()),
      legalBasis: Type.Array(Type.String()),
      html: Type.String(),
    }),
  ),
});

export const CompleteTaskSchema = Type.Object(
  {
    findings: Type.Optional(Type.String({ maxLength: 20000 })),
    answerText: Type.Optional(Type.String({ maxLength: 20000 })),
    approved: Type.Optional(Type.Boolean()),
    comment: Type.Optional(Type.String({ maxLength: 2000 })),
    missingInformation: Type.Optional(
      Type.String({
        maxLength: 2000,
        description:
          'triage, required when outcome is incomplete: what the consumer must add (sent to them in the completion request; the comment stays internal)',
      }),
    ),
    outcome: Type.Optional(
      Type.String({
        description:
          'triage: admissible, incomplete, duplicate, misdirected, anonymous, not_a_complaint, withdrawn',
      }),
    ),
    category: Type.Optional(
      Type.Unsafe<ComplaintCategory>({
        type: 'string',
        enum: [...complaintCategories],
        description:
          'triage: the category as found (Order 16/2015 art. 2(1)); a change recomputes the due date',
      }),
    ),
    customerType: Type.Optional(
      Type.Unsafe<CustomerType>({
        type: 'string',
        enum: [...customerTypes],
        description: 'triage: household | non_household',
      }),
    ),
    energy: Type.Optional(
      Type.Unsafe<Energy>({ type: 'string', enum: [...energies], description: 'triage: electricity | gas' }),
    ),
    source: Type.Optional(
      Type.Unsafe<CaseSource>({
        type: 'string',
        enum: [...caseSources],
        description: 'triage: consumer | authority (a referral from ANRE, ANPC…)',
      }),
    ),
    authorityName: Type.Optional(Type.String({ maxLength: 200, description: 'triage: the authority' })),
    authorityReference: Type.Optional(
      Type.String({ maxLength: 100, description: "triage: the authority's own registration number" }),
    ),
    authorityDueDate: Type.Optional(
      Type.String({ format: 'date', description: "triage: the authority's deadline, when it set one" }),
    ),
    branch: Type.Optional(Type.String({ maxLength: 40, description: 'verification: the next check' })),
    needsOperator: Type.Optional(Type.Boolean()),
    needsCorrection: Type.Optional(Type.Boolean()),
    questions: Type.Optional(Type.String({ maxLength: 20000 })),
    additionalCategories: Type.Optional(
      Type.Array(Type.String({ maxLength: 40 }), {
        maxItems: 12,
        description:
          'triage: further categories the complaint is also about (one verification each, in parallel)',
      }),
    ),
    returnTo: Type.Optional(
      Type.String({ maxLength: 20, description: 'approval, when rejected: draft (default) or verification' }),
    ),
    extensionDays: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 60, description: 'extensionRequest: days asked (≤ the rule)' }),
    ),
    paidOn: Type.Optional(
      Type.String({ format: 'date', description: 'compensationPayment: the date it was credited or paid' }),
    ),
    paymentMethod: Type.Optional(
      Type.String({ description: 'compensationPayment: invoice_credit, bank_transfer, postal_order' }),
    ),
    amountLei: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000000 })),
  },
  { additionalProperties: false },
);

export const ReceivedSchema = Type.Array(
  Type.Object({
    id: Type.String(),
    arrivedAt: Type.String(),
    fromName: Nullable(Type.String()),
    fromAddress: Nullable(Type.String()),
    subject: Type.String(),
    text: Type.String(),
    kind: Type.String(),
    attachments: Type.Array(
      Type.Object({
        id: Type.Integer(),
        filename: Type.String(),
        contentType: Type.String(),
        size: Type.Integer(),
      }),
    ),
  }),
);
