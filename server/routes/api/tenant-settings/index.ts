import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { eq } from 'drizzle-orm';
import { Type } from 'typebox';
import { principalOf } from '../../../plugins/auth.ts';
import { appendAudit } from '../../../audit/index.ts';
import { tenants } from '../../../db/schema/index.ts';
import { DomainError } from '../../../errors.ts';
import { errorResponses } from '../common.schemas.ts';

const SettingsSchema = Type.Object({
  letterhead: Type.String({ maxLength: 1000, description: 'Lines under the supplier name on letters' }),
  operatorEmail: Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Null()]),
  compensationBaseLei: Type.Integer({ minimum: 0, maximum: 100000 }),
  compensationPerDayLei: Type.Integer({ minimum: 0, maximum: 100000 }),
  compensationLegalBasis: Type.String({
    minLength: 5,
    maxLength: 500,
    description: 'The legal basis of the compensation rule, named in the compensation notice',
  }),
  completionWaitWorkingDays: Type.Integer({
    minimum: 1,
    maximum: 60,
    description:
      'Working days the consumer has to complete an incomplete complaint after our written request',
  }),
  completionPausesDeadline: Type.Boolean({
    description:
      'Whether the legal deadline stops while we wait for the completion (default: it keeps running)',
  }),
  postalDeliveryWorkingDays: Type.Integer({
    minimum: 1,
    maximum: 15,
    description:
      'Working days a letter is taken to need to reach the consumer: an extension notice by post must leave at least this many working days before the original due date (default 3)',
  }),
  satisfactionSurvey: Type.Boolean({
    description: 'Closed complaints go to the satisfaction survey (IL-40)',
  }),
  warnWorkingDaysBefore: Type.Integer({ minimum: 0, maximum: 30 }),
  countingReading: Type.Union([Type.Literal('civil_code'), Type.Literal('free_days')], {
    description:
      'How terms are counted: civil_code (registration day not counted) or free_days (first and last day excluded)',
  }),
});

const columns = {
  letterhead: tenants.letterhead,
  operatorEmail: tenants.operatorEmail,
  compensationBaseLei: tenants.compensationBaseLei,
  compensationPerDayLei: tenants.compensationPerDayLei,
  compensationLegalBasis: tenants.compensationLegalBasis,
  completionWaitWorkingDays: tenants.completionWaitWorkingDays,
  completionPausesDeadline: tenants.completionPausesDeadline,
  postalDeliveryWorkingDays: tenants.postalDeliveryWorkingDays,
  satisfactionSurvey: tenants.satisfactionSurvey,
  warnWorkingDaysBefore: tenants.warnWorkingDaysBefore,
  countingReading: tenants.countingReading,
};

/** The tenant's process settings: letterhead, the distribution operator's address, compensation rule, warnings. */
const tenantSettingsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { db } = fastify.registerDeps;

  fastify.get(
    '/',
    {
      schema: {
        tags: ['tenant-settings'],
        summary: "The tenant's letterhead, operator address, compensation rule and warning lead time",
        response: { 200: SettingsSchema, ...errorResponses },
      },
      config: { roles: ['admin', 'supervisor'] },
    },
    async (req) => {
      const [row] = await db
        .select(columns)
        .from(tenants)
        .where(eq(tenants.id, principalOf(req).tenantId));
      if (!row) throw new DomainError('NOT_FOUND');
      return row;
    },
  );

  fastify.patch(
    '/',
    {
      schema: {
        tags: ['tenant-settings'],
        summary: 'Change settings (compensation applies to answers sent from now on; audited)',
        body: Type.Partial(SettingsSchema, { additionalProperties: false }),
        response: { 200: SettingsSchema, ...errorResponses },
      },
      config: { roles: ['admin'] },
    },
    async (req) => {
      const p = principalOf(req);
      return db.transaction(async (tx) => {
        const [row] = await tx
          .update(tenants)
          .set(req.body)
          .where(eq(tenants.id, p.tenantId))
          .returning(columns);
        if (!row) throw new DomainError('NOT_FOUND');
        await appendAudit(tx, {
          tenantId: p.tenantId,
          actorId: p.userId,
          actorKind: 'user',
          action: 'tenant.settings_changed',
          entityType: 'tenant',
          entityId: p.tenantId,
          details: { fields: Object.keys(req.body) },
        });
        return row;
      });
    },
  );
};

export default tenantSettingsRoutes;
