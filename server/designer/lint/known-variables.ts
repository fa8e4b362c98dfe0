/**
 * The process variables a tenant's condition may read: those the product's own processes read or set (every one of
 * them has a producer: a form, a worker, the routing table or the registration; tests/processes/cross-check.test.ts
 * proves it), plus the ones the app puts in (processes/variables.ts). A condition on any other name would read a
 * variable nothing sets (its branch never taken, or taken on a typo) or one a person types in a field nobody meant
 * as a switch: the allow-list refuses it and lists these.
 */
import { readBaselineProcesses } from '../../engine/deploy-processes.ts';
import { DECLARED_VARIABLES } from '../../../processes/variables.ts';
import { expressionsIn, parseExpression, variablesOf } from './expressions.ts';

/** Names set in the documents without an expression: output mappings, call activity outputs, DMN outputs. */
function namedOutputs(xml: string): string[] {
  const out: string[] = [];
  for (const tag of ['<camunda:outputParameter ', '<camunda:out ', '<output ', '<dmn:output ']) {
    let i = 0;
    for (;;) {
      const at = xml.indexOf(tag, i);
      if (at < 0) break;
      const end = xml.indexOf('>', at);
      const el = xml.slice(at, end < 0 ? xml.length : end);
      for (const attr of [' name="', ' target="']) {
        const a = el.indexOf(attr);
        if (a >= 0) out.push(el.slice(a + attr.length, el.indexOf('"', a + attr.length)));
      }
      i = at + tag.length;
    }
  }
  return out;
}

/** XML text as the engine reads it: `&amp;&amp;` is `&&`, `&#39;` a quote. */
function unescapeXml(text: string): string {
  return text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&apos;', "'")
    .replaceAll('&#39;', "'")
    .replaceAll('&#34;', '"')
    .replaceAll('&amp;', '&');
}

/** Every variable the baseline processes read or set, and the declared ones. */
export function knownVariablesOf(files: Array<{ content: string }>): Set<string> {
  const known = new Set<string>(Object.keys(DECLARED_VARIABLES));
  for (const f of files) {
    for (const x of expressionsIn(unescapeXml(f.content))) {
      try {
        for (const v of variablesOf(parseExpression(x))) known.add(v);
      } catch {
        // The baseline passes the allow-list (tested); an expression outside our grammar names nothing.
      }
    }
    for (const name of namedOutputs(f.content)) if (name) known.add(name);
  }
  return known;
}

let baseline: Promise<ReadonlySet<string>> | undefined;

/** The known variables, read once from processes/ (they change only with a release). */
export function knownVariables(): Promise<ReadonlySet<string>> {
  baseline ??= readBaselineProcesses().then(knownVariablesOf);
  return baseline;
}
