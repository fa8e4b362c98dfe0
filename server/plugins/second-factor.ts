import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { DomainError } from '../errors.ts';
import type { SecondFactorStage } from '../auth/auth.service.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Stages of an unfinished sign-in (besides a full one) that may call this route: 'totp' (the code is due),
     * 'enrol' (TOTP must be set up first). Absent: signed-in sessions only.
     */
    secondFactorStages?: Array<Exclude<SecondFactorStage, 'full'>>;
  }
}

/**
 * The second factor's gate, after the auth plugin has found the session: a session whose TOTP code is still due,
 * or whose person must enrol first, reaches only the routes that finish the sign-in (the code, enrolment, who am
 * I, logout). Everything else answers 403 with the step that is missing, so the pages can lead there.
 */
export default fp(
  async function secondFactor(fastify: FastifyInstance) {
    fastify.addHook('onRequest', async (req: FastifyRequest) => {
      const stage = req.principal?.secondFactor?.stage;
      if (!stage || stage === 'full') return;
      if (req.routeOptions.config?.secondFactorStages?.includes(stage)) return;
      throw new DomainError(
        stage === 'totp' ? 'AUTH_SECOND_FACTOR_REQUIRED' : 'AUTH_TOTP_ENROLMENT_REQUIRED',
      );
    });
  },
  { name: 'second-factor', dependencies: ['auth'] },
);
