import { urlForLog } from './users/password-links.ts';

/**
 * fastify's logger options for the API process: no credentials in the request log (the Authorization and Cookie
 * headers are redacted, a password-setting link's token is cut from the URL of the page it opens).
 */
export function requestLogOptions(level: string) {
  return {
    level,
    redact: ['req.headers.authorization', 'req.headers.cookie'],
    serializers: {
      req: (req: { method: string; url: string; host?: string; ip?: string }) => ({
        method: req.method,
        url: urlForLog(req.url),
        host: req.host,
        remoteAddress: req.ip,
      }),
    },
  };
}
