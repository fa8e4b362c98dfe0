import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { complaintCategories } from '../../db/schema/index.ts';
import { JOB_ROLES } from '../../codes/job-roles.ts';
import { readBaselineProcesses } from '../../engine/deploy-processes.ts';
import { parseBpmn } from '../../engine/bpmn-metadata.ts';
import { lintDmn } from './dmn-lint.ts';

async function context() {
  const keys = new Set<string>();
  for (const f of (await readBaselineProcesses()).filter((x) => x.name.endsWith('.bpmn')))
    for (const p of await parseBpmn(f.content)) keys.add(p.processId);
  return { categories: complaintCategories, processKeys: keys, jobRoles: new Set(Object.keys(JOB_ROLES)) };
}

const routing = () => readFile('processes/complaint-routing.dmn', 'utf8');

describe('lintDmn', () => {
  it('finds no errors in the baseline routing table', async () => {
    expect(await lintDmn(await routing(), await context())).toEqual([]);
  });

  it('names the rule that routes to a missing process or role, and the category left without a rule', async () => {
    const xml = (await routing())
      .replace('<text>"verify-billing"</text>', '<text>"verify-nothing"</text>')
      .replace(
        '<outputEntry id="rule_1_role"><text>"SF"</text>',
        '<outputEntry id="rule_1_role"><text>"XYZ"</text>',
      )
      .replace('<text>"grup_masurare"</text>', '<text>"facturare"</text>');
    const issues = (await lintDmn(xml, await context())).map((i) => [i.elementId, i.message]);
    expect(issues).toEqual(
      expect.arrayContaining([
        ['rule_1', 'Procesul de verificare „verify-nothing” nu există.'],
        ['rule_1', 'Funcția „XYZ” nu există în organigrama furnizorului.'],
        ['rule_2', 'Categoria „facturare” are deja o regulă (rule_1).'],
        ['complaint-routing', 'Categoria „grup_masurare” nu are nicio regulă de rutare.'],
      ]),
    );
  });

  it('says in Romanian when the XML cannot be read', async () => {
    expect((await lintDmn('<definitions', await context()))[0]?.message).toBe(
      'Fișierul nu este un document DMN 1.3 valid (XML ilizibil).',
    );
  });
});
