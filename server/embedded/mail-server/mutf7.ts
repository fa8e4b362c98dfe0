/**
 * Modified UTF-7 (RFC 3501 section 5.1.3): how IMAP4rev1 spells mailbox names on the wire. Printable ASCII stands
 * for itself ("&" as "&-"), anything else is UTF-16 in base64 with "," for "/" between "&" and "-". We keep
 * names as Unicode inside and convert at the protocol edge.
 */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,';
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

function encodeRun(run: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < run.length; i++) {
    const code = run.charCodeAt(i);
    bytes.push(code >> 8, code & 0xff);
  }
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const [a, b, c] = [bytes[i]!, bytes[i + 1], bytes[i + 2]];
    out += B64[a >> 2]!;
    out += B64[((a & 3) << 4) | ((b ?? 0) >> 4)]!;
    if (b !== undefined) out += B64[((b & 15) << 2) | ((c ?? 0) >> 6)]!;
    if (c !== undefined) out += B64[c & 63]!;
  }
  return `&${out}-`;
}

export function encodeMutf7(name: string): string {
  let out = '';
  let run = '';
  for (const ch of name) {
    const code = ch.charCodeAt(0);
    if (ch.length === 1 && code >= 0x20 && code <= 0x7e) {
      if (run) out += encodeRun(run);
      run = '';
      out += ch === '&' ? '&-' : ch;
    } else run += ch;
  }
  if (run) out += encodeRun(run);
  return out;
}

/** Decodes a wire name; null when it is not valid modified UTF-7 (the caller answers BAD/NO). */
export function decodeMutf7(wire: string): string | null {
  let out = '';
  for (let i = 0; i < wire.length; i++) {
    const ch = wire[i]!;
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code > 0x7e) return null; // 8-bit names must be encoded
    if (ch !== '&') {
      out += ch;
      continue;
    }
    const end = wire.indexOf('-', i + 1);
    if (end < 0) return null;
    if (end === i + 1) {
      out += '&';
      i = end;
      continue;
    }
    let bits = 0;
    let value = 0;
    const units: number[] = [];
    let byteBuf: number[] = [];
    for (let j = i + 1; j < end; j++) {
      const v = B64_INDEX.get(wire[j]!);
      if (v === undefined) return null;
      value = (value << 6) | v;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        byteBuf.push((value >> bits) & 0xff);
        value &= (1 << bits) - 1;
        if (byteBuf.length === 2) {
          units.push((byteBuf[0]! << 8) | byteBuf[1]!);
          byteBuf = [];
        }
      }
    }
    if (byteBuf.length || value !== 0) return null;
    out += String.fromCharCode(...units);
    i = end;
  }
  return out;
}
