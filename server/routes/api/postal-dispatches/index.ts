import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../../plugins/auth.ts';
import { viaOf } from '../../../audit/index.ts';
import { postalRegister, recordPostalDispatch, type PostalDispatch } from '../../../documents/index.ts';
import { errorResponses, IsoDateTime, Nullable } from '../common.schemas.ts';

const DispatchSchema = Type.Object({
  id: Type.Integer(),
  source: Type.Union([Type.Literal('case'), Type.Literal('gdpr_request')], {
    description: "A complaint case's letter, or a GDPR request's (never counted as a complaint)",
  }),
  /** The case's number, or the GDPR request's (…-GDPR-…). */
  caseNumber: Type.String(),
  /**
   * The letter itself: GET /api/complaints/{caseNumber}/documents/{documentId}, or for a GDPR request's letter
   * GET /api/privacy/postal-letters/{id}.
   */
  documentId: Type.Integer(),
  documentKind: Type.String(),
  documentSha256: Type.String(),
  recipientName: Type.String(),
  address: Type.String(),
  queuedAt: Type.String(),
  dispatchedAt: Nullable(Type.String()),
  postalReference: Nullable(Type.String()),
  deliveredAt: Nullable(Type.String()),
  proofOfDelivery: Nullable(Type.String()),
});

type Row = PostalDispatch;
const iso = (d: Date | null) => d?.toISOString() ?? null;
const toDto = (r: Row) => ({
  ...r,
  queuedAt: r.queuedAt.toISOString(),
  dispatchedAt: iso(r.dispatchedAt),
  deliveredAt: iso(r.deliveredAt),
});

/** The postal dispatch register: letters for consumers without e-mail (date, reference, proof of delivery). */
const postalDispatchesRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { db } = fastify.registerDeps;

  fastify.get(
    '/',
    {
      schema: {
        tags: ['postal-dispatches'],
        summary: 'The dispatch register, newest first (only letters not yet sent with pending=true)',
        querystring: Type.Object({ pending: Type.Optional(Type.Boolean()) }),
        response: { 200: Type.Object({ items: Type.Array(DispatchSchema) }), ...errorResponses },
      },
      config: { roles: ['officer', 'supervisor', 'admin'] },
    },
    async (req) => ({
      items: (await postalRegister(db, principalOf(req), req.query.pending === true, viaOf(req))).map(toDto),
    }),
  );

  fastify.patch(
    '/:id',
    {
      schema: {
        tags: ['postal-dispatches'],
        summary:
          'Record the dispatch (date, registered-mail reference) and, when known, the proof of delivery',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        body: Type.Object(
          {
            dispatchedAt: Type.Optional(IsoDateTime),
            postalReference: Type.Optional(Type.String({ minLength: 3, maxLength: 100 })),
            deliveredAt: Type.Optional(IsoDateTime),
            proofOfDelivery: Type.Optional(Type.String({ minLength: 3, maxLength: 500 })),
          },
          // Nothing to record is a mistake of the caller, not an update of nothing.
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Type.Object({ id: Type.Integer(), updated: Type.Boolean() }), ...errorResponses },
      },
      config: { roles: ['officer', 'supervisor'] },
    },
    async (req) => {
      const b = req.body;
      const row = await recordPostalDispatch(db, principalOf(req), req.params.id, {
        ...(b.dispatchedAt ? { dispatchedAt: new Date(b.dispatchedAt) } : {}),
        ...(b.postalReference ? { postalReference: b.postalReference } : {}),
        ...(b.deliveredAt ? { deliveredAt: new Date(b.deliveredAt) } : {}),
        ...(b.proofOfDelivery ? { proofOfDelivery: b.proofOfDelivery } : {}),
      });
      return { id: row.id, updated: true };
    },
  );
};

export default postalDispatchesRoutes;
