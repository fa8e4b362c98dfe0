import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../../plugins/auth.ts';
import { changeTenantSettings, tenantSettings } from '../../../tenants/index.ts';
import { errorResponses, Nullable } from '../common.schemas.ts';

const SettingsSchema = Type.Object({
  letterhead: Type.String({ maxLength: 1000, description: 'Lines under the supplier name on letters' }),
  operatorEmail: Nullable(Type.String({ format: 'email', maxLength: 254 })),
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
    async (req) => tenantSettings(db, principalOf(req).tenantId),
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
    async (req) => changeTenantSettings(db, principalOf(req), req.body),
  );
};

export default tenantSettingsRoutes;
