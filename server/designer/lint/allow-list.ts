import type { LintIssue } from './bpmn-lint.ts';
import { parseExpression, expressionsIn, variablesOf, type Expr } from './expressions.ts';
import { checkFeel, type FeelKind } from './feel.ts';
import { XmlShapeError, ownerId, parseXmlTree, type XmlElement } from './xml-tree.ts';

/**
 * The deployment allow-list (issue 13, item 1): what a BPMN or DMN file may hold to be deployed for a tenant.
 * Every element, attribute and extension element is named here with what its value may be; anything else is
 * refused with the element named. It reads the XML itself (xml-tree.ts), not a model that quietly drops what it
 * does not know, so an unknown extension, a second namespace for Camunda's attributes (`activiti:`, `operaton:`)
 * or an entity-encoded `${` cannot slip past. The engine repeats the essential refusals at parse time
 * (deploy/engine, DeploymentGuardPlugin) for deployments that bypass this API.
 *
 * One file although past 600 lines: it is one table of rules (element by element, attribute by attribute) and
 * the walk that applies it; split, a reviewer could no longer see in one place everything a deployment may hold.
 *
 * Expressions: only where the product needs one, and only in our own grammar (expressions.ts); everywhere else a
 * `${` or `#{` is refused, names included (the engine evaluates a user task's name, a message's name…).
 */

const NS_BPMN: Record<string, string> = {
  'http://www.omg.org/spec/BPMN/20100524/MODEL': 'bpmn',
  'http://www.omg.org/spec/BPMN/20100524/DI': 'bpmndi',
  'http://www.omg.org/spec/DD/20100524/DC': 'dc',
  'http://www.omg.org/spec/DD/20100524/DI': 'di',
  'http://camunda.org/schema/1.0/bpmn': 'camunda',
  'http://www.w3.org/2001/XMLSchema-instance': 'xsi',
  // Diagram colours written by bpmn-js, and the modeler's note of the engine it targets: never read by the engine.
  'http://bpmn.io/schema/bpmn/biocolor/1.0': 'bioc',
  'http://www.omg.org/spec/BPMN/non-normative/color/1.0': 'color',
  'http://camunda.org/schema/modeler/1.0': 'modeler',
};

const NS_DMN: Record<string, string> = {
  'https://www.omg.org/spec/DMN/20191111/MODEL/': 'dmn',
  'https://www.omg.org/spec/DMN/20191111/DMNDI/': 'dmndi',
  'http://www.omg.org/spec/DMN/20180521/DC/': 'dc',
  'http://www.omg.org/spec/DMN/20180521/DI/': 'di',
  'http://camunda.org/schema/1.0/dmn': 'camunda',
  'http://www.w3.org/2001/XMLSchema-instance': 'xsi',
};

/** What the process may refer to outside itself. */
export interface AllowListContext {
  /** Process keys a call activity may call: the tenant's own (deployed, or declared in this file). */
  processKeys: ReadonlySet<string>;
  /** Decision keys a business rule task may evaluate: the tenant's own. */
  decisionKeys: ReadonlySet<string>;
  /**
   * The process variables a condition may read (known-variables.ts). The designer always gives them; without them
   * (a check of the shape only) any name is accepted.
   */
  variables?: ReadonlySet<string>;
}

/** The one variable a call activity may take its target from: the routing table's output (checked by dmn-lint). */
export const ROUTED_PROCESS = '${verificationProcess}';
/** The one expression a call activity passes as business key: the caller's (the case's registration number). */
export const CALLER_BUSINESS_KEY = '#{execution.processBusinessKey}';

type Check = (value: string, el: XmlElement, ctx: AllowListContext) => string | null;

interface Spec {
  attrs?: Record<string, Check>;
  /** What the element's own text may be; without it only whitespace. */
  text?: Check;
  /** Where the element may stand (its parent's name); anywhere an allowed parent holds it when absent. */
  parents?: readonly string[];
}

// ---- value checks -------------------------------------------------------------------------------------------

/** Text the engine never evaluates as EL still may not hold `${` / `#{` (a name is evaluated on some elements). */
const plain: Check = (v) =>
  v.includes('${') || v.includes('#{') ? 'nu poate conține expresii (${…} sau #{…})' : null;
const free: Check = () => null;
const oneOf =
  (...values: string[]): Check =>
  (v) =>
    values.includes(v) ? null : `poate fi doar ${values.map((x) => `„${x}”`).join(', ')}`;
const bool = oneOf('true', 'false');
const number: Check = (v) =>
  v.length <= 20 && Number.isFinite(Number(v)) ? null : 'trebuie să fie un număr';

function isIdentifier(v: string): boolean {
  if (v.length === 0 || v.length > 100) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    const letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}
const identifier: Check = (v) =>
  isIdentifier(v) ? null : 'trebuie să fie un nume simplu (litere, cifre, _)';

/** The whole value is exactly one expression of our grammar. */
function singleExpression(v: string): Expr | string {
  const exprs = expressionsIn(v);
  if (exprs.length !== 1 || exprs[0] !== v.trim()) return 'trebuie să fie o singură expresie ${…}';
  try {
    return parseExpression(exprs[0]);
  } catch (err) {
    return `expresia „${clip(v)}” nu este permisă: ${(err as Error).message}`;
  }
}

/**
 * How many instances a multi-instance activity may start: the engine creates them all at once, and it is shared by
 * every tenant, so a cardinality of a billion would stall everyone. A literal whole number up to this bound, or
 * a variable the app itself computes and bounds (the number of a complaint's categories); never a variable a
 * person types (an amount, an index) nor arithmetic, which our grammar does not have anyway.
 */
export const MAX_INSTANCES = 20;
const APP_BOUNDED_COUNTS = new Set(['verificationCount']);
function cardinalityProblem(e: Expr): string | null {
  switch (e.k) {
    case 'lit':
      return typeof e.v === 'number' && Number.isInteger(e.v) && e.v >= 0 && e.v <= MAX_INSTANCES
        ? null
        : `poate fi un număr întreg de la 0 la ${MAX_INSTANCES}`;
    case 'var':
      return APP_BOUNDED_COUNTS.has(e.name)
        ? null
        : `poate folosi doar variabilele ${[...APP_BOUNDED_COUNTS].join(', ')} (calculate și limitate de aplicație), nu „${e.name}”`;
    case 'member':
      return `nu poate folosi ${e.chain}`;
    case 'not':
      return 'trebuie să fie un număr';
    case 'if':
      // A guard is fine (`x != null ? x : 1`): what it yields must be bounded.
      return cardinalityProblem(e.t) ?? cardinalityProblem(e.f);
    case 'bin':
      return 'trebuie să fie un număr';
  }
}
const cardinality: Check = (v) => {
  const e = singleExpression(v.trim());
  if (typeof e !== 'string') {
    const problem = cardinalityProblem(e);
    return problem && `numărul de instanțe ${problem}`;
  }
  // A bare number, without ${…}.
  const n = Number(v.trim());
  return digits(v.trim()) && n <= MAX_INSTANCES
    ? null
    : `numărul de instanțe poate fi un număr întreg de la 0 la ${MAX_INSTANCES}`;
};

/** A condition: an expression of our grammar that reads only known variables. */
const condition: Check = (v, _el, ctx) => {
  const e = singleExpression(v);
  if (typeof e === 'string') return e;
  if (!ctx.variables) return null;
  const unknown = [...new Set(variablesOf(e))].filter((name) => !ctx.variables!.has(name));
  return unknown.length
    ? `condiția citește ${unknown.map((n) => `„${n}”`).join(', ')}, pe care nu le setează niciun formular, pas automat sau tabel de decizie; se pot folosi: ${[...ctx.variables].sort().join(', ')}`
    : null;
};

/** A single variable, `${name}`: a timer's moment, a due date (values the app computes and hands over). */
const variableOnly: Check = (v) => {
  const e = singleExpression(v);
  if (typeof e === 'string') return e;
  return e.k === 'var' && !e.guarded ? null : 'trebuie să fie o singură variabilă, ${nume}';
};
/** Literal text, or text holding expressions of our grammar (an output mapping: `${decisionResult…}`). */
const literalOrExpressions: Check = (v) => {
  for (const x of expressionsIn(v))
    try {
      parseExpression(x);
    } catch (err) {
      return `expresia „${clip(x)}” nu este permisă: ${(err as Error).message}`;
    }
  return null;
};

const digits = (s: string) => s.length > 0 && [...s].every((c) => c >= '0' && c <= '9');

/** ISO 8601 date/time (`2027-01-31`, `2027-01-31T10:00:00+02:00`): digits and its punctuation only. */
function isIsoDateTime(v: string): boolean {
  if (v.length < 10 || v.length > 35) return false;
  if (
    !digits(v.slice(0, 4)) ||
    v[4] !== '-' ||
    !digits(v.slice(5, 7)) ||
    v[7] !== '-' ||
    !digits(v.slice(8, 10))
  )
    return false;
  return [...v.slice(10)].every((c) => '0123456789T:.+-Z'.includes(c));
}
/** ISO 8601 duration (`P5D`, `PT10M`, `P1Y2M3DT4H5M6S`). */
function isIsoDuration(v: string): boolean {
  if (v.length < 3 || v.length > 40 || v[0] !== 'P') return false;
  return (
    [...v.slice(1)].every((c) => '0123456789.YMWDTHS'.includes(c)) && !'0123456789.T'.includes(v.at(-1)!)
  );
}
/**
 * A repeating timer fires at most once an hour. The engine is shared: `R/PT0.001S` on a start event made it
 * start hundreds of instances a minute for every tenant to wait behind.
 */
const MIN_CYCLE_SECONDS = 3600;

/** The seconds an ISO 8601 duration lasts (a year as 365 days, a month as 30: only compared with the minimum). */
function durationSeconds(v: string): number {
  const unit: Record<string, number> = { Y: 31_536_000, W: 604_800, D: 86_400, H: 3600, S: 1 };
  let total = 0;
  let inTime = false;
  let n = '';
  for (const c of v.slice(1)) {
    if (c === 'T') inTime = true;
    else if ((c >= '0' && c <= '9') || c === '.') n += c;
    else {
      total += Number(n) * (c === 'M' ? (inTime ? 60 : 2_592_000) : (unit[c] ?? 0));
      n = '';
    }
  }
  return total;
}

/** ISO 8601 repeating interval (`R3/PT10M`, `R/2027-01-01T00:00:00Z/P1D`) whose period is at least an hour. */
function isIsoRepeat(v: string): boolean {
  const parts = v.split('/');
  if (parts[0]![0] !== 'R' || (parts[0]!.length > 1 && !digits(parts[0]!.slice(1)))) return false;
  const rest = parts.slice(1);
  if (rest.length < 1 || rest.length > 2 || !rest.every((p) => isIsoDuration(p) || isIsoDateTime(p)))
    return false;
  const period = rest.find((p) => p[0] === 'P');
  return period !== undefined && durationSeconds(period) >= MIN_CYCLE_SECONDS;
}
/**
 * A Quartz cron expression (the quarterly review: `0 0 6 1 1,4,7,10 ?`): six or seven plain fields, the seconds
 * and the minutes each one number, so it fires at most once an hour.
 */
function isCron(v: string): boolean {
  const fields = v.trim().split(' ').filter(Boolean);
  if (v.length > 120 || fields.length < 6 || fields.length > 7) return false;
  if (!digits(fields[0]!) || !digits(fields[1]!)) return false;
  return fields.every((f) =>
    [...f].every((c) => (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || ',-*/?LW#'.includes(c)),
  );
}
const timer =
  (kind: 'date' | 'duration' | 'cycle'): Check =>
  (raw, el, ctx) => {
    const v = raw.trim();
    if (v.startsWith('${') || v.startsWith('#{')) return variableOnly(v, el, ctx);
    const ok =
      kind === 'date'
        ? isIsoDateTime(v)
        : kind === 'duration'
          ? isIsoDuration(v)
          : isIsoRepeat(v) || isCron(v);
    return ok
      ? null
      : kind === 'cycle'
        ? 'trebuie să se repete cel mult o dată pe oră (ISO 8601, de exemplu R/PT1H, sau o expresie cron cu secunda și minutul fixe) ori să fie o variabilă ${nume}'
        : 'trebuie să fie o dată sau o durată ISO 8601 ori o variabilă ${nume}';
  };

const formalExpression: Check = (v) =>
  v === 'tFormalExpression' || v.endsWith(':tFormalExpression') ? null : 'poate fi doar „tFormalExpression”';

const candidateGroups: Check = (v) => {
  if (v === '${verificationRole}') return null;
  if (v.includes('${') || v.includes('#{'))
    return 'poate fi o listă de funcții din organigramă sau ${verificationRole}';
  return null;
};
const calledElement: Check = (v, _el, ctx) => {
  if (v === ROUTED_PROCESS) return null;
  if (v.includes('${') || v.includes('#{'))
    return `poate fi un proces al furnizorului sau ${ROUTED_PROCESS} (din tabelul de rutare)`;
  return ctx.processKeys.has(v) ? null : `procesul „${v}” nu este al furnizorului`;
};
const decisionRef: Check = (v, _el, ctx) => {
  const p = plain(v, _el, ctx);
  if (p) return p;
  return ctx.decisionKeys.has(v) ? null : `decizia „${v}” nu este a furnizorului`;
};
const businessKey: Check = (v) => (v === CALLER_BUSINESS_KEY ? null : `poate fi doar ${CALLER_BUSINESS_KEY}`);

// ---- BPMN ---------------------------------------------------------------------------------------------------

const named = { id: plain, name: plain };
/** Engine flags that change transaction boundaries only (no code): allowed on every flow node. */
const asyncFlags = {
  'camunda:asyncBefore': bool,
  'camunda:asyncAfter': bool,
  'camunda:exclusive': bool,
};
const flowNode = { ...named, ...asyncFlags };
const diColours = {
  'bioc:stroke': plain,
  'bioc:fill': plain,
  'color:background-color': plain,
  'color:border-color': plain,
};

const BPMN: Record<string, Spec> = {
  'bpmn:definitions': {
    attrs: {
      ...named,
      targetNamespace: plain,
      exporter: plain,
      exporterVersion: plain,
      'xsi:schemaLocation': plain,
      'modeler:executionPlatform': plain,
      'modeler:executionPlatformVersion': plain,
    },
  },
  'bpmn:process': {
    attrs: {
      ...named,
      isExecutable: bool,
      processType: oneOf('None', 'Public', 'Private'),
      'camunda:historyTimeToLive': plain,
      'camunda:versionTag': plain,
      'camunda:isStartableInTasklist': bool,
    },
  },
  'bpmn:collaboration': { attrs: named },
  'bpmn:participant': { attrs: { ...named, processRef: plain } },
  'bpmn:laneSet': { attrs: named },
  'bpmn:lane': { attrs: named },
  'bpmn:flowNodeRef': { text: plain },
  'bpmn:documentation': { attrs: { id: plain, textFormat: plain }, text: free },
  'bpmn:textAnnotation': { attrs: { id: plain, textFormat: plain } },
  'bpmn:text': { text: free, parents: ['bpmn:textAnnotation'] },
  'bpmn:association': {
    attrs: { id: plain, sourceRef: plain, targetRef: plain, associationDirection: plain },
  },
  'bpmn:message': { attrs: named },
  'bpmn:error': { attrs: { ...named, errorCode: plain } },
  'bpmn:startEvent': { attrs: { ...flowNode, isInterrupting: bool } },
  'bpmn:endEvent': { attrs: flowNode },
  'bpmn:intermediateCatchEvent': { attrs: flowNode },
  'bpmn:boundaryEvent': { attrs: { ...flowNode, attachedToRef: plain, cancelActivity: bool } },
  'bpmn:timerEventDefinition': { attrs: { id: plain } },
  'bpmn:timeDate': { attrs: { id: plain, 'xsi:type': formalExpression }, text: timer('date') },
  'bpmn:timeDuration': { attrs: { id: plain, 'xsi:type': formalExpression }, text: timer('duration') },
  'bpmn:timeCycle': { attrs: { id: plain, 'xsi:type': formalExpression }, text: timer('cycle') },
  'bpmn:messageEventDefinition': {
    attrs: { id: plain, messageRef: plain },
    // A throwing message event would need an implementation (class, expression): only catching ones.
    parents: ['bpmn:startEvent', 'bpmn:intermediateCatchEvent', 'bpmn:boundaryEvent'],
  },
  'bpmn:errorEventDefinition': {
    attrs: { id: plain, errorRef: plain },
    parents: ['bpmn:endEvent', 'bpmn:boundaryEvent', 'bpmn:startEvent'],
  },
  'bpmn:terminateEventDefinition': { attrs: { id: plain }, parents: ['bpmn:endEvent'] },
  'bpmn:userTask': {
    attrs: { ...flowNode, 'camunda:candidateGroups': candidateGroups, 'camunda:dueDate': variableOnly },
  },
  'bpmn:serviceTask': {
    attrs: { ...flowNode, 'camunda:type': oneOf('external'), 'camunda:topic': plain },
  },
  'bpmn:businessRuleTask': {
    attrs: {
      ...flowNode,
      'camunda:decisionRef': decisionRef,
      'camunda:decisionRefBinding': oneOf('latest', 'deployment'),
      'camunda:mapDecisionResult': oneOf('singleEntry', 'singleResult', 'collectEntries', 'resultList'),
      'camunda:resultVariable': identifier,
    },
  },
  'bpmn:callActivity': {
    attrs: {
      ...flowNode,
      calledElement,
      'camunda:calledElementBinding': oneOf('latest', 'deployment'),
    },
  },
  'bpmn:subProcess': { attrs: { ...flowNode, triggeredByEvent: bool } },
  'bpmn:task': { attrs: flowNode },
  'bpmn:manualTask': { attrs: flowNode },
  'bpmn:receiveTask': { attrs: { ...flowNode, messageRef: plain } },
  'bpmn:exclusiveGateway': { attrs: { ...flowNode, default: plain, gatewayDirection: plain } },
  'bpmn:inclusiveGateway': { attrs: { ...flowNode, default: plain, gatewayDirection: plain } },
  'bpmn:parallelGateway': { attrs: { ...flowNode, gatewayDirection: plain } },
  'bpmn:eventBasedGateway': { attrs: { ...flowNode, gatewayDirection: plain } },
  'bpmn:sequenceFlow': { attrs: { ...named, sourceRef: plain, targetRef: plain, isImmediate: bool } },
  'bpmn:conditionExpression': {
    attrs: { id: plain, 'xsi:type': formalExpression },
    text: condition,
    parents: ['bpmn:sequenceFlow'],
  },
  'bpmn:multiInstanceLoopCharacteristics': { attrs: { id: plain, isSequential: bool, ...asyncFlags } },
  'bpmn:loopCardinality': { attrs: { id: plain, 'xsi:type': formalExpression }, text: cardinality },
  'bpmn:completionCondition': { attrs: { id: plain, 'xsi:type': formalExpression }, text: condition },
  'bpmn:incoming': { text: plain },
  'bpmn:outgoing': { text: plain },
  'bpmn:extensionElements': {},
  // Our extensions: the task's instruction and form, an output mapping, what a call activity passes on.
  'camunda:properties': { attrs: { id: plain }, parents: ['bpmn:extensionElements'] },
  'camunda:property': {
    attrs: { id: plain, name: plain, value: plain },
    parents: ['camunda:properties'],
  },
  'camunda:inputOutput': { parents: ['bpmn:extensionElements'] },
  'camunda:inputParameter': {
    attrs: { name: identifier },
    text: literalOrExpressions,
    parents: ['camunda:inputOutput'],
  },
  'camunda:outputParameter': {
    attrs: { name: identifier },
    text: literalOrExpressions,
    parents: ['camunda:inputOutput'],
  },
  'camunda:in': {
    attrs: { businessKey, variables: oneOf('all'), source: identifier, target: identifier, local: bool },
    parents: ['bpmn:extensionElements'],
  },
  'camunda:out': {
    attrs: { variables: oneOf('all'), source: identifier, target: identifier, local: bool },
    parents: ['bpmn:extensionElements'],
  },
  // The diagram.
  'bpmndi:BPMNDiagram': { attrs: { ...named, resolution: number } },
  'bpmndi:BPMNPlane': { attrs: { id: plain, bpmnElement: plain } },
  'bpmndi:BPMNShape': {
    attrs: {
      id: plain,
      bpmnElement: plain,
      isExpanded: bool,
      isMarkerVisible: bool,
      isHorizontal: bool,
      isMessageVisible: bool,
      ...diColours,
    },
  },
  'bpmndi:BPMNEdge': {
    attrs: {
      id: plain,
      bpmnElement: plain,
      sourceElement: plain,
      targetElement: plain,
      messageVisibleKind: plain,
      ...diColours,
    },
  },
  'bpmndi:BPMNLabel': { attrs: { id: plain, labelStyle: plain, ...diColours } },
  'bpmndi:BPMNLabelStyle': { attrs: { id: plain } },
  'dc:Bounds': { attrs: { x: number, y: number, width: number, height: number } },
  'dc:Font': {
    attrs: {
      name: plain,
      size: number,
      isBold: bool,
      isItalic: bool,
      isUnderline: bool,
      isStrikeThrough: bool,
    },
  },
  'di:waypoint': { attrs: { x: number, y: number } },
};

/** Elements and attributes that run code, each with the name people know it by. */
const CODE_ELEMENTS: Record<string, string> = {
  'bpmn:scriptTask': 'o sarcină script',
  'bpmn:script': 'un script',
  'camunda:executionListener': 'un ascultător de execuție (execution listener)',
  'camunda:taskListener': 'un ascultător de sarcină (task listener)',
  'camunda:script': 'un script',
  'camunda:connector': 'un conector',
  'camunda:field': 'o injecție de câmp (field injection)',
  'bpmn:sendTask': 'o sarcină de trimitere (are nevoie de o clasă Java)',
  'bpmn:intermediateThrowEvent': 'un eveniment de aruncare',
  'bpmn:standardLoopCharacteristics': 'o buclă cu condiție',
};
const CODE_ATTRIBUTES = new Set([
  'class',
  'delegateExpression',
  'expression',
  'variableMappingClass',
  'variableMappingDelegateExpression',
  'resource',
  'scriptFormat',
  'language',
  'implementation',
  'sourceExpression',
  'calledElementTenantId',
  'decisionRefTenantId',
  'caseRef',
  'caseTenantId',
  'jobPriority',
  'taskPriority',
  'priority',
  'assignee',
  'candidateUsers',
  'collection',
  'elementVariable',
  'formKey',
  'followUpDate',
]);

// ---- DMN ----------------------------------------------------------------------------------------------------

/** FEEL, in every spelling the engine maps to its FEEL engine; nothing else (JUEL, JavaScript, Groovy…). */
const FEEL_LANGUAGES = [
  'feel',
  'FEEL',
  'https://www.omg.org/spec/DMN/20191111/FEEL/',
  'http://www.omg.org/spec/DMN/20180521/FEEL/',
  'http://www.omg.org/spec/FEEL/20140401',
  'https://www.omg.org/spec/FEEL/20140401',
];
const feelLanguage: Check = (v) =>
  FEEL_LANGUAGES.includes(v) ? null : `limbajul „${clip(v)}” nu este permis: doar FEEL`;

function feelText(el: XmlElement): Check {
  return (v) => {
    const parent = el.parent?.name ?? '';
    // Notes for people: never evaluated.
    if (parent === 'dmn:annotationEntry' || parent === 'dmn:textAnnotation') return null;
    const kind: FeelKind =
      parent === 'dmn:inputEntry' || parent === 'dmn:inputValues' || parent === 'dmn:outputValues'
        ? 'unary-tests'
        : 'expression';
    return checkFeel(v, kind);
  };
}

const dmnNamed = { id: plain, name: plain, label: plain };
const DMN: Record<string, Spec> = {
  'dmn:definitions': {
    attrs: {
      ...dmnNamed,
      namespace: plain,
      exporter: plain,
      exporterVersion: plain,
      expressionLanguage: feelLanguage,
      typeLanguage: feelLanguage,
    },
  },
  'dmn:decision': {
    attrs: { ...dmnNamed, 'camunda:historyTimeToLive': plain, 'camunda:versionTag': plain },
  },
  'dmn:decisionTable': {
    attrs: {
      id: plain,
      hitPolicy: oneOf('UNIQUE', 'FIRST', 'PRIORITY', 'ANY', 'COLLECT', 'RULE ORDER', 'OUTPUT ORDER'),
      aggregation: oneOf('SUM', 'MIN', 'MAX', 'COUNT'),
      outputLabel: plain,
      preferredOrientation: plain,
    },
    parents: ['dmn:decision'],
  },
  'dmn:literalExpression': {
    attrs: { id: plain, typeRef: plain, expressionLanguage: feelLanguage },
    parents: ['dmn:decision'],
  },
  'dmn:variable': { attrs: { ...dmnNamed, typeRef: plain } },
  'dmn:input': { attrs: { ...dmnNamed, 'camunda:inputVariable': identifier } },
  'dmn:inputExpression': { attrs: { id: plain, typeRef: plain, expressionLanguage: feelLanguage } },
  'dmn:output': { attrs: { ...dmnNamed, typeRef: plain } },
  'dmn:inputValues': { attrs: { id: plain, expressionLanguage: feelLanguage } },
  'dmn:outputValues': { attrs: { id: plain, expressionLanguage: feelLanguage } },
  'dmn:rule': { attrs: { id: plain } },
  'dmn:description': { text: free },
  'dmn:inputEntry': { attrs: { id: plain, expressionLanguage: feelLanguage } },
  'dmn:outputEntry': { attrs: { id: plain, expressionLanguage: feelLanguage } },
  'dmn:annotationEntry': { attrs: { id: plain } },
  'dmn:text': {},
  'dmn:inputData': { attrs: dmnNamed },
  'dmn:informationRequirement': { attrs: { id: plain } },
  'dmn:requiredDecision': { attrs: { href: plain } },
  'dmn:requiredInput': { attrs: { href: plain } },
  'dmn:knowledgeSource': { attrs: dmnNamed },
  'dmn:authorityRequirement': { attrs: { id: plain } },
  'dmn:requiredAuthority': { attrs: { href: plain } },
  'dmn:textAnnotation': { attrs: { id: plain, textFormat: plain } },
  'dmn:association': { attrs: { id: plain, associationDirection: plain } },
  'dmn:sourceRef': { attrs: { href: plain } },
  'dmn:targetRef': { attrs: { href: plain } },
  'dmndi:DMNDI': {},
  'dmndi:DMNDiagram': { attrs: { id: plain, name: plain, sharedStyle: plain } },
  'dmndi:DMNShape': { attrs: { id: plain, dmnElementRef: plain, isCollapsed: bool } },
  'dmndi:DMNEdge': { attrs: { id: plain, dmnElementRef: plain, sourceElement: plain, targetElement: plain } },
  'dmndi:DMNLabel': { attrs: { id: plain } },
  'dc:Bounds': { attrs: { x: number, y: number, width: number, height: number } },
  'di:waypoint': { attrs: { x: number, y: number } },
};

// ---- the walk -----------------------------------------------------------------------------------------------

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

function refusal(el: XmlElement, message: string): LintIssue {
  return { elementId: ownerId(el), rule: 'reclamatii/allow-list', severity: 'error', message };
}

function walk(
  root: XmlElement,
  specs: Record<string, Spec>,
  rootName: string,
  ctx: AllowListContext,
  textCheck: (el: XmlElement) => Check | undefined,
): LintIssue[] {
  const issues: LintIssue[] = [];
  if (root.name !== rootName) return [refusal(root, `Documentul trebuie să înceapă cu „${rootName}”.`)];
  const stack: XmlElement[] = [root];
  while (stack.length > 0) {
    const el = stack.pop()!;
    const spec = specs[el.name];
    const code =
      CODE_ELEMENTS[el.name] ?? CODE_ELEMENTS[`camunda:${el.name.slice(el.name.indexOf(':') + 1)}`];
    if (code) {
      issues.push(refusal(el, `Nu se poate publica ${code}: procesele nu rulează cod.`));
      continue;
    }
    if (!spec) {
      issues.push(refusal(el, `Elementul „${el.name}” nu este permis în fișierele publicate.`));
      continue;
    }
    if (spec.parents && !spec.parents.includes(el.parent?.name ?? '')) {
      issues.push(refusal(el, `Elementul „${el.name}” nu este permis în „${el.parent?.name ?? '—'}”.`));
      continue;
    }
    for (const [attr, value] of el.attrs) {
      const local = attr.slice(attr.indexOf(':') + 1);
      const check = spec.attrs?.[attr];
      if (!check) {
        issues.push(
          refusal(
            el,
            CODE_ATTRIBUTES.has(local)
              ? `Atributul „${local}” nu este permis: procesele nu rulează cod.`
              : `Atributul „${attr}” al elementului „${el.name}” nu este permis.`,
          ),
        );
        continue;
      }
      const problem = check(value, el, ctx);
      if (problem) issues.push(refusal(el, `Atributul „${attr}” al elementului „${el.name}”: ${problem}.`));
    }
    const text = el.text.trim();
    if (text) {
      const check = textCheck(el) ?? spec.text;
      const problem = check ? check(text, el, ctx) : 'nu poate avea text';
      if (problem) issues.push(refusal(el, `Conținutul elementului „${el.name}”: ${problem}.`));
    }
    for (let i = el.children.length - 1; i >= 0; i--) stack.push(el.children[i]!);
  }
  return issues;
}

function unreadable(kind: 'BPMN' | 'DMN', err: unknown): LintIssue[] {
  if (!(err instanceof XmlShapeError)) throw err;
  const message =
    err.kind === 'syntax'
      ? `Fișierul nu este un document ${kind === 'BPMN' ? 'BPMN 2.0' : 'DMN 1.3'} valid (XML ilizibil).`
      : `Fișierul ${kind} nu poate fi publicat: ${err.message}`;
  return [{ elementId: null, rule: 'xml', severity: 'error', message }];
}

/** The allow-list of a BPMN document; an empty list when it may be deployed. */
export function checkBpmnAllowList(xml: string, ctx: AllowListContext): LintIssue[] {
  let root: XmlElement;
  try {
    root = parseXmlTree(xml, NS_BPMN);
  } catch (err) {
    return unreadable('BPMN', err);
  }
  // A process may call the processes declared beside it in the same file.
  const own = new Set(ctx.processKeys);
  for (const el of root.children)
    if (el.name === 'bpmn:process' && el.attrs.get('id')) own.add(el.attrs.get('id')!);
  return walk(root, BPMN, 'bpmn:definitions', { ...ctx, processKeys: own }, () => undefined);
}

/** The allow-list of a DMN document: DMN 1.3 tables and literal expressions in FEEL with safe functions only. */
export function checkDmnAllowList(xml: string): LintIssue[] {
  let root: XmlElement;
  try {
    root = parseXmlTree(xml, NS_DMN);
  } catch (err) {
    return unreadable('DMN', err);
  }
  const ctx = { processKeys: new Set<string>(), decisionKeys: new Set<string>() };
  return walk(root, DMN, 'dmn:definitions', ctx, (el) => (el.name === 'dmn:text' ? feelText(el) : undefined));
}

/**
 * The ids of the decisions a DMN file declares, read with the same linear parser (this replaced a regular
 * expression, `<decision\b[^>]*\bid="…"`, that took quadratic time on a file of many unclosed `<decision` tags).
 */
export function declaredDecisionIds(xml: string): string[] {
  const root = parseXmlTree(xml, NS_DMN);
  return root.children.filter((e) => e.name === 'dmn:decision').map((e) => e.attrs.get('id') ?? '');
}
