import { Type } from 'typebox';
import { Nullable } from '../common.schemas.ts';

const Person = Type.Object({ id: Type.String(), name: Nullable(Type.String()) });

export const CaseProgressSchema = Type.Object({
  number: Type.String(),
  status: Type.String(),
  dueDate: Type.String(),
  dueAt: Type.String({ description: 'End of the due day, Europe/Bucharest' }),
  timeLeft: Type.Object({
    workingDays: Type.Integer(),
    calendarDays: Type.Integer(),
    hours: Type.Integer({ description: 'Negative when past the deadline' }),
    overdue: Type.Boolean(),
  }),
  openTasks: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      instructionId: Nullable(Type.String()),
      candidateGroups: Type.Array(Type.String()),
      assignee: Nullable(Person),
      holders: Type.Array(Person, { description: 'Who holds the job roles the task is offered to' }),
      due: Nullable(Type.String()),
      steps: Type.Object({ total: Type.Integer(), done: Type.Array(Type.Integer()) }),
    }),
  ),
  remainingTasks: Type.Array(
    Type.Object({
      name: Type.String(),
      instructionId: Nullable(Type.String()),
      candidateGroups: Type.Array(Type.String()),
    }),
    { description: 'User tasks that may still come on the case path (every branch), nearest first' },
  ),
  openSteps: Type.Object({ total: Type.Integer(), done: Type.Integer() }),
});
