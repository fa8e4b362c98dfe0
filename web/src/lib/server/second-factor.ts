import { redirect } from '@sveltejs/kit';
import type { Me } from '$lib/api/types';
import { returnPath } from './api';

/** The pages an unfinished sign-in may open (the API refuses everything else to such a session anyway). */
const CODE_PAGE = '/login/code';
const ENROL_PAGE = '/account/two-factor';
const ALWAYS = ['/logout'];

/**
 * Where a visitor whose sign-in is unfinished must go instead of the page asked for: the TOTP code page after
 * the password, or enrolment when TOTP is required and not set up. Null when the page may be shown.
 */
export function secondFactorDetour(user: Me | null, url: URL): string | null {
  const stage = user?.secondFactor?.stage;
  if (!stage || stage === 'full') return null;
  const page = stage === 'totp' ? CODE_PAGE : ENROL_PAGE;
  if (url.pathname === page || ALWAYS.includes(url.pathname)) return null;
  return `${page}?next=${encodeURIComponent(returnPath(url))}`;
}

/**
 * For form actions of sensitive operations (granting roles, the mailbox): when the API asks for a fresh
 * re-authentication, the person goes to the re-authentication page, which brings them back here.
 */
export function reauthIfAsked(result: { ok: boolean; data: unknown }, url: URL): void {
  if (!result.ok && (result.data as { code?: string }).code === 'AUTH_REAUTH_REQUIRED')
    redirect(303, `/account/reauth?next=${encodeURIComponent(returnPath(url))}`);
}
