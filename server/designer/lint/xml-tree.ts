import { Parser } from 'saxen';

/**
 * A small namespace-aware XML tree for the deployment allow-list, read with saxen (a hand-written, linear SAX
 * parser; no regular expression meets the document). Every element and attribute name comes out with the prefix
 * we chose for its namespace URI (never the document's own prefixes, so `xmlns:x="…camunda…"` then `x:class`
 * still reads as `camunda:class`); a namespace we do not know keeps a generated prefix (`ns0:…`) and is refused
 * by the allow-list. Attribute values and text are entity-decoded before anyone looks at them (`&#36;{` is `${`).
 */

export interface XmlElement {
  name: string;
  attrs: Map<string, string>;
  children: XmlElement[];
  /** Text and CDATA directly inside the element, decoded. */
  text: string;
  parent: XmlElement | null;
}

/** Largest document read at all (characters); the routes cap the body at the same size. */
export const MAX_XML_CHARS = 1_000_000;
/** More elements than any real process or table has (the baseline's largest file has about 600). */
export const MAX_XML_ELEMENTS = 20_000;
const MAX_DEPTH = 64;

export class XmlShapeError extends Error {
  /** `syntax`: not well-formed XML at all; `shape`: well-formed but holding what we refuse (the message says). */
  constructor(
    message: string,
    readonly kind: 'syntax' | 'shape' = 'shape',
  ) {
    super(message);
  }
}

/**
 * Parses `xml` into a tree. Throws XmlShapeError (Romanian message) on anything the engine's parser could read
 * differently: a DOCTYPE or entity declaration, a processing instruction other than the XML declaration,
 * malformed attributes (saxen skips them with a warning where Xerces would refuse), unbalanced tags.
 */
export function parseXmlTree(xml: string, namespaces: Record<string, string>): XmlElement {
  if (xml.length > MAX_XML_CHARS)
    throw new XmlShapeError(`Fișierul are peste ${MAX_XML_CHARS.toLocaleString('ro-RO')} de caractere.`);
  const parser = new Parser({ proxy: false });
  parser.ns(namespaces);
  let root: XmlElement | null = null;
  let current: XmlElement | null = null;
  let depth = 0;
  let count = 0;
  let failure: XmlShapeError | null = null;
  const fail = (message: string, kind: 'syntax' | 'shape' = 'shape') => {
    failure ??= new XmlShapeError(message, kind);
    parser.stop();
  };
  parser.on('openTag', (name, getAttrs, decode, selfClosing) => {
    if (++count > MAX_XML_ELEMENTS) return fail(`Fișierul are peste ${MAX_XML_ELEMENTS} de elemente.`);
    if (++depth > MAX_DEPTH) return fail('Elementele sunt imbricate prea adânc.');
    const attrs = new Map<string, string>();
    for (const [k, v] of Object.entries(getAttrs())) {
      // Namespace declarations are read by saxen itself; they are not attributes of the model.
      if (k === 'xmlns' || k.startsWith('xmlns:')) continue;
      attrs.set(k, decode(v));
    }
    const el: XmlElement = { name, attrs, children: [], text: '', parent: current };
    if (current) current.children.push(el);
    else if (root) return fail('Documentul are mai multe elemente rădăcină.');
    else root = el;
    if (selfClosing) depth--;
    else current = el;
  });
  parser.on('closeTag', (_name, _decode, selfClosing) => {
    if (selfClosing) return;
    depth--;
    current = current?.parent ?? null;
  });
  parser.on('text', (value, decode) => {
    if (current) current.text += decode(value);
    else if (value.trim()) fail('Text în afara elementului rădăcină.');
  });
  parser.on('cdata', (value) => {
    if (current) current.text += value;
  });
  parser.on('attention', () => fail('Declarațiile DOCTYPE și ENTITY nu sunt permise.'));
  parser.on('question', (str) => {
    if (!str.startsWith('<?xml ') || root) fail('Instrucțiunile de procesare nu sunt permise.');
  });
  // saxen's own messages are English; a warning is what Xerces may read differently (a skipped attribute).
  parser.on('warn', () => fail('XML ambiguu (atribute fără ghilimele, repetate sau lipite).'));
  parser.on('error', () => fail('XML ilizibil', 'syntax'));
  parser.parse(xml);
  if (failure) throw failure as XmlShapeError;
  if (!root || current) throw new XmlShapeError('XML ilizibil', 'syntax');
  return root;
}

/** The id of the element or of its nearest ancestor that has one (what a message names). */
export function ownerId(el: XmlElement): string | null {
  for (let e: XmlElement | null = el; e; e = e.parent) {
    const id = e.attrs.get('id');
    if (id) return id;
  }
  return null;
}
