import { Type } from 'typebox';
import { Nullable } from '../common.schemas.ts';

export const DefinitionId = Type.String({
  minLength: 3,
  maxLength: 200,
  pattern: '^[A-Za-z0-9_.:-]+$',
  description: 'The engine definition id, e.g. `complaint:2:…`.',
});

export const KindSchema = Type.Union([Type.Literal('bpmn'), Type.Literal('dmn')]);
export const OriginSchema = Type.Union([
  Type.Literal('baseline'),
  Type.Literal('designer'),
  Type.Literal('reset'),
]);

export const DefinitionVersionSchema = Type.Object({
  id: Type.String(),
  key: Type.String(),
  name: Type.String(),
  version: Type.Integer(),
  kind: KindSchema,
  resourceName: Type.String(),
  origin: OriginSchema,
  deployedAt: Nullable(Type.String()),
  runningInstances: Type.Integer({ description: 'Running process instances of this version.' }),
});

export const ResourceSchema = Type.Object({
  resourceName: Type.String(),
  kind: KindSchema,
  overridden: Type.Boolean({ description: "The tenant runs its designer's version (kept across restarts)." }),
  definitions: Type.Array(
    Type.Object({ key: Type.String(), name: Type.String(), versions: Type.Array(DefinitionVersionSchema) }),
  ),
});

export const DefinitionDetailSchema = Type.Object({
  ...DefinitionVersionSchema.properties,
  xml: Type.String(),
  versions: Type.Array(DefinitionVersionSchema),
  catalog: Type.Object(
    {
      instructions: Type.Array(Type.Object({ id: Type.String(), title: Type.String(), role: Type.String() })),
      jobRoles: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
      topics: Type.Array(Type.String()),
    },
    { description: "What the editor's pickers offer." },
  ),
});

export const LintIssueSchema = Type.Object({
  elementId: Nullable(Type.String()),
  rule: Type.String(),
  severity: Type.Union([Type.Literal('error'), Type.Literal('warning')]),
  message: Type.String(),
});

const ResourceName = Type.String({ pattern: '^[a-z0-9-]+\\.(bpmn|dmn)$', maxLength: 100 });
const Xml = Type.String({ minLength: 1, maxLength: 1_000_000 });

export const LintBodySchema = Type.Object({ kind: KindSchema, xml: Xml }, { additionalProperties: false });
export const DeployBodySchema = Type.Object(
  { resourceName: ResourceName, xml: Xml },
  { additionalProperties: false },
);
export const ResetBodySchema = Type.Object({ resourceName: ResourceName }, { additionalProperties: false });

export const DeploymentResultSchema = Type.Object({
  deploymentId: Type.String(),
  definitions: Type.Array(Type.Object({ id: Type.String(), key: Type.String(), version: Type.Integer() })),
});

const DiffElement = Type.Object({
  id: Type.String(),
  type: Type.String(),
  name: Nullable(Type.String()),
});
export const DiffSchema = Type.Object({
  from: Type.String(),
  to: Type.String(),
  added: Type.Array(DiffElement),
  removed: Type.Array(DiffElement),
  changed: Type.Array(
    Type.Object({
      ...DiffElement.properties,
      attributes: Type.Array(
        Type.Object({
          name: Type.String(),
          oldValue: Nullable(Type.String()),
          newValue: Nullable(Type.String()),
        }),
      ),
    }),
  ),
  layoutChanged: Type.Array(DiffElement),
});

const ValueChange = Type.Object({
  name: Type.String(),
  oldValue: Nullable(Type.String()),
  newValue: Nullable(Type.String()),
});
const ColumnKind = Type.Union([Type.Literal('input'), Type.Literal('output')]);
const DmnColumn = Type.Object({
  id: Type.String(),
  title: Type.String({
    description: 'The heading the table shows: label, else expression or output name, else id.',
  }),
  label: Nullable(Type.String()),
  expression: Nullable(Type.String(), {
    description: 'The input expression of an input, the variable name of an output.',
  }),
  typeRef: Nullable(Type.String()),
});
const DmnColumnsDiff = Type.Object({
  added: Type.Array(DmnColumn),
  removed: Type.Array(DmnColumn),
  changed: Type.Array(
    Type.Object({
      ...DmnColumn.properties,
      attributes: Type.Array(ValueChange, { description: 'Among label, expression, name, typeRef, values.' }),
    }),
  ),
});
const DmnRule = Type.Object({
  id: Type.String(),
  position: Type.Integer({ description: "1-based row in its version's table." }),
  annotation: Nullable(Type.String()),
  cells: Type.Array(
    Type.Object({ columnId: Type.String(), column: Type.String(), kind: ColumnKind, value: Type.String() }),
  ),
});
export const DmnDiffSchema = Type.Object({
  from: Type.String(),
  to: Type.String(),
  decisions: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Nullable(Type.String()),
      status: Type.Union([
        Type.Literal('added'),
        Type.Literal('removed'),
        Type.Literal('changed'),
        Type.Literal('unchanged'),
      ]),
      attributes: Type.Array(ValueChange, {
        description: 'Among name, logic, hitPolicy, aggregation, expression.',
      }),
      inputs: DmnColumnsDiff,
      outputs: DmnColumnsDiff,
      rules: Type.Object({
        added: Type.Array(DmnRule),
        removed: Type.Array(DmnRule),
        changed: Type.Array(
          Type.Object({
            id: Type.String(),
            oldPosition: Type.Integer(),
            position: Type.Integer(),
            attributes: Type.Array(ValueChange, { description: 'The annotation, when it changed.' }),
            cells: Type.Array(
              Type.Object({
                columnId: Type.String(),
                column: Type.String(),
                kind: ColumnKind,
                oldValue: Nullable(Type.String(), {
                  description: 'null: the column is new in this version.',
                }),
                newValue: Nullable(Type.String(), {
                  description: 'null: the column was removed.',
                }),
              }),
            ),
          }),
        ),
        reordered: Type.Boolean({ description: 'Rules kept in both versions stand in another order.' }),
      }),
    }),
  ),
});

export const StatisticsSchema = Type.Object({
  definitionId: Type.String(),
  activities: Type.Array(
    Type.Object({ activityId: Type.String(), instances: Type.Integer(), incidents: Type.Integer() }),
  ),
});
