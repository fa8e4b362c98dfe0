import { fail, redirect } from '@sveltejs/kit';
import {
  getApiComplaintsByNumber,
  getApiTasksById,
  getApiTasksByIdComments,
  getApiTasksByIdDelegates,
  getApiTasksByIdReceived,
  getApiTasksByIdTimeline,
  postApiTasksByIdClaim,
  postApiTasksByIdComments,
  postApiTasksByIdComplete,
  postApiTasksByIdDelegate,
  postApiTasksByIdUnclaim,
} from '$lib/api/generated';
import type { CompleteTaskBody } from '$lib/api/types';
import { apiClient, apiLoad, settle } from '$lib/server/api';
import { confirmIdentification, loadPicker } from '$lib/server/identification';
import { requireRole } from '$lib/server/guard';
import { AREA_ROLES } from '$lib/roles';
import { errorMessage } from '$lib/api/error-message';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
  const { user } = await event.parent();
  const client = apiClient(event);
  const path = { id: event.params.id };
  const task = await apiLoad(event, getApiTasksById({ client, path }));
  const isSupervisor = user.roles.includes('supervisor');
  const withCase = !!task.caseNumber;
  // The case and everything around it in parallel; each view of personal data is audited by the API.
  const identifyCase = task.taskDefinitionKey === 'identify' ? task.caseNumber : null;
  const [caseDetail, comments, timeline, received, delegates, picker] = await Promise.all([
    task.caseNumber
      ? apiLoad(event, getApiComplaintsByNumber({ client, path: { number: task.caseNumber } }))
      : null,
    withCase ? apiLoad(event, getApiTasksByIdComments({ client, path })) : [],
    withCase ? apiLoad(event, getApiTasksByIdTimeline({ client, path })) : [],
    withCase ? apiLoad(event, getApiTasksByIdReceived({ client, path })) : [],
    task.assignedToMe || isSupervisor ? apiLoad(event, getApiTasksByIdDelegates({ client, path })) : [],
    // The "identify consumer" task: its scored candidates and the officer's customer search (?q=).
    identifyCase ? loadPicker(event, identifyCase) : null,
  ]);
  return {
    task,
    case: caseDetail,
    comments,
    timeline,
    received,
    delegates,
    picker,
    claimedNow: event.url.searchParams.get('claimed') === '1',
    isSupervisor,
    // A GDPR request's task links to the DPO's page, which only the DPO may open.
    isDpo: user.jobRoles.includes('DPO'),
    meta: {
      title: task.caseNumber
        ? `${task.name} · ${task.caseNumber}`
        : task.gdprRequest
          ? `${task.name} · ${task.gdprRequest.number}`
          : task.name,
    },
  };
}) satisfies PageServerLoad;

function text(form: FormData, name: string): string {
  return String(form.get(name) ?? '');
}

export const actions = {
  claim: async (event) => {
    requireRole(event, AREA_ROLES.inbox);
    const r = await settle(
      postApiTasksByIdClaim({ client: apiClient(event), path: { id: event.params.id } }),
    );
    if (!r.ok)
      return fail(r.status, { action: 'claim', message: errorMessage(r, 'Sarcina nu a putut fi preluată.') });
    return { action: 'claim', claimed: true };
  },

  unclaim: async (event) => {
    requireRole(event, AREA_ROLES.inbox);
    const r = await settle(
      postApiTasksByIdUnclaim({ client: apiClient(event), path: { id: event.params.id } }),
    );
    if (!r.ok)
      return fail(r.status, {
        action: 'unclaim',
        message: errorMessage(r, 'Sarcina nu a putut fi eliberată.'),
      });
    redirect(303, '/inbox?released=1');
  },

  delegate: async (event) => {
    requireRole(event, AREA_ROLES.inbox);
    const form = await event.request.formData();
    const userId = text(form, 'userId');
    if (!userId)
      return fail(400, { action: 'delegate', message: 'Alegeți colegul căruia îi delegați sarcina.' });
    const r = await settle(
      postApiTasksByIdDelegate({ client: apiClient(event), path: { id: event.params.id }, body: { userId } }),
    );
    if (!r.ok)
      return fail(r.status, {
        action: 'delegate',
        message: errorMessage(r, 'Sarcina nu a putut fi delegată.'),
      });
    redirect(303, `/inbox?delegated=${encodeURIComponent(r.data.assigneeName)}`);
  },

  identify: async (event) => {
    requireRole(event, AREA_ROLES.inbox);
    return confirmIdentification(event);
  },

  comment: async (event) => {
    requireRole(event, AREA_ROLES.inbox);
    const form = await event.request.formData();
    const body = text(form, 'body');
    const r = await settle(
      postApiTasksByIdComments({ client: apiClient(event), path: { id: event.params.id }, body: { body } }),
    );
    if (!r.ok)
      return fail(r.status, {
        action: 'comment',
        draft: body,
        message: errorMessage(r, 'Comentariul nu a putut fi adăugat.'),
      });
    return { action: 'comment', commented: true };
  },

  complete: async (event) => {
    requireRole(event, AREA_ROLES.inbox);
    const form = await event.request.formData();
    const kind = text(form, 'form');
    const values = {
      findings: text(form, 'findings'),
      answerText: text(form, 'answerText'),
      decision: text(form, 'decision'),
      comment: text(form, 'comment'),
      missingInformation: text(form, 'missingInformation'),
      outcome: text(form, 'outcome'),
      branch: text(form, 'branch'),
      needsOperator: form.has('needsOperator'),
      needsCorrection: form.has('needsCorrection'),
      questions: text(form, 'questions'),
      category: text(form, 'category'),
      customerType: text(form, 'customerType'),
      energy: text(form, 'energy'),
      source: text(form, 'source'),
      authorityName: text(form, 'authorityName'),
      authorityReference: text(form, 'authorityReference'),
      authorityDueDate: text(form, 'authorityDueDate'),
      returnTo: text(form, 'returnTo'),
      extensionDays: text(form, 'extensionDays'),
      paidOn: text(form, 'paidOn'),
      paymentMethod: text(form, 'paymentMethod'),
      amountLei: text(form, 'amountLei'),
      additionalCategories: form
        .getAll('additionalCategories')
        .filter((v): v is string => typeof v === 'string'),
    };
    const invalid = (message: string) => fail(400, { action: 'complete', values, message });
    const comment = values.comment.trim();

    // Only the fields of this task's form; the API validates them (and says what is wrong, in Romanian).
    let body: CompleteTaskBody = {};
    switch (kind) {
      case 'findings':
        body = { findings: values.findings };
        break;
      case 'answer':
        body = { answerText: values.answerText };
        break;
      case 'approval': {
        if (values.decision !== 'approve' && values.decision !== 'reject')
          return invalid('Alegeți: aprob sau resping.');
        const approved = values.decision === 'approve';
        if (!approved && comment.length < 5)
          return invalid('La respingere, scrieți în comentariu ce trebuie revizuit.');
        body = comment ? { approved, comment } : { approved };
        // IL-31: a rejected answer goes back to drafting or, when the supervisor says so, to verification.
        if (!approved && values.returnTo) body.returnTo = values.returnTo;
        break;
      }
      case 'triage':
        if (!values.outcome) return invalid('Alegeți rezultatul încadrării.');
        body = comment ? { outcome: values.outcome, comment } : { outcome: values.outcome };
        // What the consumer is asked to add (the completion request's text); the API requires it when incomplete.
        if (values.outcome === 'incomplete') body.missingInformation = values.missingInformation.trim();
        // IL-06: the category, customer type and energy as the officer found them (the API compares and applies).
        if (values.category) body.category = values.category as NonNullable<CompleteTaskBody['category']>;
        if (values.customerType)
          body.customerType = values.customerType as NonNullable<CompleteTaskBody['customerType']>;
        if (values.energy) body.energy = values.energy as NonNullable<CompleteTaskBody['energy']>;
        if (values.source) body.source = values.source as NonNullable<CompleteTaskBody['source']>;
        if (values.source === 'authority') {
          if (values.authorityName.trim()) body.authorityName = values.authorityName.trim();
          if (values.authorityReference.trim()) body.authorityReference = values.authorityReference.trim();
          if (values.authorityDueDate) body.authorityDueDate = values.authorityDueDate;
        }
        // Further categories: one verification each, in parallel.
        if (values.additionalCategories.length) body.additionalCategories = values.additionalCategories;
        break;
      case 'verification':
        body = {
          findings: values.findings,
          needsOperator: values.needsOperator,
          needsCorrection: values.needsCorrection,
        };
        if (values.branch) body.branch = values.branch;
        break;
      case 'note':
        body = { comment: values.comment };
        break;
      case 'operatorRequest':
        body = { questions: values.questions };
        break;
      // IL-08 / IL-32: SEF approves a filing or an extension; a refusal needs its reason.
      case 'filingApproval':
      case 'extensionApproval': {
        if (values.decision !== 'approve' && values.decision !== 'reject')
          return invalid('Alegeți: aprob sau resping.');
        const approved = values.decision === 'approve';
        if (!approved && comment.length < 5) return invalid('La respingere, scrieți motivul în comentariu.');
        body = comment ? { approved, comment } : { approved };
        break;
      }
      case 'extensionRequest':
        body = { comment: values.comment };
        if (values.extensionDays) body.extensionDays = Number(values.extensionDays);
        break;
      // IL-29: finance records how the compensation was granted.
      case 'compensationPayment':
        body = {
          paymentMethod: values.paymentMethod,
          paidOn: values.paidOn,
          amountLei: Number(values.amountLei),
        };
        break;
    }

    const r = await settle(
      postApiTasksByIdComplete({ client: apiClient(event), path: { id: event.params.id }, body }),
    );
    // The engine is away: the completion is recorded and will be applied once it is back; not an error page.
    if (!r.ok && r.status === 503 && r.data.code === 'TASK_COMPLETION_DEFERRED')
      redirect(303, '/inbox?deferred=1');
    if (!r.ok)
      return fail(r.status, {
        action: 'complete',
        values,
        message: errorMessage(r, 'Sarcina nu a putut fi finalizată.'),
      });
    redirect(303, '/inbox?done=1');
  },
} satisfies Actions;
