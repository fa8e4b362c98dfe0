/**
 * What a FEEL text in a deployed DMN may hold (issue 13: "FEEL that calls functions beyond a safe list is
 * refused"). FEEL itself cannot reach Java except through `function(…) external { java: … }`, and it can loop
 * (`for i in 1..1e9 return …`) or run a regular expression (`matches`, `replace`) on a variable: so the text is
 * tokenized (by hand, linear) and refused when it defines a function, builds a context (`{…}`, where functions
 * live), loops, walks a path into an object (`x.y`: a Java object's getters), or calls a function not named in
 * SAFE_FUNCTIONS. Everything else (literals, names, comparisons, ranges, lists, if/then/else, arithmetic) is what
 * a decision table needs.
 */

export type FeelKind = 'expression' | 'unary-tests';

const MAX_LENGTH = 2000;

/**
 * Built-in functions a table may call: pure, bounded by their arguments, no regular expressions (so not `matches`
 * or `replace`: the engine's FEEL hands their pattern to Java's backtracking regex, and a designer's pattern could
 * stall the shared engine on every case routed). `split` takes a regex too: it is allowed only with a literal
 * separator free of regex syntax (splitSeparatorOk), which is what the baseline's `split(list, ",")` needs.
 */
const SAFE_FUNCTIONS = new Set([
  'not',
  'split',
  'substring',
  'substring before',
  'substring after',
  'string length',
  'upper case',
  'lower case',
  'contains',
  'starts with',
  'ends with',
  'string',
  'number',
  'date',
  'time',
  'date and time',
  'duration',
  'years and months duration',
  'count',
  'min',
  'max',
  'sum',
  'mean',
  'list contains',
  'index of',
  'append',
  'concatenate',
  'distinct values',
  'flatten',
  'abs',
  'floor',
  'ceiling',
  'decimal',
  'is defined',
  'now',
  'today',
  'day of week',
  'month of year',
]);

/** Words that open something we refuse outright. */
const REFUSED_WORDS: Record<string, string> = {
  function: 'definirea unei funcții',
  external: 'o funcție externă (Java)',
  for: 'o buclă (for)',
  some: 'o cuantificare (some)',
  every: 'o cuantificare (every)',
};

/** Words after which `(` opens a group, not a call. */
const KEYWORDS = new Set(['if', 'then', 'else', 'and', 'or', 'in', 'between', 'instance', 'of']);

/** Characters a `split` separator may hold: none of them means anything to a Java regular expression. */
const PLAIN_SEPARATOR = new Set([
  ...",;:/ _-#@&%='",
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
]);

/**
 * True when the call opened at `open` (the index of its `(`) is `split(<anything>, "<plain characters>")`: the
 * second argument a string literal without regex syntax, then the closing parenthesis. Linear: one pass.
 */
function splitSeparatorOk(text: string, open: number): boolean {
  let depth = 0;
  let i = open + 1;
  // The first argument, up to the comma at this call's own level.
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    } else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') {
      if (depth === 0) return false;
      depth--;
    } else if (c === ',' && depth === 0) break;
  }
  i++;
  while (text[i] === ' ') i++;
  if (text[i] !== '"') return false;
  const start = ++i;
  while (i < text.length && text[i] !== '"') if (!PLAIN_SEPARATOR.has(text[i++]!)) return false;
  if (i >= text.length || i === start) return false;
  i++;
  while (text[i] === ' ') i++;
  return text[i] === ')';
}

/** Returns why the text is refused (Romanian), or null when it may be deployed. */
export function checkFeel(text: string, _kind: FeelKind): string | null {
  if (text.length > MAX_LENGTH) return 'este prea lung';
  const isLetter = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
  const isDigit = (c: string) => c >= '0' && c <= '9';
  // Consecutive words (a FEEL name may hold spaces: `date and time`), reset by anything else.
  let words: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\n' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) return 'are un text neînchis';
      i = j + 1;
      words = [];
      continue;
    }
    if (isLetter(c)) {
      let j = i;
      while (j < text.length && (isLetter(text[j]!) || isDigit(text[j]!))) j++;
      const word = text.slice(i, j);
      const refused = REFUSED_WORDS[word];
      if (refused) return `nu poate conține ${refused}`;
      words.push(word);
      i = j;
      continue;
    }
    if (isDigit(c)) {
      let j = i;
      while (j < text.length && isDigit(text[j]!)) j++;
      if (text[j] === '.' && isDigit(text[j + 1] ?? '')) {
        j++;
        while (j < text.length && isDigit(text[j]!)) j++;
      }
      i = j;
      words = [];
      continue;
    }
    if (c === '(') {
      const last = words.at(-1);
      if (last !== undefined && !KEYWORDS.has(last)) {
        const phrase = words.slice(-4);
        let safe = false;
        for (let k = 0; k < phrase.length && !safe; k++) safe = SAFE_FUNCTIONS.has(phrase.slice(k).join(' '));
        if (!safe) return `nu poate apela funcția „${words.join(' ')}” (doar funcțiile de bază sigure)`;
        if (last === 'split' && !splitSeparatorOk(text, i))
          return 'poate apela funcția „split” doar cu un separator scris ca text simplu (de exemplu ",")';
      }
      i++;
      words = [];
      continue;
    }
    if (c === '.') {
      if (text[i + 1] === '.') {
        i += 2;
        words = [];
        continue;
      }
      return 'nu poate citi câmpuri ale unui obiect („.”)';
    }
    if (c === '!' && text[i + 1] === '=') {
      i += 2;
      words = [];
      continue;
    }
    if ('<>='.includes(c)) {
      i += text[i + 1] === '=' ? 2 : 1;
      words = [];
      continue;
    }
    if (')[],-+*/'.includes(c)) {
      i++;
      words = [];
      continue;
    }
    return `nu poate conține caracterul „${c}”`;
  }
  return null;
}
