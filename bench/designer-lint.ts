/**
 * How long the designer waits for lint after a change: bpmnlint (recommended + our rules) on each baseline BPMN
 * file, as the server runs it for POST /api/process-definitions/lint and before every deployment. No services
 * needed. `npx tsx bench/designer-lint.ts --n 50`
 */
import { parseArgs } from 'node:util';
import { lintBpmn } from '../server/designer/lint/bpmn-lint.ts';
import { readBaselineProcesses } from '../server/engine/deploy-processes.ts';
import { parseBpmn } from '../server/engine/bpmn-metadata.ts';
import { JOB_ROLES } from '../server/codes/job-roles.ts';
import { loadInstructions } from '../server/instructions/instructions.ts';
import { TASK_FORMS } from '../server/tasks/task-forms.ts';
import { TOPICS } from '../processes/topics.ts';

const { values } = parseArgs({ options: { n: { type: 'string', default: '50' } } });
const n = Math.max(1, Number(values.n));
const ctx = {
  instructionIds: new Set((await loadInstructions()).keys()),
  jobRoles: new Set(Object.keys(JOB_ROLES)),
  topics: new Set<string>(Object.values(TOPICS)),
  forms: new Set<string>(TASK_FORMS),
  // The allow-list's view of the tenant: every baseline process and the routing table are its own.
  processKeys: new Set<string>(),
  decisionKeys: new Set<string>(['complaint-routing']),
};
for (const f of await readBaselineProcesses())
  for (const p of f.name.endsWith('.bpmn') ? await parseBpmn(f.content) : [])
    ctx.processKeys.add(p.processId);
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

for (const f of (await readBaselineProcesses()).filter((x) => x.name.endsWith('.bpmn'))) {
  await lintBpmn(f.content, ctx); // warm-up
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await lintBpmn(f.content, ctx);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${f.name.padEnd(32)} ${String(Math.round(f.content.length / 1024)).padStart(3)} KB  n=${n}  p50 ${pct(times, 50).toFixed(1)} ms  p95 ${pct(times, 95).toFixed(1)} ms`,
  );
}
