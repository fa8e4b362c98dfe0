import { Type } from 'typebox';
import { PageQuery } from '../common.schemas.ts';

const Nullable = (t: ReturnType<typeof Type.String>) => Type.Union([t, Type.Null()]);

export const TaskIdParams = Type.Object({ id: Type.String({ pattern: '^[\\w-]{1,64}$' }) });

export const ListTasksQuery = Type.Object({
  scope: Type.Union([Type.Literal('mine'), Type.Literal('groups'), Type.Literal('all')], {
    default: 'groups',
  }),
  ...PageQuery,
});

export const TaskSummarySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  assignee: Nullable(Type.String()),
  assignedToMe: Type.Boolean(),
  created: Type.String(),
  due: Nullable(Type.String()),
  instructionId: Nullable(Type.String()),
  case: Type.Union([
    Type.Object({
      number: Type.String(),
      subject: Type.String(),
      category: Type.String(),
      channel: Type.String(),
      dueDate: Type.String(),
      contactName: Type.String(),
      placeCode: Nullable(Type.String()),
    }),
    Type.Null(),
  ]),
});

export const TaskListSchema = Type.Object({
  items: Type.Array(TaskSummarySchema),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});

export const TaskDetailSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  assignee: Nullable(Type.String()),
  assignedToMe: Type.Boolean(),
  created: Type.String(),
  due: Nullable(Type.String()),
  candidateGroups: Type.Array(Type.String()),
  form: Nullable(Type.String()),
  /** Choices of a verification form (`branch`). */
  branches: Type.Array(Type.String()),
  caseNumber: Nullable(Type.String()),
  /** Indexes (0-based) of the instruction steps ticked as done. */
  stepsDone: Type.Array(Type.Integer()),
  draft: Type.Union([
    Type.Object({ findings: Nullable(Type.String()), answerText: Nullable(Type.String()) }),
    Type.Null(),
  ]),
  instruction: Type.Union([
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      role: Type.String(),
      steps: Type.Array(Type.String()),
      documents: Type.Array(Type.String()),
      legalBasis: Type.Array(Type.String()),
      html: Type.String(),
    }),
    Type.Null(),
  ]),
});

export const CompleteTaskSchema = Type.Object(
  {
    findings: Type.Optional(Type.String({ maxLength: 20000 })),
    answerText: Type.Optional(Type.String({ maxLength: 20000 })),
    approved: Type.Optional(Type.Boolean()),
    comment: Type.Optional(Type.String({ maxLength: 2000 })),
    outcome: Type.Optional(
      Type.String({ description: 'triage: admissible, incomplete, duplicate, misdirected, anonymous' }),
    ),
    branch: Type.Optional(Type.String({ maxLength: 40, description: 'verification: the next check' })),
    needsOperator: Type.Optional(Type.Boolean()),
    needsCorrection: Type.Optional(Type.Boolean()),
    questions: Type.Optional(Type.String({ maxLength: 20000 })),
  },
  { additionalProperties: false },
);
