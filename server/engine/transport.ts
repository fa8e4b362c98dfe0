/**
 * The HTTP layer of the one door to the engine: address and credentials, the per-request timeout, and the mapping
 * of every failure to EngineUnavailableError or EngineError. Only server/engine builds on it.
 */
import { EngineError, EngineUnavailableError } from './errors.ts';

export interface EngineClientOptions {
  url: string;
  user: string;
  password: string;
  /** Per-request timeout; keep it well under the outbox lease. */
  timeoutMs?: number;
}

export class EngineTransport {
  /** The address and credentials stay here: no caller, not even the external-task client, gets them. */
  private readonly url: string;
  private readonly auth: string;
  /** Per-request timeout (the external-task client's long poll is sized to fit under it). */
  readonly timeoutMs: number;

  constructor(opts: EngineClientOptions) {
    this.url = opts.url.replace(/\/$/, '');
    this.auth = `Basic ${Buffer.from(`${opts.user}:${opts.password}`).toString('base64')}`;
    this.timeoutMs = opts.timeoutMs ?? 20_000;
  }

  /**
   * One JSON call to the REST API. Public for the other modules of server/engine (the one door to the engine);
   * everything outside server/engine uses the typed methods.
   */
  async request<T>(method: string, path: string, body?: unknown, form?: FormData): Promise<T> {
    const res = await this.send(method, path, 'application/json', body, form);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** A plain-text answer (stack traces, error details), with the same timeout and error mapping as `request`. */
  async requestText(method: string, path: string): Promise<string> {
    const res = await this.send(method, path, 'text/plain');
    return res.status === 204 ? '' : res.text();
  }

  /** Sends one request and maps every failure to EngineUnavailableError or EngineError; returns a 2xx answer. */
  private async send(
    method: string,
    path: string,
    accept: string,
    body?: unknown,
    form?: FormData,
  ): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(`${this.url}${path}`, {
        method,
        headers: {
          authorization: this.auth,
          accept,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: form ?? (body !== undefined ? JSON.stringify(body) : undefined),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      // Connection refused / DNS: the request never reached the engine.
      const code = (err as { cause?: { code?: string } }).cause?.code;
      if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH') {
        throw new EngineUnavailableError(err);
      }
      throw new EngineError(0, 'Transport', `engine request failed: ${(err as Error).message}`);
    }
    if (!res.ok) {
      const text = await res.text();
      let type: string | undefined;
      let message = text;
      try {
        const parsed = JSON.parse(text) as { type?: string; message?: string };
        type = parsed.type;
        message = parsed.message ?? text;
      } catch {
        /* not JSON */
      }
      throw new EngineError(res.status, type, message.slice(0, 500));
    }
    return res;
  }
}
