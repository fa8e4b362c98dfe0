import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../../plugins/auth.ts';
import { createReportsService } from '../../../reports/index.ts';
import { IsoDate, errorResponses } from '../common.schemas.ts';
import {
  IndicatorsQuerySchema,
  IndicatorsSchema,
  PublicationSchema,
  PublicReportSchema,
  ReportSettingsSchema,
} from './reports.schemas.ts';

/**
 * The regulator report (issue 16 item 1): complaint indicators of a quarter or any period, computed from the case
 * data, as JSON or a file; the tenant's opt-in public page and the quarters it published. Admins and supervisors
 * read; only an admin changes the setting or publishes.
 */
const reportsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const reports = createReportsService({ db: fastify.registerDeps.db });
  const readers = { roles: ['admin' as const, 'supervisor' as const] };
  const admins = { roles: ['admin' as const] };

  fastify.get(
    '/indicators',
    {
      schema: {
        tags: ['reports'],
        summary:
          'Complaint indicators of a period for ANRE: received, solved (in time, late), pending, handling time, compensations; per category, customer type, energy, channel and source',
        description:
          'Computed from the case data of the caller’s tenant; events after `to` never count, so a past period gives the same figures when asked again. With `format` the same report as a file (XLSX, CSV or PDF).',
        querystring: IndicatorsQuerySchema,
        response: {
          200: { ...IndicatorsSchema, description: 'JSON; with `format` the file (xlsx, csv, pdf)' },
          ...errorResponses,
        },
      },
      config: readers,
    },
    async (req, reply) => {
      const { from, to, format } = req.query;
      if (!format || format === 'json') return reports.indicators(principalOf(req), from, to);
      const file = await reports.indicatorsFile(principalOf(req), from, to, format);
      return (
        reply
          .header('content-type', file.contentType)
          .header('content-disposition', `attachment; filename="${file.fileName}"`)
          .header('cache-control', 'no-store')
          // A Buffer goes out as it is (fastify serialises only objects with the response schema).
          .send(file.content as never)
      );
    },
  );

  fastify.get(
    '/settings',
    {
      schema: {
        tags: ['reports'],
        summary: 'Whether the public page shows the latest published quarter',
        response: { 200: ReportSettingsSchema, ...errorResponses },
      },
      config: readers,
    },
    async (req) => reports.settings(principalOf(req)),
  );

  fastify.put(
    '/settings',
    {
      schema: {
        tags: ['reports'],
        summary: 'Turn the public page on or off (audited)',
        body: Type.Object({ publicPage: Type.Boolean() }),
        response: { 200: ReportSettingsSchema, ...errorResponses },
      },
      config: admins,
    },
    async (req) => reports.changeSettings(principalOf(req), req.body.publicPage),
  );

  fastify.get(
    '/publications',
    {
      schema: {
        tags: ['reports'],
        summary: 'The quarters published, the latest first',
        response: { 200: Type.Object({ items: Type.Array(PublicationSchema) }), ...errorResponses },
      },
      config: readers,
    },
    async (req) => ({ items: await reports.publications(principalOf(req)) }),
  );

  fastify.post(
    '/publications',
    {
      schema: {
        tags: ['reports'],
        summary:
          'Publish a quarter that has ended: its figures as computed now are frozen and shown on the public page (when on)',
        body: Type.Object({ from: IsoDate, to: IsoDate }),
        response: { 201: PublicationSchema, ...errorResponses },
      },
      config: admins,
    },
    async (req, reply) => {
      const published = await reports.publish(principalOf(req), req.body.from, req.body.to);
      return reply.status(201).send(published);
    },
  );

  fastify.get(
    '/public/:tenant',
    {
      schema: {
        tags: ['public'],
        summary: 'A supplier’s latest published quarter (no login), when it chose to publish it here',
        params: Type.Object({ tenant: Type.String({ pattern: '^[A-Za-z0-9]{2,20}$' }) }),
        response: { 200: PublicReportSchema, ...errorResponses },
      },
      config: { public: true, rateLimit: { max: 60, timeWindow: '1 minute' } },
    },
    async (req) => reports.publicReport(req.params.tenant),
  );
};

export default reportsRoutes;
