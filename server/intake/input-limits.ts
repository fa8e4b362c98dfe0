/**
 * How much untrusted text the intake reads, in one place for every entry point (e-mail in parseMessage, the
 * portal's form in its route, the call center's form in its schema). Everything past a limit is cut before any
 * parser, pattern or word list sees it: every pattern run on this text is linear, and the cut bounds the constant
 * too. The raw bytes of a message are kept whole (mail blobs), so nothing a person may need is lost.
 */

/** A subject is one header line (RFC 5322: 998 characters); longer ones are cut. */
export const MAX_SUBJECT_CHARS = 1000;
/** A display name (From: "Name" <address>). */
export const MAX_NAME_CHARS = 200;
/** The text of a message as the case keeps it (a complaint with a long quoted thread fits many times). */
export const MAX_TEXT_CHARS = 1_000_000;
/** HTML read for display or for its text (sanitised, then shown or made text). */
export const MAX_HTML_CHARS = 2_000_000;
/** One header's value read for threading or routing (In-Reply-To, References, Reply-To, To). */
export const MAX_HEADER_CHARS = 64 * 1024;

/** The first `max` characters, never splitting a surrogate pair (an emoji cut in half would be an invalid char). */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}
