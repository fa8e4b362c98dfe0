import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import pdfmake, { type DocDefinition } from 'pdfmake';

/**
 * PDFs with pdfmake and an embedded DejaVu Sans (every Romanian letter, ș ț with comma below included). The font
 * comes from the `dejavu-fonts-ttf` package, else from Debian's fonts-dejavu-core.
 */
function fontDir(): string {
  try {
    const pkg = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json');
    const dir = path.join(path.dirname(pkg), 'ttf');
    if (existsSync(path.join(dir, 'DejaVuSans.ttf'))) return dir;
  } catch {
    /* not installed */
  }
  const debian = '/usr/share/fonts/truetype/dejavu';
  if (existsSync(path.join(debian, 'DejaVuSans.ttf'))) return debian;
  throw new Error('DejaVu Sans not found: install dejavu-fonts-ttf (npm) or fonts-dejavu-core (apt)');
}

let configured = false;
function configure() {
  if (configured) return;
  const dir = fontDir();
  pdfmake.setFonts({
    DejaVuSans: {
      normal: path.join(dir, 'DejaVuSans.ttf'),
      bold: path.join(dir, 'DejaVuSans-Bold.ttf'),
      italics: path.join(dir, 'DejaVuSans-Oblique.ttf'),
      bolditalics: path.join(dir, 'DejaVuSans-BoldOblique.ttf'),
    },
  });
  // Documents are built from our own data only: no remote resources, only the font files.
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((p) => path.resolve(p).startsWith(dir));
  configured = true;
}

export function renderPdf(doc: DocDefinition): Promise<Buffer> {
  configure();
  return pdfmake
    .createPdf({
      pageSize: 'A4',
      // The PDF's /Lang: screen readers read our letters as Romanian.
      language: 'ro-RO',
      pageMargins: [56, 96, 56, 64],
      ...doc,
      defaultStyle: { font: 'DejaVuSans', fontSize: 10.5, lineHeight: 1.25, ...doc.defaultStyle },
    })
    .getBuffer();
}
