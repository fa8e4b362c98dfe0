import { DomainError } from '../errors.ts';

/**
 * The forms a user task can carry (`form` property in the BPMN). Each validates what the officer submitted and
 * says what goes to the case record and what goes to the engine (only what routing needs).
 */
export type TaskForm = 'findings' | 'answer' | 'approval';

export interface TaskSubmission {
  findings?: string | undefined;
  answerText?: string | undefined;
  approved?: boolean | undefined;
  comment?: string | undefined;
}

const MAX_TEXT = 20_000;

function text(value: string | undefined, field: string, label: string): string {
  const v = value?.trim() ?? '';
  if (v.length < 10)
    throw new DomainError('TASK_FORM_INVALID', { field }, `${label}: scrieți cel puțin 10 caractere.`);
  if (v.length > MAX_TEXT)
    throw new DomainError('TASK_FORM_INVALID', { field }, `${label}: cel mult ${MAX_TEXT} de caractere.`);
  return v;
}

export interface ValidatedSubmission {
  caseUpdate: { findings?: string; answerText?: string };
  variables: Record<string, boolean>;
  comment?: string;
}

export function validateSubmission(form: string | null, s: TaskSubmission): ValidatedSubmission {
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
      return { caseUpdate: {}, variables: { approved: s.approved }, comment };
    }
    default:
      return { caseUpdate: {}, variables: {} };
  }
}
