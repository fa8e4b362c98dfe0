import type { DestinationStream, LoggerOptions } from 'pino';

/**
 * What no log line may hold (issue 13 item 9): passwords, session tokens, one-time and access codes, password
 * links, TOTP secrets. Pino blanks these keys wherever a call site passes them, at the top level of the logged
 * object or one level down (`{ user: { password } }`), in the request log and the application log alike. The
 * request log never shows bodies, and shows a URL's query only with its values blanked (urlForLog).
 */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  ...[
    'password',
    'passwordConfirmation',
    'currentPassword',
    'newPassword',
    'token',
    'sessionToken',
    'accessCode',
    'loginCode',
    'secret',
    'totpSecret',
    'recoveryCodes',
    'authorization',
    'cookie',
  ].flatMap((key) => [key, `*.${key}`]),
];

/** Pino options of the application log (main.ts, the background thread): the same redaction as the request log. */
export function appLogOptions(level: string): LoggerOptions {
  return { level, redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } };
}

/** A query parameter's name we show as it is; anything else (a bare token, say) is blanked like a value. */
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_.[\]-]{0,39}$/;

/**
 * A URL as the log shows it: the path, and the query with every value blanked. Query values carry credentials
 * (a password link's `token`, the status page's access `code`) and personal data (a search for a name), and a
 * list of the ones that do would be out of date the day someone adds a parameter. Plain string work, no
 * backtracking pattern on the client's text.
 */
export function urlForLog(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      if (!pair) return pair;
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      if (!PLAIN_NAME.test(name)) return '[redacted]';
      return eq < 0 ? name : `${name}=[redacted]`;
    })
    .join('&');
  return `${url.slice(0, q)}?${query}`;
}

/**
 * fastify's logger options for the API process: no credentials in the request log (Authorization and Cookie
 * headers redacted, query values blanked, bodies never logged). `stream` sends the lines elsewhere than stdout
 * (the tests write each app's log to a file and read it back).
 */
export function requestLogOptions(level: string, stream?: DestinationStream) {
  return {
    ...appLogOptions(level),
    serializers: {
      req: (req: { method: string; url: string; host?: string; ip?: string }) => ({
        method: req.method,
        url: urlForLog(req.url),
        host: req.host,
        remoteAddress: req.ip,
      }),
    },
    ...(stream ? { stream } : {}),
  };
}
