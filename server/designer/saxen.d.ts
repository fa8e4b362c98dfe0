// saxen ships no types; the part of its API the allow-list uses (server/designer/lint/xml-tree.ts).
declare module 'saxen' {
  type Decode = (s: string) => string;
  export class Parser {
    constructor(options?: { proxy?: boolean });
    ns(namespaces: Record<string, string>): void;
    on(
      event: 'openTag',
      cb: (name: string, attrs: () => Record<string, string>, decode: Decode, selfClosing: boolean) => void,
    ): void;
    on(event: 'closeTag', cb: (name: string, decode: Decode, selfClosing: boolean) => void): void;
    on(event: 'text', cb: (value: string, decode: Decode) => void): void;
    on(event: 'cdata' | 'attention' | 'question' | 'comment', cb: (value: string) => void): void;
    on(event: 'warn' | 'error', cb: (err: Error) => void): void;
    parse(xml: string): void;
    stop(): void;
  }
}
