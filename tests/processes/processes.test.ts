import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseBpmn } from '../../server/engine/bpmn-metadata.ts';
import { readBaselineProcesses } from '../../server/engine/deploy-processes.ts';
import { JOB_ROLES } from '../../server/codes/job-roles.ts';
import { loadInstructions } from '../../server/instructions/instructions.ts';
import { complaintCategories } from '../../server/db/schema/index.ts';
import { WORKERS } from '../../server/workers/run-workers.ts';
import { TOPICS } from '../../processes/topics.ts';
import { TASK_FORMS } from '../../server/tasks/task-forms.ts';
import { ROUTED_ROLE } from '../../server/designer/lint/rules.ts';

async function bpmnFiles() {
  return (await readBaselineProcesses()).filter((f) => f.name.endsWith('.bpmn'));
}

describe('processes/ and instructions/ hold together', () => {
  it('every work instruction is valid (front matter, role, steps)', async () => {
    const all = await loadInstructions();
    expect(all.size).toBeGreaterThanOrEqual(30);
    for (const i of all.values()) {
      expect(i.steps.length, i.id).toBeGreaterThanOrEqual(5);
      expect(await readFile(`instructions/${i.id}.md`, 'utf8'), `${i.id} uses cedilla ş/ţ`).not.toMatch(
        /[şţŞŢ]/,
      );
    }
  });

  it('every external topic in the BPMN has exactly one worker, and no worker is orphaned', async () => {
    const topics = new Set<string>();
    for (const f of await bpmnFiles())
      for (const p of await parseBpmn(f.content)) p.topics.forEach((x) => topics.add(x));
    const workerTopics = WORKERS.map((w) => w.topic);
    expect(new Set(workerTopics).size).toBe(workerTopics.length);
    expect([...topics].sort()).toEqual([...workerTopics].sort());
    expect(Object.values(TOPICS).sort()).toEqual([...topics].sort());
  });

  it('every user task names an existing instruction and a known job role', async () => {
    const instructions = await loadInstructions();
    for (const f of await bpmnFiles()) {
      for (const p of await parseBpmn(f.content)) {
        for (const task of p.userTasks.values()) {
          expect(
            task.instructionId && instructions.has(task.instructionId),
            `${task.id}: instruction ${task.instructionId}`,
          ).toBe(true);
          expect(task.candidateGroups.length, `${task.id} has no candidate group`).toBeGreaterThan(0);
          // The verification's first task goes to the job role the routing table chose (checked below).
          for (const g of task.candidateGroups)
            if (g !== ROUTED_ROLE) expect(JOB_ROLES[g], `${task.id}: role ${g}`).toBeDefined();
        }
      }
    }
  });

  it('every instruction is used by some user task', async () => {
    const instructions = await loadInstructions();
    const used = new Set<string>();
    for (const f of await bpmnFiles())
      for (const p of await parseBpmn(f.content))
        for (const task of p.userTasks.values()) if (task.instructionId) used.add(task.instructionId);
    const unused = [...instructions.keys()].filter((id) => !used.has(id));
    expect(unused, 'instructions no task uses').toEqual([]);
  });

  it('every user task has a known form, the due date and, for branching verifications, its choices', async () => {
    for (const f of await bpmnFiles()) {
      if (!f.name.endsWith('.bpmn')) continue;
      for (const p of await parseBpmn(f.content)) {
        for (const task of p.userTasks.values()) {
          expect(TASK_FORMS as readonly string[], `${p.processId}/${task.id}: form ${task.form}`).toContain(
            task.form,
          );
        }
      }
      const userTasks = f.content.match(/<bpmn:userTask [^>]*>/g) ?? [];
      for (const t of userTasks) expect(t, f.name).toContain('camunda:dueDate="${dueAt}"');
    }
  });

  it('the routing table sends every category to a deployed verification process', async () => {
    const files = await readBaselineProcesses();
    const dmn = files.find((f) => f.name === 'complaint-routing.dmn');
    expect(dmn).toBeDefined();
    const processIds = new Set<string>();
    for (const f of files.filter((x) => x.name.endsWith('.bpmn')))
      for (const p of await parseBpmn(f.content)) processIds.add(p.processId);
    const rules = [...dmn!.content.matchAll(/<rule [\s\S]*?<\/rule>/g)].map((m) => m[0]);
    const categories = rules.map((r) => /<inputEntry[^>]*><text>"([^"]+)"/.exec(r)?.[1]);
    const targets = rules.map((r) => [...r.matchAll(/<outputEntry[^>]*><text>"([^"]+)"/g)].map((m) => m[1]));
    expect(categories.sort()).toEqual([...complaintCategories].sort());
    for (const [process, role] of targets) {
      expect(processIds.has(process!), `${process} is deployed`).toBe(true);
      expect(JOB_ROLES[role!], `role ${role}`).toBeDefined();
    }
    // Every routed process offers its first task to the routing table's job role, and nothing else does.
    const routed = new Set(targets.map(([process]) => process));
    for (const f of files.filter((x) => x.name.endsWith('.bpmn')))
      for (const p of await parseBpmn(f.content))
        for (const task of p.userTasks.values())
          if (task.candidateGroups.includes(ROUTED_ROLE))
            expect(routed.has(p.processId), `${p.processId}#${task.id} is not routed`).toBe(true);
    for (const process of routed) {
      const [p] = await parseBpmn(files.find((f) => f.name === `${process}.bpmn`)!.content);
      expect(
        [...p!.userTasks.values()].some((t) => t.candidateGroups.includes(ROUTED_ROLE)),
        `${process} uses verificationRole`,
      ).toBe(true);
    }
  });
});
