import { Type } from 'typebox';
import { CategorySchema } from '../complaints/complaints.schemas.ts';

export const DeadlineRuleSchema = Type.Object({
  category: Type.String(),
  label: Type.String(),
  days: Type.Integer(),
  unit: Type.Union([Type.Literal('working'), Type.Literal('calendar')]),
  extensionDays: Type.Integer({
    description: 'Extension allowed with prior notice to the consumer; 0 = none.',
  }),
  extensionAllowed: Type.Boolean(),
  legalBasis: Type.String(),
});

export const DeadlineRuleListSchema = Type.Object({ items: Type.Array(DeadlineRuleSchema) });

export const CategoryParams = Type.Object({ category: CategorySchema });

export const UpdateDeadlineRuleSchema = Type.Object(
  {
    days: Type.Integer({ minimum: 1, maximum: 365 }),
    unit: Type.Union([Type.Literal('working'), Type.Literal('calendar')]),
    extensionDays: Type.Integer({ minimum: 0, maximum: 90 }),
    legalBasis: Type.String({ minLength: 3, maxLength: 500 }),
  },
  { additionalProperties: false },
);
