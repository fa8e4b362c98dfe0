import { createRequire } from 'node:module';
import { BpmnModdle } from 'bpmn-moddle';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };
import { createProjectRules, type LintContext } from './rules.ts';
import { RULE_TITLES } from './rule-titles.ts';
import { checkBpmnAllowList } from './allow-list.ts';

const require = createRequire(import.meta.url);
// bpmnlint is CommonJS; its rules and configs are loaded from the package itself.
const Linter = require('bpmnlint/lib/linter') as new (opts: {
  config: Record<string, unknown>;
  resolver: {
    resolveRule(pkg: string, ruleName: string): unknown;
    resolveConfig(pkg: string, configName: string): unknown;
  };
}) => { lint(root: unknown): Promise<Record<string, RawReport[]>> };

interface RawReport {
  id?: string;
  message: string;
  category?: string;
  path?: string[];
}

export interface LintIssue {
  /** The BPMN element the issue is about (absent for document-level problems). */
  elementId: string | null;
  rule: string;
  severity: 'error' | 'warning';
  /** Romanian, for people. */
  message: string;
}

/** Our plugin's package name (`reclamatii/<rule>` in the config). */
const PLUGIN = 'bpmnlint-plugin-reclamatii';

/**
 * The lint configuration: bpmnlint's recommended rules plus ours. Everything the tests of processes/ check is a
 * rule here too, so what the server deploys holds to the same standard as the baseline files.
 */
export const LINT_CONFIG = {
  extends: ['bpmnlint:recommended'],
  rules: {
    // The baseline's join-and-fork gateways run correctly in the engine; shown as a warning, never refused.
    'no-gateway-join-fork': 'warn',
    'reclamatii/user-task-instruction': 'error',
    'reclamatii/user-task-candidate-group': 'error',
    'reclamatii/user-task-form': 'error',
    'reclamatii/user-task-due-date': 'error',
    'reclamatii/external-task-topic': 'error',
    'reclamatii/history-time-to-live': 'error',
  },
};

const moddle = new BpmnModdle({ camunda: camundaModdle });

/**
 * Lints one BPMN document: first the allow-list (allow-list.ts: nothing a tenant deploys runs as code), then
 * bpmnlint with our rules. Unreadable XML is one document-level error. Errors refuse a deployment; warnings are
 * shown only.
 */
export async function lintBpmn(xml: string, ctx: LintContext): Promise<LintIssue[]> {
  const refused = checkBpmnAllowList(xml, ctx);
  if (refused.some((i) => i.rule === 'xml')) return refused;
  let root: unknown;
  try {
    const parsed = (await moddle.fromXML(xml)) as unknown as {
      rootElement: { $type: string };
      warnings: Array<{ message: string }>;
    };
    if (parsed.rootElement.$type !== 'bpmn:Definitions') throw new Error('not BPMN');
    root = parsed.rootElement;
  } catch {
    return [
      {
        elementId: null,
        rule: 'xml',
        severity: 'error',
        message: 'Fișierul nu este un document BPMN 2.0 valid (XML ilizibil).',
      },
    ];
  }
  const projectRules = createProjectRules(ctx);
  const linter = new Linter({
    config: LINT_CONFIG,
    resolver: {
      resolveRule(pkg, ruleName) {
        if (pkg === PLUGIN) return projectRules[ruleName];
        if (pkg === 'bpmnlint') return require(`bpmnlint/rules/${ruleName}`) as unknown;
        return undefined;
      },
      resolveConfig(pkg, configName) {
        if (pkg === 'bpmnlint') return require(`bpmnlint/config/${configName}`) as unknown;
        return undefined;
      },
    },
  });
  const results = await linter.lint(root);
  const issues: LintIssue[] = [...refused];
  for (const [rule, reports] of Object.entries(results)) {
    for (const r of reports) {
      const ours = rule.startsWith('reclamatii/');
      issues.push({
        elementId: r.id ?? null,
        rule,
        severity: r.category === 'error' || r.category === 'rule-error' ? 'error' : 'warning',
        message: ours ? r.message : (RULE_TITLES[rule] ?? r.message),
      });
    }
  }
  return issues.sort((a, b) =>
    a.severity === b.severity
      ? (a.elementId ?? '').localeCompare(b.elementId ?? '')
      : a.severity === 'error'
        ? -1
        : 1,
  );
}
