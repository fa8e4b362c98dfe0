import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** The public lookup form posts here with GET (?number=&code=); a complete pair goes to the status page. */
export const load = (({ url }) => {
  const number = (url.searchParams.get('number') ?? '').trim().toUpperCase();
  const code = (url.searchParams.get('code') ?? '').trim();
  const submitted = url.searchParams.has('number') || url.searchParams.has('code');
  if (number && code && /^[A-Z0-9-]{1,40}$/.test(number)) {
    redirect(303, `/status/${encodeURIComponent(number)}?code=${encodeURIComponent(code)}`);
  }
  return {
    number,
    code,
    message: submitted ? 'Completați numărul de înregistrare și codul de acces.' : null,
    meta: { title: 'Urmăriți o reclamație' },
  };
}) satisfies PageServerLoad;
