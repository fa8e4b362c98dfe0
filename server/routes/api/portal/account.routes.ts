import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { dataSubjectRights, type DataSubjectRight } from '../../../codes/privacy-codes.ts';
import { type RegisterDeps } from '../../../intake/index.ts';
import type { Mailer } from '../../../mail/mailer.ts';
import type { PortalService } from '../../../portal/index.ts';
import { createDsrService } from '../../../privacy/index.ts';
import { errorResponses } from '../common.schemas.ts';
import { AccountSchema, LinkResultSchema, LinkSchema, PlaceListSchema } from './portal.schemas.ts';
import { consumerConfig, consumerOf, security, tags } from './route-config.ts';

/** The signed-in consumer: the account, its places, linking a customer account, a GDPR request. */
const accountRoutes: FastifyPluginAsyncTypebox<{
  portal: PortalService;
  registerDeps: RegisterDeps;
  mailer: Mailer | undefined;
}> = async (fastify, opts) => {
  const { portal } = opts;

  fastify.get(
    '/me',
    {
      schema: {
        tags,
        security,
        summary: 'The signed-in consumer: supplier, e-mail, linked customer accounts',
        response: { 200: AccountSchema, ...errorResponses },
      },
      config: consumerConfig,
    },
    async (req) => portal.account(consumerOf(req)),
  );

  fastify.get(
    '/places',
    {
      schema: {
        tags,
        security,
        summary: "One's places of consumption (of the linked customer accounts); audited",
        response: { 200: PlaceListSchema, ...errorResponses },
      },
      config: consumerConfig,
    },
    async (req) => portal.placesOf(consumerOf(req)),
  );

  fastify.post(
    '/links',
    {
      schema: {
        tags,
        security,
        summary:
          'Link a customer account: customer code + POD/CLC + contract number + meter serial, all of one place of this supplier. Every failure (wrong data, a limit reached) gets the same 422 PORTAL_LINK_REFUSED; wrong tries are limited per 24 h per portal account (5), per customer code (10) and per client address (20)',
        body: LinkSchema,
        response: { 201: LinkResultSchema, ...errorResponses },
      },
      // A flood guard per client address (every try writes an attempt and an audit row); the wrong-try limits that
      // matter are the service's, answered like a wrong try.
      config: { ...consumerConfig, rateLimit: { max: 30, timeWindow: '1 minute' } },
    },
    async (req, reply) => reply.status(201).send(await portal.link(consumerOf(req), req.body, req.ip)),
  );

  // A GDPR request from the portal (issue 12 item 9): not a complaint; the DPO answers within a month.
  const dsr = createDsrService({ ...opts.registerDeps, mailer: opts.mailer });
  fastify.post(
    '/gdpr-requests',
    {
      schema: {
        tags,
        security,
        summary: 'Send a GDPR data-subject request (access, rectification, erasure, ...): not a complaint',
        body: Type.Object({
          right: Type.Unsafe<DataSubjectRight>({ type: 'string', enum: [...dataSubjectRights] }),
          details: Type.String({ minLength: 5, maxLength: 20000 }),
          contactName: Type.String({ minLength: 2, maxLength: 200 }),
        }),
        response: {
          201: Type.Object({
            number: Type.String(),
            dueDate: Type.String(),
            countsAsComplaint: Type.Boolean(),
          }),
          ...errorResponses,
        },
      },
      config: { ...consumerConfig, rateLimit: { max: 10, timeWindow: '1 hour' } },
    },
    async (req, reply) => {
      const p = consumerOf(req);
      const r = await dsr.register(p.tenantId, null, {
        right: req.body.right,
        channel: 'portal',
        details: req.body.details,
        contactName: req.body.contactName,
        contactEmail: p.email,
      });
      return reply.status(201).send({ number: r.number, dueDate: r.dueDate, countsAsComplaint: false });
    },
  );
};

export default accountRoutes;
