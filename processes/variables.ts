/**
 * Process variables that BPMN conditions may read and that no user-task form, worker or DMN table sets: what the
 * registration, the tenant's settings or the app put into a process. The cross-check of instructions, forms and
 * BPMN (tests/processes/cross-check.ts) derives what forms, workers and the routing table produce from their code;
 * this list names the rest, each with the values it can take, so that a gateway branch whose condition no producer
 * can satisfy is found. A variable missing here and everywhere else makes its branches unreachable.
 */
import { caseSources, channels, complaintCategories } from '../server/codes/case-codes.ts';

export interface DeclaredVariable {
  /** Who sets it (for people). */
  setBy: string;
  /** Every value it can take; `'any'` when unconstrained (a date, an amount). */
  values: readonly (string | boolean)[] | 'any';
}

export const DECLARED_VARIABLES: Record<string, DeclaredVariable> = {
  channel: {
    setBy: 'registration (server/intake/register-complaint.ts): the channel the complaint came by',
    values: channels,
  },
  category: {
    setBy: 'registration, then triage when it reclassifies (server/cases/reclassify.ts)',
    values: complaintCategories,
  },
  source: {
    setBy: 'registration: the consumer, or an authority (ANRE, ANPC) that forwarded the complaint',
    values: caseSources,
  },
  gdprDecision: {
    setBy:
      "the DPO's action on a GDPR request (server/privacy/dsr.service.ts): extend (notice sent) or answer (letter sent)",
    values: ['extend', 'answer'],
  },
};

/**
 * Processes the app starts itself (not called by another process): the complaint process for every registration,
 * the quarterly review by its timer, a personal-data request of its own.
 */
export const ENTRY_PROCESSES = ['complaint', 'periodic-review', 'verify-gdpr'] as const;
