import { addressesIn } from '../../identification/index.ts';

/** The headers that name who a message was delivered to, most reliable first (envelope before the visible ones). */
export const ROUTING_HEADERS = ['delivered-to', 'x-original-to', 'to', 'cc'] as const;

/**
 * Recipient addresses from the raw header block, in the order of ROUTING_HEADERS (lower-case, unique). Reads only
 * the top-level headers (up to the first empty line, at most 1 MB), unfolding continuation lines, so a message
 * with thousands of recipients or a broken body still routes.
 */
export function recipientsOf(raw: Buffer): string[] {
  const head = raw.subarray(0, 1024 * 1024).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const block = (end >= 0 ? head.slice(0, end) : head).replace(/\r?\n[ \t]+/g, ' ');
  const byHeader = new Map<string, string[]>();
  for (const line of block.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    if (!(ROUTING_HEADERS as readonly string[]).includes(name)) continue;
    // Tokenised, never an unanchored pattern over the line: a 1 MB header without `@` would backtrack for minutes.
    byHeader.set(name, [...(byHeader.get(name) ?? []), ...addressesIn(line.slice(i + 1))]);
  }
  const out = new Set<string>();
  for (const h of ROUTING_HEADERS) for (const a of byHeader.get(h) ?? []) out.add(a.toLowerCase());
  return [...out];
}
