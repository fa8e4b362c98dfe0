/**
 * The expressions a deployed BPMN may hold (house rule: nothing a tenant deploys runs as code). An expression is
 * `${…}` or `#{…}` over: variables, string/number/boolean/null literals, `==` `!=` `<` `<=` `>` `>=`, `&&` `||`
 * `!`, parentheses, `a ? b : c`, and exactly three member chains: `execution.getVariable('name')`,
 * `execution.processBusinessKey` and `decisionResult.getSingleResult().get('name')` (a DMN output). Anything else
 * (another method, a bean, an index) is refused. Read by a hand-written tokenizer, never a regular expression.
 */

export type Value = string | number | boolean | null;

export type Expr =
  | { k: 'lit'; v: Value }
  | { k: 'var'; name: string; guarded: boolean }
  | { k: 'member'; chain: string }
  | { k: 'not'; e: Expr }
  | { k: 'if'; c: Expr; t: Expr; f: Expr }
  | { k: 'bin'; op: '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||'; l: Expr; r: Expr };

interface Tok {
  t: 'op' | 'str' | 'num' | 'id' | 'punct';
  v: string;
}

const MAX_LENGTH = 2000;

/**
 * Names the engine's EL resolves to objects of its own, not to process variables: read bare, they would hand an
 * expression the engine (its services, the task, the Spring context). Refused even where no method is called.
 */
const CONTEXT_NAMES = new Set([
  'execution',
  'task',
  'authentication',
  'decisionResult',
  'processEngine',
  'processEngineServices',
  'processEngineConfiguration',
  'variableScope',
  'caseExecution',
  'externalTask',
  'applicationContext',
  'environment',
  'systemProperties',
  'systemEnvironment',
]);

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const isIdStart = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
  const isId = (c: string) => isIdStart(c) || (c >= '0' && c <= '9');
  const two = ['==', '!=', '<=', '>=', '&&', '||'];
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\n' || c === '\t' || c === '\r') i++;
    else if (c === '\\') throw new Error('caracterul „\\” (EL îl citește altfel decât noi)');
    else if (c === "'" || c === '"') {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new Error('un text neînchis');
      if (src.slice(i, end).includes('\\'))
        throw new Error('caracterul „\\” (EL îl citește altfel decât noi)');
      out.push({ t: 'str', v: src.slice(i + 1, end) });
      i = end + 1;
    } else if (two.includes(src.slice(i, i + 2))) {
      out.push({ t: 'op', v: src.slice(i, i + 2) });
      i += 2;
    } else if (c === '<' || c === '>') {
      out.push({ t: 'op', v: c });
      i++;
    } else if ('!().?:'.includes(c)) {
      out.push({ t: 'punct', v: c });
      i++;
    } else if (c >= '0' && c <= '9') {
      let j = i;
      while (j < src.length && ((src[j]! >= '0' && src[j]! <= '9') || src[j] === '.')) j++;
      out.push({ t: 'num', v: src.slice(i, j) });
      i = j;
    } else if (isIdStart(c)) {
      let j = i;
      while (j < src.length && isId(src[j]!)) j++;
      out.push({ t: 'id', v: src.slice(i, j) });
      i = j;
    } else throw new Error(`caracterul „${c}”`);
  }
  return out;
}

/**
 * Parses one `${…}` / `#{…}` expression of the allowed language; throws an Error whose message (Romanian) says
 * what is not allowed.
 */
export function parseExpression(text: string): Expr {
  const s = text.trim();
  if (s.length > MAX_LENGTH) throw new Error('expresia este prea lungă');
  if (!(s.startsWith('${') || s.startsWith('#{')) || !s.endsWith('}'))
    throw new Error('nu este de forma ${…}');
  const toks = tokenize(s.slice(2, -1));
  let p = 0;
  const peek = () => toks[p];
  const isPunct = (v: string) => peek()?.t === 'punct' && peek()?.v === v;
  const take = (t: Tok['t'], v?: string) => {
    const x = toks[p];
    if (!x || x.t !== t || (v !== undefined && x.v !== v)) throw new Error(`se aștepta ${v ?? t}`);
    p++;
    return x;
  };
  const member = (head: string): Expr => {
    // execution.getVariable('x') | execution.processBusinessKey | decisionResult.getSingleResult().get('x')
    take('punct', '.');
    const name = take('id').v;
    if (head === 'execution' && name === 'processBusinessKey')
      return { k: 'member', chain: 'execution.processBusinessKey' };
    if (head === 'execution' && name === 'getVariable') {
      take('punct', '(');
      const v = take('str').v;
      take('punct', ')');
      return { k: 'var', name: v, guarded: true };
    }
    if (head === 'decisionResult' && name === 'getSingleResult') {
      take('punct', '(');
      take('punct', ')');
      take('punct', '.');
      take('id', 'get');
      take('punct', '(');
      const v = take('str').v;
      take('punct', ')');
      return { k: 'member', chain: `decisionResult.getSingleResult().get('${v}')` };
    }
    throw new Error(`„${head}.${name}” nu este permis`);
  };
  const primary = (): Expr => {
    const x = peek();
    if (!x) throw new Error('expresia se termină prea devreme');
    if (x.t === 'punct' && x.v === '!') {
      p++;
      return { k: 'not', e: primary() };
    }
    if (x.t === 'punct' && x.v === '(') {
      p++;
      const e = ternary();
      take('punct', ')');
      return e;
    }
    p++;
    if (x.t === 'str') return { k: 'lit', v: x.v };
    if (x.t === 'num') {
      const n = Number(x.v);
      if (!Number.isFinite(n)) throw new Error(`numărul „${x.v}”`);
      return { k: 'lit', v: n };
    }
    if (x.t === 'id') {
      if (x.v === 'true' || x.v === 'false') return { k: 'lit', v: x.v === 'true' };
      if (x.v === 'null') return { k: 'lit', v: null };
      if (isPunct('.')) return member(x.v);
      if (isPunct('(')) throw new Error(`funcția „${x.v}” nu este permisă`);
      if (CONTEXT_NAMES.has(x.v)) throw new Error(`„${x.v}” nu este o variabilă a procesului`);
      return { k: 'var', name: x.v, guarded: false };
    }
    throw new Error(`„${x.v}” nu este permis aici`);
  };
  const cmp = (): Expr => {
    const l = primary();
    const x = peek();
    if (x?.t === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(x.v)) {
      p++;
      return { k: 'bin', op: x.v as '==', l, r: primary() };
    }
    return l;
  };
  const and = (): Expr => {
    let l = cmp();
    while (peek()?.t === 'op' && peek()?.v === '&&') {
      p++;
      l = { k: 'bin', op: '&&', l, r: cmp() };
    }
    return l;
  };
  const or = (): Expr => {
    let l = and();
    while (peek()?.t === 'op' && peek()?.v === '||') {
      p++;
      l = { k: 'bin', op: '||', l, r: and() };
    }
    return l;
  };
  const ternary = (): Expr => {
    const c = or();
    if (!isPunct('?')) return c;
    p++;
    const t = ternary();
    take('punct', ':');
    return { k: 'if', c, t, f: ternary() };
  };
  const e = ternary();
  if (p !== toks.length) throw new Error(`„${toks[p]!.v}” nu este permis aici`);
  return e;
}

/** The `${…}` / `#{…}` expressions inside a text (attribute values may hold one; names never should). */
export function expressionsIn(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    const a = text.indexOf('${', i);
    const b = text.indexOf('#{', i);
    const start = a < 0 ? b : b < 0 ? a : Math.min(a, b);
    if (start < 0) return out;
    // Strings inside may hold braces; the expression ends at the first } outside quotes.
    let j = start + 2;
    let quote = '';
    while (j < text.length) {
      const c = text[j]!;
      if (quote) {
        if (c === quote) quote = '';
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '}') break;
      j++;
    }
    out.push(text.slice(start, j + 1));
    i = j + 1;
  }
}

/** The process variables an expression reads (bare or through execution.getVariable). */
export function variablesOf(e: Expr): string[] {
  switch (e.k) {
    case 'var':
      return [e.name];
    case 'lit':
    case 'member':
      return [];
    case 'not':
      return variablesOf(e.e);
    case 'if':
      return [...variablesOf(e.c), ...variablesOf(e.t), ...variablesOf(e.f)];
    case 'bin':
      return [...variablesOf(e.l), ...variablesOf(e.r)];
  }
}
