import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ComplaintCategory } from '../../../db/schema/index.ts';
import { DomainError } from '../../../errors.ts';
import type { PortalService } from '../../../portal/index.ts';
import { errorResponses } from '../common.schemas.ts';
import { sendFile, text, UUID, withForm, type FormUploads } from './form.ts';
import {
  AddedInformationSchema,
  CaseDetailSchema,
  CaseListSchema,
  COMPLAINT_FIELDS,
  ContestedSchema,
  ContestSchema,
  MultipartDescription,
  NumberParams,
  SubmittedComplaintSchema,
} from './portal.schemas.ts';
import { consumerConfig, consumerOf, security, tags } from './route-config.ts';

/** One's cases: the list, a new complaint, one case, information added, a contestation, the downloads. */
const casesRoutes: FastifyPluginAsyncTypebox<{ portal: PortalService }> = async (fastify, opts) => {
  const { portal } = opts;
  /** The consumer's files go to the store while the form streams (the portal service holds the tenant). */
  const uploadsOf = (p: ReturnType<typeof consumerOf>): FormUploads => ({
    receive: (fileName, source, limit) => portal.receiveFile(p, fileName, source, limit),
    discard: (files) => portal.discardReceived(p, files),
  });

  fastify.get(
    '/cases',
    {
      schema: {
        tags,
        security,
        summary: "One's cases: those of the linked customer accounts and those submitted in the portal",
        response: { 200: CaseListSchema, ...errorResponses },
      },
      config: consumerConfig,
    },
    async (req) => portal.listCases(consumerOf(req)),
  );

  fastify.post(
    '/cases',
    {
      schema: {
        tags,
        security,
        summary: 'Submit a complaint (channel portal) with photos and files',
        description: `${MultipartDescription} Fields: category, subject, body, placeId (a linked place) or customerId, contactName (required without a linked customer account), contactPhone, files.`,
        consumes: ['multipart/form-data'],
        response: {
          201: SubmittedComplaintSchema,
          ...errorResponses,
          413: errorResponses[400],
          415: errorResponses[400],
        },
      },
      config: { ...consumerConfig, rateLimit: { max: 30, timeWindow: '1 hour' } },
    },
    async (req, reply) => {
      const p = consumerOf(req);
      const result = await withForm(req, reply, uploadsOf(p), async ({ fields, files }) => {
        const category = fields.category ?? '';
        if (!COMPLAINT_FIELDS.categories.some((c) => c === category))
          throw new DomainError('VALIDATION_FAILED', { field: 'category' }, 'Alegeți categoria reclamației.');
        const placeId = fields.placeId?.trim() || undefined;
        const customerId = fields.customerId?.trim() || undefined;
        if ((placeId && !UUID.test(placeId)) || (customerId && !UUID.test(customerId)))
          throw new DomainError('PORTAL_PLACE_NOT_LINKED');
        return portal.submitComplaint(
          p,
          {
            category: category as ComplaintCategory,
            subject: text(fields, 'subject', 'subiectul', COMPLAINT_FIELDS.subject, true)!,
            body: text(fields, 'body', 'descrierea', COMPLAINT_FIELDS.body, true)!,
            placeId,
            customerId,
            contactName: text(fields, 'contactName', 'numele', COMPLAINT_FIELDS.contactName, false),
            contactPhone: text(fields, 'contactPhone', 'telefonul', COMPLAINT_FIELDS.contactPhone, false),
          },
          files,
        );
      });
      return reply.status(201).send(result);
    },
  );

  fastify.get(
    '/cases/:number',
    {
      schema: {
        tags,
        security,
        summary:
          "One's own case: public timeline, documents, what was sent in the portal (the view is audited)",
        params: NumberParams,
        response: { 200: CaseDetailSchema, ...errorResponses },
      },
      config: consumerConfig,
    },
    async (req) => portal.caseDetail(consumerOf(req), req.params.number),
  );

  fastify.post(
    '/cases/:number/information',
    {
      schema: {
        tags,
        security,
        summary: 'Add information (text and files) to an open case; correlates "consumer added information"',
        description: `${MultipartDescription} Fields: text, files.`,
        consumes: ['multipart/form-data'],
        params: NumberParams,
        response: {
          201: AddedInformationSchema,
          ...errorResponses,
          413: errorResponses[400],
          415: errorResponses[400],
        },
      },
      config: { ...consumerConfig, rateLimit: { max: 30, timeWindow: '1 hour' } },
    },
    async (req, reply) => {
      const p = consumerOf(req);
      const added = await withForm(req, reply, uploadsOf(p), ({ fields, files }) =>
        portal.addInformation(
          p,
          req.params.number,
          text(fields, 'text', 'informațiile', COMPLAINT_FIELDS.information, true)!,
          files,
        ),
      );
      return reply.status(201).send(added);
    },
  );

  fastify.post(
    '/cases/:number/contestations',
    {
      schema: {
        tags,
        security,
        summary:
          "Contest the answer to one's own case: a new case (handling of earlier complaints) linked to it; the original is not changed",
        params: NumberParams,
        body: ContestSchema,
        response: { 201: ContestedSchema, ...errorResponses },
      },
      config: { ...consumerConfig, rateLimit: { max: 30, timeWindow: '1 hour' } },
    },
    async (req, reply) =>
      reply.status(201).send(await portal.contest(consumerOf(req), req.params.number, req.body.text)),
  );

  fastify.get(
    '/cases/:number/documents/:documentId',
    {
      schema: {
        tags,
        security,
        summary: "A document we issued for one's own case (PDF); the download is audited",
        params: Type.Object({
          number: NumberParams.properties.number,
          documentId: Type.Integer({ minimum: 1 }),
        }),
        response: { 200: Type.Any({ description: 'application/pdf' }), ...errorResponses },
      },
      config: consumerConfig,
    },
    async (req, reply) =>
      sendFile(reply, await portal.document(consumerOf(req), req.params.number, req.params.documentId)),
  );

  fastify.get(
    '/cases/:number/files/:fileId',
    {
      schema: {
        tags,
        security,
        summary: 'A file sent in the portal for one’s own case, as stored; the download is audited',
        params: Type.Object({ number: NumberParams.properties.number, fileId: Type.Integer({ minimum: 1 }) }),
        response: {
          200: Type.Any({ description: 'the stored bytes, with their sniffed type' }),
          ...errorResponses,
        },
      },
      config: consumerConfig,
    },
    async (req, reply) =>
      sendFile(reply, await portal.file(consumerOf(req), req.params.number, req.params.fileId)),
  );
};

export default casesRoutes;
