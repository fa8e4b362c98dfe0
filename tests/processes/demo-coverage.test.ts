import { randomBytes } from 'node:crypto';
import { BpmnModdle } from 'bpmn-moddle';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };
import { DmnModdle } from 'dmn-moddle';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { JOB_ROLES } from '../../server/codes/job-roles.ts';
import { createDb } from '../../server/db/client.ts';
import { runMigrations } from '../../server/db/migrate.ts';
import { readBaselineProcesses } from '../../server/engine/deploy-processes.ts';
import { DEMO_USERS, seedDemo, TASK_WORKER_ROLES } from '../../server/seed/demo.ts';

interface Holder {
  email: string;
  roles: string[];
  jobRoles: string[];
}

interface UserTask {
  file: string;
  id: string;
  name: string;
  candidateGroups: string[];
  candidateUsers: string[];
}

interface El {
  $type: string;
  id: string;
  name?: string;
  candidateGroups?: string;
  candidateUsers?: string;
  flowElements?: El[];
  rootElements?: El[];
}

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** The job roles the routing table gives each verification process (its `verificationRole` output). */
async function routedRoles(): Promise<Map<string, string[]>> {
  const dmn = (await readBaselineProcesses()).find((f) => f.name === 'complaint-routing.dmn')!;
  const { rootElement } = (await new DmnModdle().fromXML(dmn.content, 'dmn:Definitions')) as unknown as {
    rootElement: {
      drgElement: Array<{
        decisionLogic?: {
          output?: Array<{ name?: string }>;
          rule?: Array<{ outputEntry: Array<{ text: string }> }>;
        };
      }>;
    };
  };
  const out = new Map<string, string[]>();
  for (const d of rootElement.drgElement) {
    const names = (d.decisionLogic?.output ?? []).map((o) => o.name);
    for (const r of d.decisionLogic?.rule ?? []) {
      const value = (name: string) => r.outputEntry[names.indexOf(name)]?.text.replaceAll('"', '') ?? '';
      const process = value('verificationProcess');
      out.set(process, [...(out.get(process) ?? []), value('verificationRole')]);
    }
  }
  return out;
}

/** Every user task of every baseline BPMN file, sub-processes included, with its candidate groups and users. */
async function baselineUserTasks(): Promise<UserTask[]> {
  const moddle = new BpmnModdle({ camunda: camundaModdle });
  const routed = await routedRoles();
  const out: UserTask[] = [];
  for (const f of (await readBaselineProcesses()).filter((x) => x.name.endsWith('.bpmn'))) {
    const { rootElement } = (await moddle.fromXML(f.content)) as unknown as { rootElement: El };
    const processId = rootElement.rootElements?.find((r) => r.$type === 'bpmn:Process')?.id ?? '';
    const visit = (els: El[] | undefined) => {
      for (const el of els ?? []) {
        if (el.$type === 'bpmn:UserTask')
          out.push({
            file: f.name,
            id: el.id,
            name: el.name ?? el.id,
            // The routed verification's first task: whichever job role the routing table gives this process.
            candidateGroups: list(el.candidateGroups).flatMap((g) =>
              g === '${verificationRole}' ? (routed.get(processId) ?? [g]) : [g],
            ),
            candidateUsers: list(el.candidateUsers),
          });
        visit(el.flowElements);
      }
    };
    for (const root of rootElement.rootElements ?? []) visit(root.flowElements);
  }
  return out;
}

const canWork = (h: Holder) => h.roles.some((r) => (TASK_WORKER_ROLES as readonly string[]).includes(r));

/** The tasks nobody can claim, named "file#id (name): groups". */
function unclaimable(tasks: UserTask[], holders: Holder[]): string[] {
  return tasks
    .filter(
      (t) =>
        !holders.some(
          (h) =>
            canWork(h) &&
            (t.candidateGroups.some((g) => h.jobRoles.includes(g)) || t.candidateUsers.includes(h.email)),
        ),
    )
    .map(
      (t) =>
        `${t.file}#${t.id} (${t.name}): groups [${t.candidateGroups.join(', ')}] users [${t.candidateUsers.join(', ')}]`,
    );
}

/** The job roles of the organisation chart nobody of the demo holds with a role that works tasks. */
function unheldJobRoles(holders: Holder[]): string[] {
  return Object.keys(JOB_ROLES).filter((j) => !holders.some((h) => canWork(h) && h.jobRoles.includes(j)));
}

describe('every user task of the baseline processes can be claimed by a demo login', () => {
  it('holds for DEMO_USERS', async () => {
    const tasks = await baselineUserTasks();
    expect(tasks.length).toBeGreaterThan(30);
    expect(unclaimable(tasks, DEMO_USERS)).toEqual([]);
    expect(unheldJobRoles(DEMO_USERS)).toEqual([]);
  });

  it('names the task that nobody could claim', async () => {
    const tasks = await baselineUserTasks();
    const withoutRegistry = DEMO_USERS.filter((u) => u.email !== 'registry@demo.local');
    expect(unclaimable(tasks, withoutRegistry)).toContain(
      'complaint.bpmn#checkEmail (Verificarea înregistrării primite pe e-mail): groups [REG] users []',
    );
    // A holder who may not work tasks (an admin) does not count.
    const adminOnly = DEMO_USERS.map((u) =>
      u.email === 'registry@demo.local' ? { ...u, roles: ['admin' as const] } : u,
    );
    expect(unheldJobRoles(adminOnly)).toEqual(['RRC', 'REG']);
    expect(unclaimable(tasks, adminOnly)).toHaveLength(unclaimable(tasks, withoutRegistry).length);
  });

  describe('in the seeded database', () => {
    let name = '';
    let holders: Holder[] = [];

    beforeAll(async () => {
      const adminUrl = inject('adminDatabaseUrl');
      name = `t_${randomBytes(5).toString('hex')}`;
      const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database ${name}`);
      await admin.end();
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      await runMigrations(url.toString());
      const { db, sql } = createDb(url.toString(), { max: 2 });
      try {
        const { demoTenantId } = await seedDemo(db, 'http://localhost:3000');
        holders = await sql<Holder[]>`
          select u.email, u.roles,
            coalesce(array_agg(h.job_role_code) filter (where h.job_role_code is not null), '{}') as "jobRoles"
          from users u left join job_role_holders h on h.user_id = u.id and h.tenant_id = u.tenant_id
          where u.tenant_id = ${demoTenantId} and u.active
          group by u.id`;
      } finally {
        await sql.end();
      }
    });
    afterAll(async () => {
      if (!name) return;
      const a = postgres(inject('adminDatabaseUrl'), { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    });

    it('job_role_holders give every task a claimant and every job role a holder', async () => {
      expect(holders.map((h) => h.email).sort()).toEqual(DEMO_USERS.map((u) => u.email).sort());
      expect(unclaimable(await baselineUserTasks(), holders)).toEqual([]);
      expect(unheldJobRoles(holders)).toEqual([]);
    });
  });
});
