/**
 * The /api/privacy routes (fastify plugin, privacyRoutes below): data-subject requests, the access log, the export of
 * a person's data and the retention setting. One file although past 300 lines: one resource's routes with their
 * schemas, the same DPO check on each, as every other routes/api/<resource>/index.ts; the work is in server/privacy.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../../plugins/auth.ts';
import { errorResponses, IsoDateTime, Uuid, CaseNumber, Nullable } from '../common.schemas.ts';
import { DomainError } from '../../../errors.ts';
import {
  accessSubjects,
  dataSubjectRights,
  dsrOutcomes,
  type AccessSubject,
  type DataSubjectRight,
  type DsrOutcome,
} from '../../../codes/privacy-codes.ts';
import {
  createDsrService,
  dsrLetterForPost,
  exportSubject,
  requireDpo,
  retentionYears,
  setRetentionYears,
} from '../../../privacy/index.ts';
import { registerQuarantinedAsGdprRequest } from '../../../intake/index.ts';
import { eraseForRequest } from '../../../retention/index.ts';
import type { Mailer } from '../../../mail/mailer.ts';
import { accessLogOf, viaOf } from '../../../audit/index.ts';

const DsrNumber = Type.String({
  pattern: '^[A-Z0-9]{2,20}-GDPR-\\d{4}-\\d{6}$',
  maxLength: 50,
  description: 'e.g. DEMO-GDPR-2026-000001',
});
const Right = Type.Unsafe<DataSubjectRight>({
  type: 'string',
  enum: [...dataSubjectRights],
  description: 'GDPR art. 15–21',
});

const DsrSchema = Type.Object({
  id: Type.String(),
  number: Type.String(),
  right: Type.String(),
  channel: Type.String(),
  status: Type.String(),
  outcome: Nullable(Type.String()),
  customerId: Nullable(Type.String()),
  contactName: Type.String(),
  contactEmail: Nullable(Type.String()),
  contactPhone: Nullable(Type.String()),
  receivedAt: Type.String(),
  dueDate: Type.String({ description: 'One month after receipt (art. 12(3)); moved by an extension' }),
  originalDueDate: Nullable(Type.String()),
  extendedAt: Nullable(Type.String()),
  extensionReason: Nullable(Type.String()),
  answerText: Nullable(Type.String()),
  refusalReason: Nullable(Type.String()),
  answeredAt: Nullable(Type.String()),
  fromCaseId: Nullable(Type.String()),
  countsAsComplaint: Type.Boolean({
    description: 'Always false: excluded from complaint statistics and billing',
  }),
});

const RegisteredSchema = Type.Intersect([DsrSchema, Type.Object({ processStarted: Type.Boolean() })]);

const DsrDetailSchema = Type.Intersect([
  DsrSchema,
  Type.Object({
    details: Type.String(),
    documents: Type.Array(
      Type.Object({
        id: Type.Integer(),
        kind: Type.String(),
        fileName: Type.String(),
        sha256: Type.String(),
        size: Type.Integer(),
        createdAt: Type.String(),
      }),
    ),
  }),
]);

const Text = (min: number, max: number) => Type.String({ minLength: min, maxLength: max });

const AccessEntrySchema = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actorId: Type.String(),
  actorName: Nullable(Type.String()),
  subjectType: Type.Unsafe<AccessSubject>({ type: 'string', enum: [...accessSubjects] }),
  subjectId: Type.String(),
  customerId: Nullable(Type.String()),
  caseId: Nullable(Type.String()),
  caseNumber: Nullable(Type.String()),
  via: Nullable(Type.String()),
});

/**
 * GDPR (issue 12 item 9, issue 13 items 7 and 11): data-subject requests, the personal-data access log, the
 * export of everything held about a person and the retention setting. Everything but registering a request is for
 * the tenant's data-protection officer only (job role DPO).
 */
const privacyRoutes: FastifyPluginAsyncTypebox<{ mailer?: Mailer | undefined }> = async (fastify, opts) => {
  const { db, engine, log } = fastify.registerDeps;
  // The erasure reaches every module's rows (server/retention); privacy sits below them, so it is handed in here.
  const dsr = createDsrService({
    db,
    engine,
    log,
    mailer: opts.mailer,
    erase: (r, actorId) => eraseForRequest(db, r, actorId),
  });

  fastify.post(
    '/requests',
    {
      schema: {
        tags: ['privacy'],
        summary:
          'Register a GDPR data-subject request (call center, counter, letter): its own number, due one month after receipt',
        body: Type.Object({
          right: Right,
          channel: Type.Union([Type.Literal('call_center'), Type.Literal('staff'), Type.Literal('email')], {
            default: 'call_center',
          }),
          details: Text(5, 20000),
          customerId: Type.Optional(Uuid),
          contactName: Type.Optional(Text(2, 200)),
          contactEmail: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
          contactPhone: Type.Optional(Text(5, 40)),
          receivedAt: Type.Optional(IsoDateTime),
        }),
        response: { 201: RegisteredSchema, ...errorResponses },
      },
      config: { roles: ['agent', 'officer', 'supervisor', 'admin'] },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const receivedAt = req.body.receivedAt ? new Date(req.body.receivedAt) : undefined;
      if (receivedAt && receivedAt.getTime() > Date.now() + 60_000)
        throw new DomainError(
          'VALIDATION_FAILED',
          { field: 'receivedAt' },
          'Data primirii nu poate fi în viitor.',
        );
      const r = await dsr.register(p.tenantId, p.userId, { ...req.body, receivedAt });
      return reply.status(201).send(r);
    },
  );

  fastify.post(
    '/requests/from-case',
    {
      schema: {
        tags: ['privacy'],
        summary:
          'A complaint case that is in fact a GDPR request: register the request (month from the receipt) and file the case as not a complaint',
        body: Type.Object({ caseNumber: CaseNumber, right: Right }),
        response: { 201: RegisteredSchema, ...errorResponses },
      },
      config: { roles: ['officer', 'supervisor', 'agent', 'admin'] },
    },
    async (req, reply) =>
      reply.status(201).send(await dsr.fromCase(principalOf(req), req.body.caseNumber, req.body.right)),
  );

  fastify.post(
    '/requests/from-quarantine',
    {
      schema: {
        tags: ['privacy'],
        summary: 'A quarantined e-mail that is a GDPR request: register it and resolve the quarantine entry',
        body: Type.Object({
          quarantineId: Type.Integer({ minimum: 1 }),
          right: Right,
          details: Text(5, 20000),
        }),
        response: { 201: RegisteredSchema, ...errorResponses },
      },
      config: { roles: ['officer', 'supervisor', 'agent', 'admin'] },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await registerQuarantinedAsGdprRequest(
            { db, dsr },
            principalOf(req),
            req.body.quarantineId,
            req.body.right,
            req.body.details,
          ),
        ),
  );

  fastify.get(
    '/requests',
    {
      schema: {
        tags: ['privacy'],
        summary: 'GDPR requests of the tenant (DPO), open first by due date',
        querystring: Type.Object({
          status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('answered')])),
        }),
        response: { 200: Type.Object({ items: Type.Array(DsrSchema) }), ...errorResponses },
      },
    },
    async (req) => ({ items: await dsr.list(principalOf(req), req.query.status) }),
  );

  fastify.get(
    '/requests/:number',
    {
      schema: {
        tags: ['privacy'],
        summary: 'One GDPR request with its letters (DPO)',
        params: Type.Object({ number: DsrNumber }),
        response: { 200: DsrDetailSchema, ...errorResponses },
      },
    },
    async (req) => dsr.get(principalOf(req), req.params.number),
  );

  fastify.post(
    '/requests/:number/extend',
    {
      schema: {
        tags: ['privacy'],
        summary:
          'Extend by one or two months (art. 12(3)): only within the first month, once, with the reason; the notice is issued',
        params: Type.Object({ number: DsrNumber }),
        body: Type.Object({ months: Type.Integer({ minimum: 1, maximum: 2 }), reason: Text(10, 2000) }),
        response: { 200: DsrSchema, ...errorResponses },
      },
    },
    async (req) => dsr.extend(principalOf(req), req.params.number, req.body.months, req.body.reason),
  );

  fastify.post(
    '/requests/:number/answer',
    {
      schema: {
        tags: ['privacy'],
        summary:
          'Answer (DPO): the letter is issued; an erasure is carried out where allowed and refused with its reason where the law requires keeping',
        params: Type.Object({ number: DsrNumber }),
        body: Type.Object({
          answerText: Text(10, 20000),
          outcome: Type.Optional(Type.Unsafe<DsrOutcome>({ type: 'string', enum: [...dsrOutcomes] })),
          refusalReason: Type.Optional(Text(0, 4000)),
        }),
        response: {
          200: Type.Intersect([
            DsrSchema,
            Type.Object({
              erasure: Nullable(
                Type.Object({ erased: Type.Array(Type.String()), kept: Type.Array(Type.String()) }),
              ),
            }),
          ]),
          ...errorResponses,
        },
      },
    },
    async (req) => dsr.answer(principalOf(req), req.params.number, req.body),
  );

  fastify.get(
    '/requests/:number/documents/:documentId',
    {
      schema: {
        tags: ['privacy'],
        summary: 'A letter of the GDPR request (PDF, DPO)',
        params: Type.Object({ number: DsrNumber, documentId: Type.Integer({ minimum: 1 }) }),
        response: { 200: Type.Any({ description: 'application/pdf' }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const d = await dsr.document(principalOf(req), req.params.number, req.params.documentId);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${d.fileName}"`)
        .header('x-content-sha256', d.sha256)
        .send(d.content);
    },
  );

  fastify.get(
    '/postal-letters/:dispatchId',
    {
      schema: {
        tags: ['privacy'],
        summary:
          "A GDPR request's letter queued in the postal dispatch register (PDF), for the post room that prints it; audited and access-logged",
        params: Type.Object({ dispatchId: Type.Integer({ minimum: 1 }) }),
        response: { 200: Type.Any({ description: 'application/pdf' }), ...errorResponses },
      },
      config: { roles: ['officer', 'supervisor', 'admin'] },
    },
    async (req, reply) => {
      const d = await dsrLetterForPost(
        db,
        principalOf(req),
        req.params.dispatchId,
        viaOf(req, `postal:${req.params.dispatchId}`),
      );
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${d.fileName}"`)
        .header('x-content-sha256', d.sha256)
        .send(d.content);
    },
  );

  fastify.get(
    '/access-log',
    {
      schema: {
        tags: ['privacy'],
        summary:
          'Who read whose personal data (DPO): filter by the staff member, the customer or the case; newest first, keyset paging',
        querystring: Type.Object({
          actorId: Type.Optional(Uuid),
          customerId: Type.Optional(Uuid),
          caseNumber: Type.Optional(CaseNumber),
          before: Type.Optional(Type.Integer({ minimum: 1 })),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
        }),
        response: { 200: Type.Object({ items: Type.Array(AccessEntrySchema) }), ...errorResponses },
      },
    },
    async (req) => {
      const p = principalOf(req);
      requireDpo(p);
      return { items: await accessLogOf(db, p.tenantId, req.query) };
    },
  );

  fastify.get(
    '/export',
    {
      schema: {
        tags: ['privacy'],
        summary:
          'Everything held about a person (DPO), as a streamed ZIP of JSON files plus the documents and attachments',
        querystring: Type.Object({
          customerId: Type.Optional(Uuid),
          email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
        }),
        response: { 200: Type.Any({ description: 'application/zip' }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      requireDpo(p);
      const e = await exportSubject(db, p.tenantId, p.userId, req.query, viaOf(req));
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', `attachment; filename="${e.fileName}"`)
        .send(e.stream);
    },
  );

  fastify.get(
    '/retention',
    {
      schema: {
        tags: ['privacy'],
        summary: 'How many years after closing a case keeps its personal data (DPO)',
        response: { 200: Type.Object({ years: Type.Integer() }), ...errorResponses },
      },
    },
    async (req) => {
      const p = principalOf(req);
      requireDpo(p);
      return { years: await retentionYears(db, p.tenantId) };
    },
  );

  fastify.put(
    '/retention',
    {
      schema: {
        tags: ['privacy'],
        summary: 'Set the retention period (DPO), 3 to 10 years after closing',
        body: Type.Object({ years: Type.Integer() }),
        response: { 200: Type.Object({ years: Type.Integer() }), ...errorResponses },
      },
    },
    async (req) => {
      const p = principalOf(req);
      requireDpo(p);
      await setRetentionYears(db, p.tenantId, req.body.years, p.userId);
      return { years: req.body.years };
    },
  );
};

export default privacyRoutes;
