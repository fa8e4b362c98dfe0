import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../../plugins/auth.ts';
import { searchCustomers } from '../../../customers/customers.repo.ts';
import { appendAudit, logAccess, viaOf } from '../../../audit/index.ts';
import { errorResponses } from '../common.schemas.ts';

const Nullable = (t: ReturnType<typeof Type.String>) => Type.Union([t, Type.Null()]);

const CustomerSchema = Type.Object({
  id: Type.String(),
  customerCode: Type.String(),
  name: Type.String(),
  customerType: Type.String(),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  address: Type.String(),
  places: Type.Array(
    Type.Object({
      id: Type.String(),
      placeCode: Type.String(),
      energy: Type.String(),
      address: Type.String(),
      contractNumber: Nullable(Type.String()),
      meterSerial: Nullable(Type.String()),
    }),
  ),
});

const customersRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { db } = fastify.registerDeps;

  fastify.get(
    '/',
    {
      schema: {
        tags: ['customers'],
        summary:
          'Find customers in one box: name, phone, e-mail, customer code, POD/CLC, contract, meter, address',
        querystring: Type.Object({ q: Type.String({ minLength: 2, maxLength: 100 }) }),
        response: { 200: Type.Object({ items: Type.Array(CustomerSchema) }), ...errorResponses },
      },
      config: { roles: ['agent', 'officer', 'supervisor'] },
    },
    async (req) => {
      const p = principalOf(req);
      const found = await searchCustomers(db, p.tenantId, req.query.q);
      // Searching customers reads personal data: record who searched, not what.
      await appendAudit(db, {
        tenantId: p.tenantId,
        actorId: p.userId,
        actorKind: 'user',
        action: 'customer.searched',
        entityType: 'customer',
        entityId: '*',
        details: { results: found.length },
      });
      // The access log names every customer the search showed (one insert), with what led there.
      const via = viaOf(req.headers, req.url) ?? 'search';
      await logAccess(
        db,
        found.map((c) => ({
          tenantId: p.tenantId,
          actorId: p.userId,
          subjectType: 'customer' as const,
          subjectId: c.id,
          customerId: c.id,
          via,
        })),
      );
      return {
        items: found.map((c) => ({
          id: c.id,
          customerCode: c.customerCode,
          name: c.name,
          customerType: c.customerType,
          email: c.email,
          phone: c.phone,
          address: c.address,
          places: c.places.map((pl) => ({
            id: pl.id,
            placeCode: pl.placeCode,
            energy: pl.energy,
            address: pl.address,
            contractNumber: pl.contractNumber,
            meterSerial: pl.meterSerial,
          })),
        })),
      };
    },
  );
};

export default customersRoutes;
