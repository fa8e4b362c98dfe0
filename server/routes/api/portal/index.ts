import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../../../db/client.ts';
import type { ComplaintCategory } from '../../../db/schema/index.ts';
import { DomainError } from '../../../errors.ts';
import type { RegisterDeps } from '../../../intake/register-complaint.ts';
import type { Mailer } from '../../../mail/mailer.ts';
import { createPortalAuthService, type ConsumerPrincipal } from '../../../portal/portal-auth.service.ts';
import { listSuppliers } from '../../../portal/portal.repo.ts';
import { createPortalService } from '../../../portal/portal.service.ts';
import {
  checkFiles,
  MAX_FILE_BYTES,
  MAX_FILES,
  MAX_TOTAL_BYTES,
  type IncomingFile,
} from '../../../portal/uploads.ts';
import { ErrorSchema, errorResponses } from '../common.schemas.ts';
import { createDsrService } from '../../../privacy/dsr.service.ts';
import { dataSubjectRights, type DataSubjectRight } from '../../../codes/privacy-codes.ts';
import {
  AccountSchema,
  AddedInformationSchema,
  CaseDetailSchema,
  CaseListSchema,
  CodeRequestedSchema,
  ContestedSchema,
  ContestSchema,
  COMPLAINT_FIELDS,
  ConsumerSessionSchema,
  LinkResultSchema,
  LinkSchema,
  MultipartDescription,
  NumberParams,
  PlaceListSchema,
  RequestCodeSchema,
  SubmittedComplaintSchema,
  SupplierListSchema,
  TenantParams,
  VerifyCodeSchema,
} from './portal.schemas.ts';

declare module 'fastify' {
  interface FastifyRequest {
    consumer: ConsumerPrincipal | null;
  }
  interface FastifyContextConfig {
    /** Portal routes reachable without a consumer session (choosing a supplier, asking for and entering a code). */
    portalPublic?: boolean;
  }
}

export interface PortalRoutesOptions {
  db: Db;
  registerDeps: RegisterDeps;
  mailer: Mailer | undefined;
  publicUrl: string;
}

const CODE_SENT =
  'Dacă adresa este corectă, veți primi în câteva momente un e-mail cu un cod de 6 cifre, valabil 10 minute.';

function consumerOf(req: FastifyRequest): ConsumerPrincipal {
  if (!req.consumer) throw new DomainError('PORTAL_SESSION_INVALID');
  return req.consumer;
}

/** The most of a form's body we read: the files' total plus room for the text fields and the multipart framing. */
const MAX_FORM_BYTES = MAX_TOTAL_BYTES + 2 * 1024 * 1024;

/**
 * Reads a multipart form: text fields and files. Sizes are enforced while the body streams: a declared length past
 * the limit is refused before any byte is read, and the bytes are counted as they arrive, so an oversized upload
 * is refused (413) at the first byte past a limit and never held whole (issue 13 item 10).
 */
async function readForm(req: FastifyRequest) {
  if (!req.isMultipart()) throw new DomainError('PORTAL_MULTIPART_REQUIRED');
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_FORM_BYTES) throw new DomainError('PORTAL_FILES_TOO_LARGE');
  const fields: Record<string, string> = {};
  const files: IncomingFile[] = [];
  let total = 0;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of part.file as AsyncIterable<Buffer>) {
          size += chunk.length;
          total += chunk.length;
          if (size > MAX_FILE_BYTES) throw new DomainError('PORTAL_FILE_TOO_LARGE');
          if (total > MAX_TOTAL_BYTES) throw new DomainError('PORTAL_FILES_TOO_LARGE');
          chunks.push(chunk);
        }
        // busboy stops a file at its limit (one byte past ours, so the count above sees it first) and marks it
        // truncated; past it busboy would read the rest of the file only to throw it away.
        if (part.file.truncated) throw new DomainError('PORTAL_FILE_TOO_LARGE');
        // A file input left empty still sends a part without a name and without bytes.
        if (!part.filename && size === 0) continue;
        files.push({ fileName: part.filename || 'fisier', content: Buffer.concat(chunks, size) });
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value;
      }
    }
  } catch (err) {
    if (err instanceof DomainError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new DomainError('PORTAL_FILE_TOO_LARGE');
    if (code === 'FST_FILES_LIMIT') throw new DomainError('PORTAL_TOO_MANY_FILES');
    if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_REQ_FIELD_TOO_LARGE')
      throw new DomainError(
        'VALIDATION_FAILED',
        {},
        'Formularul are prea multe câmpuri sau un text prea lung.',
      );
    throw err;
  }
  return { fields, files: await checkFiles(files) };
}

function text(
  fields: Record<string, string>,
  name: string,
  label: string,
  limits: { min?: number; max: number },
  required: boolean,
): string | undefined {
  const v = (fields[name] ?? '').replace(/\r\n/g, '\n').trim();
  if (!v) {
    if (required)
      throw new DomainError('VALIDATION_FAILED', { field: name }, `Câmpul „${label}” este obligatoriu.`);
    return undefined;
  }
  if (limits.min && v.length < limits.min)
    throw new DomainError(
      'VALIDATION_FAILED',
      { field: name },
      `Câmpul „${label}” trebuie să aibă cel puțin ${limits.min} caractere.`,
    );
  if (v.length > limits.max)
    throw new DomainError(
      'VALIDATION_FAILED',
      { field: name },
      `Câmpul „${label}” poate avea cel mult ${limits.max} de caractere.`,
    );
  return v;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function sendFile(reply: FastifyReply, f: { fileName: string; contentType: string; content: Buffer }) {
  const ascii = f.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return reply
    .header('content-type', f.contentType)
    .header(
      'content-disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(f.fileName)}`,
    )
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(f.content);
}

/**
 * The consumer portal's API. Consumers authenticate with a one-time code sent by e-mail and get their own
 * session (Bearer token), which only these routes accept; staff sessions are not accepted here, and consumer
 * tokens are not accepted anywhere else. The supplier (tenant) is chosen at login and then comes from the session.
 */
const portalRoutes: FastifyPluginAsyncTypebox<PortalRoutesOptions> = async (fastify, opts) => {
  const authService = createPortalAuthService({
    db: opts.db,
    secret: opts.registerDeps.secret,
    mailer: opts.mailer,
    publicUrl: opts.publicUrl,
    log: opts.registerDeps.log,
  });
  const portal = createPortalService(opts.registerDeps);

  await fastify.register(multipart, {
    limits: { fileSize: MAX_FILE_BYTES + 1, files: MAX_FILES, fields: 20, fieldSize: 100 * 1024, parts: 30 },
  });

  fastify.decorateRequest('consumer', null);
  // The staff hook (plugins/auth.ts) skips these routes (they are marked public for it); this one takes over.
  fastify.addHook('onRequest', async (req) => {
    if (req.routeOptions.config?.portalPublic) return;
    const h = req.headers.authorization;
    const token = h?.startsWith('Bearer ') ? h.slice(7).trim() : null;
    if (!token) throw new DomainError('PORTAL_SESSION_INVALID');
    const consumer = await authService.validateSessionToken(token);
    if (!consumer) throw new DomainError('PORTAL_SESSION_INVALID');
    req.consumer = consumer;
  });

  const publicConfig = { public: true, portalPublic: true } as const;
  const consumerConfig = { public: true } as const;
  const tags = ['portal'];
  const security = [{ bearer: [] }];

  fastify.get(
    '/suppliers',
    {
      schema: {
        tags,
        summary: 'Suppliers with a consumer portal',
        response: { 200: SupplierListSchema, 429: ErrorSchema, 503: ErrorSchema },
      },
      config: publicConfig,
    },
    async () => listSuppliers(opts.db),
  );

  fastify.post(
    '/suppliers/:tenantCode/login-codes',
    {
      schema: {
        tags,
        summary:
          'Send a one-time login code to an e-mail address (same answer for every address; rate-limited)',
        params: TenantParams,
        body: RequestCodeSchema,
        response: { 202: CodeRequestedSchema, ...errorResponses },
      },
      config: publicConfig,
    },
    async (req, reply) => {
      const r = await authService.requestCode(req.params.tenantCode, req.body.email, req.ip);
      return reply.status(202).send({ message: CODE_SENT, expiresInSeconds: r.expiresInSeconds });
    },
  );

  fastify.post(
    '/suppliers/:tenantCode/sessions',
    {
      schema: {
        tags,
        summary: 'Enter the one-time code: opens a consumer session (the account is created on first login)',
        params: TenantParams,
        body: VerifyCodeSchema,
        response: { 201: ConsumerSessionSchema, ...errorResponses },
      },
      config: { ...publicConfig, rateLimit: { max: 30, timeWindow: '1 minute' } },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await authService.verifyCode(req.params.tenantCode, req.body.email, req.body.code)),
  );

  fastify.delete(
    '/session',
    {
      schema: {
        tags,
        security,
        summary: 'Log out of the portal',
        response: { 204: Type.Null(), ...errorResponses },
      },
      config: consumerConfig,
    },
    async (req, reply) => {
      await authService.logout(consumerOf(req));
      return reply.status(204).send(null);
    },
  );

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
      const { fields, files } = await readForm(req);
      const category = fields.category ?? '';
      if (!COMPLAINT_FIELDS.categories.some((c) => c === category))
        throw new DomainError('VALIDATION_FAILED', { field: 'category' }, 'Alegeți categoria reclamației.');
      const placeId = fields.placeId?.trim() || undefined;
      const customerId = fields.customerId?.trim() || undefined;
      if ((placeId && !UUID.test(placeId)) || (customerId && !UUID.test(customerId)))
        throw new DomainError('PORTAL_PLACE_NOT_LINKED');
      const result = await portal.submitComplaint(
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
      const { fields, files } = await readForm(req);
      const body = text(fields, 'text', 'informațiile', COMPLAINT_FIELDS.information, true)!;
      return reply.status(201).send(await portal.addInformation(p, req.params.number, body, files));
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

export default portalRoutes;
