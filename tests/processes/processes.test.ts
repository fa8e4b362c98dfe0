import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseBpmn } from '../../server/engine/bpmn-metadata.ts';
import { readBaselineProcesses } from '../../server/engine/deploy-processes.ts';
import { JOB_ROLES, loadInstructions } from '../../server/instructions/instructions.ts';
import { WORKERS } from '../../server/workers/run-workers.ts';
import { TOPICS } from '../../processes/topics.ts';

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
    for (const f of await readBaselineProcesses())
      for (const p of await parseBpmn(f.content)) p.topics.forEach((x) => topics.add(x));
    const workerTopics = WORKERS.map((w) => w.topic);
    expect(new Set(workerTopics).size).toBe(workerTopics.length);
    expect([...topics].sort()).toEqual([...workerTopics].sort());
    expect(Object.values(TOPICS).sort()).toEqual([...topics].sort());
  });

  it('every user task names an existing instruction and a known job role', async () => {
    const instructions = await loadInstructions();
    for (const f of await readBaselineProcesses()) {
      for (const p of await parseBpmn(f.content)) {
        for (const task of p.userTasks.values()) {
          expect(
            task.instructionId && instructions.has(task.instructionId),
            `${task.id}: instruction ${task.instructionId}`,
          ).toBe(true);
          expect(task.candidateGroups.length, `${task.id} has no candidate group`).toBeGreaterThan(0);
          for (const g of task.candidateGroups) expect(JOB_ROLES[g], `${task.id}: role ${g}`).toBeDefined();
        }
      }
    }
  });
});
