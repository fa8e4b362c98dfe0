import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../../plugins/auth.ts';
import { registerComplaint } from '../../../intake/index.ts';
import { downloadReceivedAttachment } from '../../../cases/index.ts';
import { errorResponses } from '../common.schemas.ts';
import { DomainError } from '../../../errors.ts';
import { viaOf } from '../../../audit/index.ts';
import {
  AnnulResultSchema,
  AnnulSchema,
  CaseDetailSchema,
  CaseListSchema,
  RegisterComplaintSchema,
  ListComplaintsQuery,
  NumberParams,
  RegisteredComplaintSchema,
} from './complaints.schemas.ts';
import { CaseProgressSchema } from './progress.schemas.ts';
import { regulatorData } from '../../../deadlines/index.ts';

const complaintsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { casesService } = fastify.services;
  const registerDeps = fastify.registerDeps;

  fastify.post(
    '/',
    {
      schema: {
        tags: ['complaints'],
        summary: 'Register a complaint (call center); answers at once with its number and legal due date',
        description:
          'Send an Idempotency-Key header (8 to 200 letters, digits, `.`, `_`, `:`, `-`) to retry safely: the same key with the same request answers the first registration again (header Idempotent-Replayed: true), never a second case; with another request it is refused (422 IDEMPOTENCY_KEY_REUSED).',
        headers: Type.Object({
          'idempotency-key': Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._:-]{8,200}$' })),
        }),
        body: RegisterComplaintSchema,
        response: { 201: RegisteredComplaintSchema, ...errorResponses },
      },
      config: { roles: ['agent', 'officer', 'supervisor'] },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const { category } = req.body;
      if (category === 'cerere_gdpr') throw new DomainError('GDPR_REQUEST_NOT_A_COMPLAINT');
      if (category === 'sesizare_autoritate') throw new DomainError('CATEGORY_IS_A_SOURCE');
      const result = await registerComplaint(registerDeps, {
        ...req.body,
        category,
        tenantId: p.tenantId,
        channel: 'call_center',
        actor: { id: p.userId, kind: 'user' },
        idempotencyKey: req.headers['idempotency-key'],
      });
      if (result.replayed) void reply.header('idempotent-replayed', 'true');
      const { replayed: _replayed, ...answer } = result;
      return reply.status(201).send(answer);
    },
  );

  fastify.get(
    '/',
    {
      schema: {
        tags: ['complaints'],
        summary: 'Search complaints (number, customer, subject, text), newest first',
        querystring: ListComplaintsQuery,
        response: { 200: CaseListSchema, ...errorResponses },
      },
      config: { roles: ['agent', 'officer', 'supervisor', 'admin'] },
    },
    async (req) =>
      casesService.search(
        principalOf(req),
        req.query.q?.trim() || undefined,
        req.query.page,
        req.query.pageSize,
        viaOf(req),
      ),
  );

  fastify.get(
    '/:number',
    {
      schema: {
        tags: ['complaints'],
        summary: 'One complaint with its timeline (the view is audited)',
        params: NumberParams,
        response: { 200: CaseDetailSchema, ...errorResponses },
      },
      config: { roles: ['agent', 'officer', 'supervisor', 'admin'] },
    },
    async (req) => {
      const r = await casesService.get(principalOf(req), req.params.number, viaOf(req));
      const c = r.case;
      return {
        id: c.id,
        number: c.number,
        status: c.status,
        channel: c.channel,
        category: c.category,
        customerType: c.customerType,
        energy: c.energy,
        source: c.source,
        authority:
          c.source === 'authority'
            ? { name: c.authorityName, reference: c.authorityReference, dueDate: c.authorityDueDate }
            : null,
        kind: c.kind,
        subject: c.subject,
        body: c.body,
        contactName: c.contactName,
        contactEmail: c.contactEmail,
        contactPhone: c.contactPhone,
        receivedAt: c.receivedAt.toISOString(),
        registeredOn: c.registeredOn,
        dueDate: c.dueDate,
        deadlineRule: c.deadlineRule,
        findings: c.findings,
        answerText: c.answerText,
        answerSentAt: c.answerSentAt?.toISOString() ?? null,
        closedAt: c.closedAt?.toISOString() ?? null,
        annulledAt: c.annulledAt?.toISOString() ?? null,
        annulReason: c.annulReason,
        processStarted: !!c.processInstanceId,
        versions: {
          processDefinitionId: c.processDefinitionId,
          processHash: c.processHash,
          instructionsHash: c.instructionsHash,
        },
        deadline: {
          originalDueDate: c.originalDueDate,
          extendedAt: c.extendedAt?.toISOString() ?? null,
          breachedAt: c.breachedAt?.toISOString() ?? null,
          delayDays: c.delayDays,
          compensationLei: c.compensationLei,
        },
        filedReason: c.filedReason,
        additionalCategories: c.additionalCategories,
        regulator: regulatorData(c),
        accessCode: r.accessCode,
        customer: r.customer
          ? {
              id: r.customer.id,
              customerCode: r.customer.customerCode,
              name: r.customer.name,
              customerType: r.customer.customerType,
            }
          : null,
        place: r.place
          ? { id: r.place.id, placeCode: r.place.placeCode, energy: r.place.energy, address: r.place.address }
          : null,
        events: r.events.map((e) => ({
          at: e.at.toISOString(),
          type: e.type,
          visibility: e.visibility,
          message: e.message,
          actorName: e.actorName,
        })),
        documents: r.documents.map((d) => ({
          id: d.id,
          kind: d.kind,
          fileName: d.fileName,
          contentType: d.contentType,
          sha256: d.sha256,
          size: d.size,
          createdAt: d.createdAt.toISOString(),
        })),
        messages: r.messages.map((m) => ({
          ...m,
          date: m.date.toISOString(),
          sentAt: m.date.toISOString(),
        })),
        activities: r.activities.map((a) => ({
          activityId: a.activityId,
          name: a.activityName,
          type: a.activityType,
          assignee: a.assignee,
          startTime: a.startTime,
          endTime: a.endTime,
        })),
      };
    },
  );

  fastify.get(
    '/:number/documents/:documentId',
    {
      schema: {
        tags: ['complaints'],
        summary: 'A document issued for the case (PDF), as stored; the download is audited',
        params: Type.Object({
          number: NumberParams.properties.number,
          documentId: Type.Integer({ minimum: 1 }),
        }),
        response: { 200: Type.Any({ description: 'application/pdf' }), ...errorResponses },
      },
      config: { roles: ['agent', 'officer', 'supervisor', 'admin'] },
    },
    async (req, reply) => {
      const doc = await casesService.document(
        principalOf(req),
        req.params.number,
        req.params.documentId,
        viaOf(req),
      );
      return reply
        .header('content-type', doc.contentType)
        .header('content-disposition', `attachment; filename="${doc.fileName}"`)
        .header('x-content-sha256', doc.sha256)
        .send(doc.content);
    },
  );

  fastify.get(
    '/:number/attachments/:attachmentId',
    {
      schema: {
        tags: ['complaints'],
        summary: 'An attachment of a message received for the case, as received; the download is audited',
        params: Type.Object({
          number: NumberParams.properties.number,
          attachmentId: Type.Integer({ minimum: 1 }),
        }),
        response: { 200: Type.Any({ description: 'the attachment as received' }), ...errorResponses },
      },
      config: { roles: ['agent', 'officer', 'supervisor', 'admin'] },
    },
    async (req, reply) => {
      const a = await downloadReceivedAttachment(
        fastify.registerDeps.db,
        principalOf(req),
        req.params.number,
        req.params.attachmentId,
        viaOf(req),
      );
      return reply
        .header('content-type', a.contentType)
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(a.filename)}`)
        .send(a.content);
    },
  );

  fastify.get(
    '/:number/progress',
    {
      schema: {
        tags: ['complaints'],
        summary: 'Degree of execution: open tasks with holders and ticked steps, remaining tasks, time left',
        params: NumberParams,
        response: { 200: CaseProgressSchema, ...errorResponses },
      },
      config: { roles: ['officer', 'supervisor', 'admin'] },
    },
    async (req) => fastify.services.caseProgressService.progress(principalOf(req), req.params.number),
  );

  fastify.post(
    '/:number/annulment',
    {
      schema: {
        tags: ['complaints'],
        summary: 'Annul a registration made by mistake (supervisor); the number stays used',
        params: NumberParams,
        body: AnnulSchema,
        response: { 200: AnnulResultSchema, ...errorResponses },
      },
      config: { roles: ['supervisor'] },
    },
    async (req) => casesService.annul(principalOf(req), req.params.number, req.body.reason),
  );
};

export default complaintsRoutes;
