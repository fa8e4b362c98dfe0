/**
 * Where to go after logging in: a path on this site, or null. The value is read the way a browser would read it
 * in a Location header (the WHATWG URL parser drops tabs and newlines and turns `\` into `/`), against a stand-in
 * origin, so `/%09/evil.example` (a tab, then `/evil.example`: `//evil.example` to a browser), `/\evil.example`,
 * `https://…` and `//…` all resolve elsewhere and are refused. What comes back is the parser's own normalised
 * path, never the raw text.
 */
const HERE = 'http://here.invalid';

export function safeNext(value: unknown): string | null {
  if (typeof value !== 'string' || !value.startsWith('/') || value.length > 2000) return null;
  let url: URL;
  try {
    url = new URL(value, HERE);
  } catch {
    return null;
  }
  if (url.origin !== HERE) return null;
  const path = url.pathname + url.search + url.hash;
  // `/.//evil.example` normalises to `//evil.example`: a path a browser would take for another host.
  if (!path.startsWith('/') || path.startsWith('//')) return null;
  return path;
}
