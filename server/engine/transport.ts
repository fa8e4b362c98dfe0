/**
 * The HTTP layer of the one door to the engine: address and credentials, the per-request timeout, and the mapping
 * of every failure to EngineUnavailableError or EngineError. Only server/engine builds on it: dependency-cruiser
 * refuses an import of this file from anywhere else (rule engine-internals-stay-inside), and EngineClient holds its
 * transport in a private field, so outside server/engine nobody can send a request to an arbitrary REST path.
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
  /**
   * The address and credentials stay here (`#` fields: private at run time too, not only to the type checker): no
   * caller, not even the external-task client, gets them.
   */
  readonly #url: string;
  readonly #auth: string;
  /** Per-request timeout (the external-task client's long poll is sized to fit under it). */
  readonly timeoutMs: number;

  constructor(opts: EngineClientOptions) {
    this.#url = opts.url.replace(/\/$/, '');
    this.#auth = `Basic ${Buffer.from(`${opts.user}:${opts.password}`).toString('base64')}`;
    this.timeoutMs = opts.timeoutMs ?? 20_000;
  }

  /**
   * One JSON call to the REST API. Public for the other files of server/engine (the one door to the engine), which
   * reach it through `transportOf(client)`; everything outside server/engine uses EngineClient's typed methods.
   */
  async request<T>(method: string, path: string, body?: unknown, form?: FormData): Promise<T> {
    const res = await this.#send(method, path, 'application/json', body, form);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** A plain-text answer (stack traces, error details), with the same timeout and error mapping as `request`. */
  async requestText(method: string, path: string): Promise<string> {
    const res = await this.#send(method, path, 'text/plain');
    return res.status === 204 ? '' : res.text();
  }

  /** Sends one request and maps every failure to EngineUnavailableError or EngineError; returns a 2xx answer. */
  async #send(
    method: string,
    path: string,
    accept: string,
    body?: unknown,
    form?: FormData,
  ): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(`${this.#url}${path}`, {
        method,
        headers: {
          authorization: this.#auth,
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

/** Each EngineClient's transport, reachable only from the files of server/engine (the only importers of this file). */
const transports = new WeakMap<object, EngineTransport>();

/** Ties an engine client to its transport (EngineClient's constructor). */
export function bindTransport(client: object, transport: EngineTransport): void {
  transports.set(client, transport);
}

/**
 * The raw transport behind an engine client, for the calls of server/engine that the typed methods do not cover
 * (supervision.ts, external-tasks.ts).
 */
export function transportOf(client: object): EngineTransport {
  const t = transports.get(client);
  if (!t) throw new Error('not an EngineClient');
  return t;
}
