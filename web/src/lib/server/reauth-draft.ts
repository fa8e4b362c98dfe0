import type { Cookies } from '@sveltejs/kit';
import { reauthIfAsked } from './second-factor';

/**
 * What a person typed into a form whose save the API answered with AUTH_REAUTH_REQUIRED, kept while they confirm
 * their identity on /account/reauth, so the form comes back filled and can be sent again.
 *
 * Kept in a cookie, not in the browser's storage or the `next` address: it works without JavaScript, never
 * reaches access logs or the history, and only this page's requests carry it (path, SameSite=Strict, HttpOnly).
 * It lives 15 minutes (the re-authentication window is 10), is read once and names its owner, so whoever signs in
 * next on the same computer never sees it. Passwords are never part of it: the caller leaves them out and the
 * page asks for them again ("reintroduceți parola").
 */

const COOKIE = 'reauth-draft';
const MAX_AGE_S = 15 * 60;
/** Far below a browser's 4 KB per cookie; a larger draft is simply not kept (the form then starts over). */
const MAX_CHARS = 3000;

export type DraftValue = string | number | boolean | string[] | null;
export type DraftValues = Record<string, DraftValue>;

interface Stored {
  /** The person who typed it. */
  u: string;
  /** Which form of the page (its action's name). */
  f: string;
  v: DraftValues;
}

interface DraftEvent {
  cookies: Cookies;
  url: URL;
  locals: App.Locals;
}

const cookieOptions = (url: URL) => ({
  path: url.pathname,
  httpOnly: true,
  sameSite: 'strict' as const,
  secure: url.protocol === 'https:',
});

/**
 * reauthIfAsked, keeping `values` first: when the API asks for a fresh confirmation of identity, the draft is
 * stored for this page and the person goes to /account/reauth, which brings them back here.
 */
export function reauthKeepingDraft(
  result: { ok: boolean; data: unknown },
  event: DraftEvent,
  form: string,
  values: DraftValues,
): void {
  if (result.ok || (result.data as { code?: string }).code !== 'AUTH_REAUTH_REQUIRED') return;
  const userId = event.locals.user?.userId;
  if (userId) {
    const text = JSON.stringify({ u: userId, f: form, v: values } satisfies Stored);
    if (text.length <= MAX_CHARS)
      event.cookies.set(COOKIE, text, { ...cookieOptions(event.url), maxAge: MAX_AGE_S });
  }
  reauthIfAsked(result, event.url);
}

/**
 * The draft kept for this page, once: it is removed as it is read. Null when there is none, it is someone else's,
 * or it is not what we wrote (the values are still checked field by field by the page that uses them).
 */
export function takeDraft(event: DraftEvent): { form: string; values: Record<string, unknown> } | null {
  const raw = event.cookies.get(COOKIE);
  if (raw === undefined) return null;
  event.cookies.delete(COOKIE, cookieOptions(event.url));
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== 'object') return null;
  const s = parsed as Partial<Record<keyof Stored, unknown>>;
  if (s.u !== event.locals.user?.userId || typeof s.f !== 'string') return null;
  if (!s.v || typeof s.v !== 'object' || Array.isArray(s.v)) return null;
  return { form: s.f, values: s.v as Record<string, unknown> };
}

/** Field readers for a draft: what is not of the expected shape becomes the empty value. */
export const draftText = (v: unknown, max = 1000): string => (typeof v === 'string' ? v.slice(0, max) : '');
export const draftFlag = (v: unknown): boolean => v === true;
export const draftList = (v: unknown, allowed: readonly string[]): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && allowed.includes(x)) : [];
