import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../../plugins/auth.ts';
import { recordOperatorAnswer } from '../../../operator-requests/index.ts';
import { errorResponses } from '../common.schemas.ts';

/** Requests to the distribution operator: an answer that came by letter or portal is entered here. */
const operatorRequestsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const deps = fastify.registerDeps;

  fastify.post(
    '/:caseNumber/:ref/answer',
    {
      schema: {
        tags: ['operator-requests'],
        summary:
          "Record the operator's answer to our request (reference `<case number>/OD<n>`); resumes the case",
        params: Type.Object({
          caseNumber: Type.String({ pattern: '^[A-Z0-9]{2,20}-\\d{4}-\\d{6}$' }),
          ref: Type.String({ pattern: '^OD\\d{1,4}$' }),
        }),
        body: Type.Object(
          { answerText: Type.String({ minLength: 5, maxLength: 20000 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ reference: Type.String(), correlated: Type.Boolean() }),
          ...errorResponses,
        },
      },
      config: { roles: ['officer', 'supervisor'] },
    },
    async (req) => {
      const p = principalOf(req);
      return recordOperatorAnswer(deps, {
        tenantId: p.tenantId,
        reference: `${req.params.caseNumber}/${req.params.ref}`,
        answerText: req.body.answerText,
        actor: { id: p.userId, kind: 'user' },
      });
    },
  );
};

export default operatorRequestsRoutes;
