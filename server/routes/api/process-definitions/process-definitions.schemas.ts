import { Type } from 'typebox';

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
  deployedAt: Type.Union([Type.String(), Type.Null()]),
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
  elementId: Type.Union([Type.String(), Type.Null()]),
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
  name: Type.Union([Type.String(), Type.Null()]),
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
          oldValue: Type.Union([Type.String(), Type.Null()]),
          newValue: Type.Union([Type.String(), Type.Null()]),
        }),
      ),
    }),
  ),
  layoutChanged: Type.Array(DiffElement),
});

export const StatisticsSchema = Type.Object({
  definitionId: Type.String(),
  activities: Type.Array(
    Type.Object({ activityId: Type.String(), instances: Type.Integer(), incidents: Type.Integer() }),
  ),
});
