import type { Socket } from 'node:net';

/** Longest command line we read (without literals); dovecot's default is 64 KiB too. */
export const MAX_LINE = 64 * 1024;
/** Largest literal (an APPENDed message); the SMTP side accepts 30 MB, this leaves room. */
export const MAX_LITERAL = 50 * 1024 * 1024;
/** Literals of one command together, and how many. */
const MAX_COMMAND_BYTES = MAX_LITERAL + 1024 * 1024;
const MAX_LITERALS = 256;
/** Unread bytes held before the socket is paused (a client that pipelines faster than we answer). */
const HIGH_WATER = 1024 * 1024;

/** One client command as it came: text segments with the literals between them (text, lit, text, ...). */
export type CommandParts = Array<string | Buffer>;

export type ReadResult =
  | { kind: 'command'; parts: CommandParts }
  /** The command is unusable; answer BAD with `message` (tagged when the tag could be read) and go on. */
  | { kind: 'bad'; tag: string | null; message: string }
  /** The stream cannot be resynchronised (a non-synchronising literal we refuse): say BYE and close. */
  | { kind: 'fatal'; message: string }
  | { kind: 'closed' };

/**
 * Pull-style reader over a socket: the session asks for the next line, the next command (following literals,
 * sending "+" for synchronising ones when it gets there) or the next bytes, and waits until they arrived.
 * Only indexOf over buffers, no regular expressions, and every buffer is bounded.
 */
export class ImapReader {
  private chunks: Buffer[] = [];
  /** Bytes of chunks[0] already consumed. */
  private headOff = 0;
  private buffered = 0;
  /** Where the search for the next LF resumes (chunk index, offset). */
  private scanIdx = 0;
  private scanOff = 0;
  private closed = false;
  private paused = false;
  private wake: (() => void) | null = null;

  constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      if (this.buffered > HIGH_WATER && !this.paused) {
        this.paused = true;
        socket.pause();
      }
      this.notify();
    });
    const end = () => {
      this.closed = true;
      this.notify();
    };
    socket.on('end', end);
    socket.on('close', end);
    socket.on('error', end);
  }

  private notify() {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** Waits for more data; false once the peer is gone. */
  private more(): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (this.paused && this.buffered < HIGH_WATER) {
      this.paused = false;
      this.socket.resume();
    }
    return new Promise((resolve) => {
      this.wake = () => resolve(!this.closed || this.buffered > 0);
    });
  }

  /** Removes `n` buffered bytes and returns them as one buffer. */
  private take(n: number): Buffer {
    const out: Buffer[] = [];
    let left = n;
    while (left > 0) {
      const c = this.chunks[0]!;
      const avail = c.length - this.headOff;
      if (avail <= left) {
        out.push(this.headOff ? c.subarray(this.headOff) : c);
        this.chunks.shift();
        this.headOff = 0;
        left -= avail;
      } else {
        out.push(c.subarray(this.headOff, this.headOff + left));
        this.headOff += left;
        left = 0;
      }
    }
    this.buffered -= n;
    this.scanIdx = 0;
    this.scanOff = this.headOff;
    return out.length === 1 ? out[0]! : Buffer.concat(out, n);
  }

  /** Offset of the next LF from the unread start, or -1 (resumes where the last search stopped). */
  private findLf(): number {
    while (this.scanIdx < this.chunks.length) {
      const c = this.chunks[this.scanIdx]!;
      const from = this.scanIdx === 0 ? Math.max(this.scanOff, this.headOff) : this.scanOff;
      const i = c.indexOf(10, from);
      if (i >= 0) {
        let before = 0;
        for (let k = 0; k < this.scanIdx; k++) before += this.chunks[k]!.length;
        return before - this.headOff + i;
      }
      this.scanIdx++;
      this.scanOff = 0;
    }
    return -1;
  }

  /**
   * The next line without its CRLF (or bare LF). A line longer than `max` is read to its end and dropped:
   * the result then says so and keeps its first bytes (for the tag).
   */
  async readLine(max = MAX_LINE): Promise<Buffer | { tooLong: Buffer } | null> {
    let dropping: Buffer | null = null;
    for (;;) {
      const lf = this.findLf();
      if (lf >= 0) {
        if (dropping) {
          this.take(lf + 1);
          return { tooLong: dropping };
        }
        if (lf > max) {
          return { tooLong: this.take(lf + 1).subarray(0, 64) };
        }
        const line = this.take(lf + 1);
        const end = line.length >= 2 && line[line.length - 2] === 13 ? line.length - 2 : line.length - 1;
        return line.subarray(0, end);
      }
      if (this.buffered > max) {
        const head = this.take(this.buffered);
        dropping ??= head.subarray(0, 64);
      }
      if (!(await this.more())) return null;
    }
  }

  /** Exactly `n` bytes (a literal), copied as they arrive so at most one chunk waits in memory. */
  async readBytes(n: number): Promise<Buffer | null> {
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      if (this.buffered === 0 && !(await this.more())) return null;
      const part = this.take(Math.min(this.buffered, n - filled));
      part.copy(out, filled);
      filled += part.length;
    }
    return out;
  }

  /**
   * Reads one command with its literals; `continueLiteral` is sent before each synchronising literal. Before login
   * the caller passes a small `maxLiteral` (a user name or password never needs 50 MB).
   */
  async readCommand(continueLiteral: () => void, maxLiteral = MAX_LITERAL): Promise<ReadResult> {
    const parts: CommandParts = [];
    let literalBytes = 0;
    for (;;) {
      const line = await this.readLine();
      if (line === null) return { kind: 'closed' };
      if (!Buffer.isBuffer(line)) {
        const tag = tagOf(parts.length ? String(parts[0]) : line.tooLong.toString('latin1'));
        return { kind: 'bad', tag, message: `Command line too long (more than ${MAX_LINE} bytes)` };
      }
      const text = line.toString('utf8');
      const lit = literalMarker(text);
      if (!lit) {
        parts.push(text);
        return { kind: 'command', parts };
      }
      parts.push(text.slice(0, lit.start));
      const tag = tagOf(String(parts[0]));
      literalBytes += lit.size;
      const tooBig =
        lit.size > maxLiteral
          ? `Literal too large (${lit.size} bytes, at most ${maxLiteral}${maxLiteral < MAX_LITERAL ? ' before login' : ''})`
          : literalBytes > MAX_COMMAND_BYTES || parts.length / 2 > MAX_LITERALS
            ? 'Too much literal data in one command'
            : null;
      if (tooBig) {
        // A synchronising literal is simply not asked for; the bytes of a LITERAL+ one are already coming.
        if (lit.nonSync) return { kind: 'fatal', message: tooBig };
        return { kind: 'bad', tag, message: tooBig };
      }
      if (!lit.nonSync) continueLiteral();
      const data = await this.readBytes(lit.size);
      if (data === null) return { kind: 'closed' };
      parts.push(data);
    }
  }
}

/** The tag at the start of a command line, if it looks like one. */
export function tagOf(line: string): string | null {
  const sp = line.indexOf(' ');
  const tag = sp < 0 ? line : line.slice(0, sp);
  if (!tag || tag.length > 64) return null;
  for (let i = 0; i < tag.length; i++) {
    const c = tag.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f || '(){%*"\\+'.includes(tag[i]!)) return null;
  }
  return tag;
}

/** `{123}` or `{123+}` at the end of a line (RFC 3501 literal, RFC 7888 LITERAL+). */
export function literalMarker(text: string): { start: number; size: number; nonSync: boolean } | null {
  if (!text.endsWith('}')) return null;
  const open = text.lastIndexOf('{');
  if (open < 0) return null;
  let digits = text.slice(open + 1, -1);
  const nonSync = digits.endsWith('+');
  if (nonSync) digits = digits.slice(0, -1);
  if (!digits || digits.length > 12) return null;
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  return { start: open, size: Number(digits), nonSync };
}
