// pdfmake@0.3 ships no types for its server build: the subset we use, typed once here.
declare module 'pdfmake' {
  export type Content = string | Record<string, unknown> | Content[];
  export interface DocDefinition {
    content: Content;
    info?: Record<string, string>;
    /** The document language (PDF /Lang), e.g. ro-RO. */
    language?: string;
    pageSize?: string;
    pageMargins?: [number, number, number, number];
    defaultStyle?: Record<string, unknown>;
    styles?: Record<string, Record<string, unknown>>;
    header?: Content | ((page: number, pages: number) => Content);
    footer?: Content | ((page: number, pages: number) => Content);
  }
  interface PdfMake {
    setFonts(
      fonts: Record<string, { normal: string; bold: string; italics: string; bolditalics: string }>,
    ): void;
    setUrlAccessPolicy(cb: (url: string) => boolean): void;
    setLocalAccessPolicy(cb: (path: string) => boolean): void;
    createPdf(doc: DocDefinition): { getBuffer(): Promise<Buffer> };
  }
  const pdfmake: PdfMake;
  export default pdfmake;
}
