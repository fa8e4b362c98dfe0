import { Type, type TSchema, type TSchemaOptions } from 'typebox';

export const ErrorSchema = Type.Object(
  { code: Type.String(), message: Type.String({ description: 'Human-readable, Romanian.' }) },
  { $id: 'Error' },
);

export const errorResponses = {
  400: ErrorSchema,
  401: ErrorSchema,
  403: ErrorSchema,
  404: ErrorSchema,
  409: ErrorSchema,
  422: ErrorSchema,
  429: ErrorSchema,
  503: ErrorSchema,
};

export const IsoDate = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'YYYY-MM-DD, Europe/Bucharest',
});
export const IsoDateTime = Type.String({ format: 'date-time' });
export const Uuid = Type.String({ format: 'uuid' });
export const CaseNumber = Type.String({
  pattern: '^[A-Z0-9]{2,20}-\\d{4}-\\d{6}$',
  maxLength: 40,
  description: 'e.g. DEMO-2026-000001',
});

export const PageQuery = {
  page: Type.Integer({ minimum: 1, maximum: 100000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 25 }),
};

/**
 * A value that may be null: `T | null`, emitted as `anyOf: [T, null]` (with `options`, e.g. a description, on the
 * union). The one definition for every route.
 */
export const Nullable = <T extends TSchema>(t: T, options?: TSchemaOptions) =>
  Type.Union([t, Type.Null()], options);
