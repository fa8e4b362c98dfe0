import type { FastifyRequest } from 'fastify';
import type { ConsumerPrincipal } from '../../../portal/index.ts';
import { DomainError } from '../../../errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    consumer: ConsumerPrincipal | null;
  }
  interface FastifyContextConfig {
    /** Portal routes reachable without a consumer session (choosing a supplier, asking for and entering a code). */
    portalPublic?: boolean;
  }
}

/** Reachable without a session (the staff hook skips it, and so does the portal's). */
export const publicConfig = { public: true, portalPublic: true } as const;
/** Needs a consumer session: the staff hook skips it, the portal's hook checks it. */
export const consumerConfig = { public: true } as const;
export const tags = ['portal'];
export const security = [{ bearer: [] }];

/** The consumer of the session the portal's hook checked. */
export function consumerOf(req: FastifyRequest): ConsumerPrincipal {
  if (!req.consumer) throw new DomainError('PORTAL_SESSION_INVALID');
  return req.consumer;
}
