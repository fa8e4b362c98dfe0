/**
 * HTML parsers keep the open elements on a stack; htmlparser2 (under sanitize-html) shifts that stack at its front,
 * so a body of thousands of unclosed tags costs time quadratic in the depth (1 MB of `<a@b> ` took 58 s). Before
 * any parser sees mail HTML, tags deeper than MAX_HTML_DEPTH are written as text (`&lt;`): one pass with indexOf,
 * and a mail program never nests that deep (Chrome flattens past 512 levels).
 */
export const MAX_HTML_DEPTH = 256;

/** Elements without content: their start tag opens no level. */
const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);
/** Elements closed implicitly by a sibling (p after p, td after td): an unclosed run of them does not nest. */
const IMPLIED_END = new Set(['p', 'li', 'dt', 'dd', 'option', 'optgroup', 'tr', 'td', 'th', 'rt', 'rp']);

const isNameChar = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 58;

/** The HTML with every start tag past `maxDepth` open elements turned into text; unchanged when none is. */
export function flattenDeepNesting(html: string, maxDepth = MAX_HTML_DEPTH): string {
  const stack: string[] = [];
  const open = new Map<string, number>();
  const out: string[] = [];
  let from = 0;
  let i = html.indexOf('<');
  while (i >= 0) {
    let pos = i + 1;
    if (html.startsWith('!--', pos)) {
      const end = html.indexOf('-->', pos + 3);
      i = end < 0 ? -1 : html.indexOf('<', end + 3);
      continue;
    }
    const closing = html.charCodeAt(pos) === 47; // '/'
    if (closing) pos++;
    const nameStart = pos;
    while (pos < html.length && isNameChar(html.charCodeAt(pos))) pos++;
    if (pos === nameStart) {
      i = html.indexOf('<', pos);
      continue;
    }
    const name = html.slice(nameStart, pos).toLowerCase();
    if (!VOID.has(name) && !IMPLIED_END.has(name)) {
      if (!closing) {
        if (stack.length >= maxDepth) {
          // Too deep: this tag becomes text and opens nothing.
          out.push(html.slice(from, i), '&lt;');
          from = i + 1;
        } else {
          stack.push(name);
          open.set(name, (open.get(name) ?? 0) + 1);
        }
      } else if (open.get(name)) {
        // Closes the innermost open element of that name and everything opened inside it (amortised linear).
        let popped: string | undefined;
        do {
          popped = stack.pop()!;
          open.set(popped, open.get(popped)! - 1);
        } while (popped !== name);
      }
    }
    i = html.indexOf('<', pos);
  }
  if (from === 0) return html;
  out.push(html.slice(from));
  return out.join('');
}
