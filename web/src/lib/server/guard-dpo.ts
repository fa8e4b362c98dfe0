import { error } from '@sveltejs/kit';
import type { Me } from '$lib/api/types';
import { requireUser } from './guard';

/** The data-protection officer's pages: the DPO job role of the organisation chart (the API checks it again). */
export function requireDpo(event: { locals: App.Locals; url: URL }): Me {
  const user = requireUser(event);
  if (!user.jobRoles.includes('DPO'))
    error(403, 'Doar responsabilul cu protecția datelor (DPO) are acces la această pagină.');
  return user;
}
