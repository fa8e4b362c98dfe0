import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../../plugins/auth.ts';
import { findCustomers } from '../../../customers/index.ts';
import { viaOf } from '../../../audit/index.ts';
import { errorResponses, Nullable } from '../common.schemas.ts';

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
      // The access log names what led to the search (the web app's page, an integrator's reason).
      const found = await findCustomers(db, principalOf(req), req.query.q, viaOf(req));
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
