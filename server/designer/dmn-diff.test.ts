import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { diffDmn, type DecisionDiff } from './dmn-diff.ts';

let baseline: string;
beforeAll(async () => {
  baseline = await readFile('processes/complaint-routing.dmn', 'utf8');
});

/** Replaces exactly one occurrence, so a variant cannot silently stop matching the baseline file. */
function edit(xml: string, from: string | RegExp, to: string): string {
  const count =
    typeof from === 'string'
      ? xml.split(from).length - 1
      : (xml.match(new RegExp(from.source, `${from.flags}g`)) ?? []).length;
  expect(count, String(from)).toBe(1);
  return xml.replace(from, to);
}

async function routing(oldXml: string, newXml: string): Promise<DecisionDiff> {
  const d = await diffDmn(oldXml, newXml);
  expect(d.decisions.map((x) => x.id)).toEqual(['complaint-routing']);
  return d.decisions[0]!;
}

const rule12 = `<rule id="rule_12">
        <description>Reclamații privind branșamentul</description>
        <inputEntry id="rule_12_category"><text>"racordare"</text></inputEntry>
        <outputEntry id="rule_12_process"><text>"verify-supply"</text></outputEntry>
        <outputEntry id="rule_12_role"><text>"SM"</text></outputEntry>
      </rule>
    </decisionTable>`;

describe('diffDmn on variants of processes/complaint-routing.dmn', () => {
  it('finds nothing between a version and itself', async () => {
    const d = await routing(baseline, baseline);
    expect(d).toMatchObject({
      status: 'unchanged',
      attributes: [],
      inputs: { added: [], removed: [], changed: [] },
      outputs: { added: [], removed: [], changed: [] },
      rules: { added: [], removed: [], changed: [], reordered: false },
    });
  });

  it('a changed cell: the rule, its column and the old and new value', async () => {
    const xml = edit(
      baseline,
      '<outputEntry id="rule_2_role"><text>"SM"</text>',
      '<outputEntry id="rule_2_role"><text>"SEF"</text>',
    );
    const d = await routing(baseline, xml);
    expect(d.status).toBe('changed');
    expect(d.rules).toEqual({
      added: [],
      removed: [],
      reordered: false,
      changed: [
        {
          id: 'rule_2',
          oldPosition: 2,
          position: 2,
          attributes: [],
          cells: [
            {
              columnId: 'output_role',
              column: 'Funcția care verifică',
              kind: 'output',
              oldValue: '"SM"',
              newValue: '"SEF"',
            },
          ],
        },
      ],
    });
  });

  it('whitespace around a cell is not a change', async () => {
    const xml = edit(baseline, '<text>"verify-billing"</text>', '<text>  "verify-billing"\n</text>');
    expect((await routing(baseline, xml)).status).toBe('unchanged');
  });

  it('an added rule, with every cell and its annotation', async () => {
    const xml = edit(baseline, '</decisionTable>', rule12);
    const d = await routing(baseline, xml);
    expect(d.rules.changed).toEqual([]);
    expect(d.rules.removed).toEqual([]);
    expect(d.rules.added).toEqual([
      {
        id: 'rule_12',
        position: 10,
        annotation: 'Reclamații privind branșamentul',
        cells: [
          {
            columnId: 'input_category',
            column: 'Categoria (Ord. ANRE 16/2015 art. 2)',
            kind: 'input',
            value: '"racordare"',
          },
          {
            columnId: 'output_process',
            column: 'Subproces de verificare',
            kind: 'output',
            value: '"verify-supply"',
          },
          { columnId: 'output_role', column: 'Funcția care verifică', kind: 'output', value: '"SM"' },
        ],
      },
    ]);
  });

  it('a removed rule, with the position it had; the rules after it moved up but are not "changed"', async () => {
    const xml = edit(baseline, /<rule id="rule_3">[\s\S]*?<\/rule>\s*/, '');
    const d = await routing(baseline, xml);
    expect(d.rules.removed.map((r) => [r.id, r.position, r.cells.map((c) => c.value)])).toEqual([
      ['rule_3', 3, ['"continuitate_alimentare"', '"verify-supply"', '"SM"']],
    ]);
    expect(d.rules.added).toEqual([]);
    expect(d.rules.changed).toEqual([]);
    expect(d.rules.reordered).toBe(false);
  });

  it('an added input: the column once, and only the rules whose new cell decides something', async () => {
    let xml = edit(
      baseline,
      '</input>',
      `</input>
      <input id="input_channel" label="Canalul de depunere">
        <inputExpression id="input_channel_expr" typeRef="string"><text>channel</text></inputExpression>
      </input>`,
    );
    // dmn-js writes a cell for the new column in every rule: "-" (any value) except where one was typed.
    for (let i = 1; i <= 9; i++)
      xml = edit(
        xml,
        new RegExp(`(<inputEntry id="rule_${i}_category">.*?</inputEntry>)`),
        `$1<inputEntry id="rule_${i}_channel"><text>${i === 1 ? '"online"' : '-'}</text></inputEntry>`,
      );
    const d = await routing(baseline, xml);
    expect(d.inputs).toEqual({
      added: [
        {
          id: 'input_channel',
          title: 'Canalul de depunere',
          label: 'Canalul de depunere',
          expression: 'channel',
          typeRef: 'string',
        },
      ],
      removed: [],
      changed: [],
    });
    expect(d.rules.changed).toEqual([
      {
        id: 'rule_1',
        oldPosition: 1,
        position: 1,
        attributes: [],
        cells: [
          {
            columnId: 'input_channel',
            column: 'Canalul de depunere',
            kind: 'input',
            oldValue: null,
            newValue: '"online"',
          },
        ],
      },
    ]);
    // The output cells are matched by column, not by position: none of them looks changed.
    expect(d.rules.changed.flatMap((r) => r.cells).filter((c) => c.kind === 'output')).toEqual([]);
  });

  it('a removed output column: the column, and in each rule the value it decided', async () => {
    let xml = edit(baseline, /<output id="output_role"[^>]*\/>\s*/, '');
    xml = xml.replace(/<outputEntry id="rule_\d+_role">.*?<\/outputEntry>\s*/g, '');
    const d = await routing(baseline, xml);
    expect(d.outputs.removed.map((c) => [c.id, c.title, c.expression])).toEqual([
      ['output_role', 'Funcția care verifică', 'verificationRole'],
    ]);
    // The role each rule had is gone with the column; every rule says so (it decided something).
    expect(d.rules.changed).toHaveLength(9);
    expect(d.rules.changed[0]!.cells).toEqual([
      {
        columnId: 'output_role',
        column: 'Funcția care verifică',
        kind: 'output',
        oldValue: '"SF"',
        newValue: null,
      },
    ]);
  });

  it('a renamed column, a changed hit policy and a changed annotation', async () => {
    let xml = edit(
      baseline,
      'label="Subproces de verificare" name="verificationProcess"',
      'label="Procesul de verificare" name="verificationProcess"',
    );
    xml = edit(xml, 'hitPolicy="UNIQUE"', 'hitPolicy="FIRST"');
    xml = edit(
      xml,
      '<description>Inclusiv răspunsuri contestate</description>',
      '<description>Inclusiv răspunsuri contestate și plângeri redeschise</description>',
    );
    const d = await routing(baseline, xml);
    expect(d.attributes).toEqual([{ name: 'hitPolicy', oldValue: 'UNIQUE', newValue: 'FIRST' }]);
    expect(d.outputs.changed).toEqual([
      {
        id: 'output_process',
        title: 'Procesul de verificare',
        label: 'Procesul de verificare',
        expression: 'verificationProcess',
        typeRef: 'string',
        attributes: [
          { name: 'label', oldValue: 'Subproces de verificare', newValue: 'Procesul de verificare' },
        ],
      },
    ]);
    expect(d.rules.changed).toEqual([
      {
        id: 'rule_9',
        oldPosition: 9,
        position: 9,
        attributes: [
          {
            name: 'annotation',
            oldValue: 'Inclusiv răspunsuri contestate',
            newValue: 'Inclusiv răspunsuri contestate și plângeri redeschise',
          },
        ],
        cells: [],
      },
    ]);
  });

  it('an absent hit policy is UNIQUE, as DMN says', async () => {
    const xml = edit(baseline, ' hitPolicy="UNIQUE"', '');
    expect((await routing(baseline, xml)).status).toBe('unchanged');
  });

  it('rules in another order are reported (the order decides under FIRST)', async () => {
    const first = /<rule id="rule_1">[\s\S]*?<\/rule>\s*/.exec(baseline)![0];
    const xml = edit(edit(baseline, first, ''), '</decisionTable>', `${first}</decisionTable>`);
    const d = await routing(baseline, xml);
    expect(d.rules).toMatchObject({ added: [], removed: [], changed: [], reordered: true });
    expect(d.status).toBe('changed');
  });

  it('a decision added to the file and one removed from it', async () => {
    const decision = /<decision id="complaint-routing"[\s\S]*?<\/decision>/.exec(baseline)![0];
    const copy = decision
      .replaceAll('complaint-routing', 'gdpr-routing')
      .replaceAll(/id="(rule|input|output)_/g, 'id="gdpr_$1_')
      .replace('name="Categorie → verificare și funcție"', 'name="Cereri GDPR"');
    const both = edit(baseline, decision, `${decision}\n  ${copy}`);
    const d = await diffDmn(baseline, both);
    expect(d.decisions.map((x) => [x.id, x.status])).toEqual([
      ['complaint-routing', 'unchanged'],
      ['gdpr-routing', 'added'],
    ]);
    expect(d.decisions[1]!.name).toBe('Cereri GDPR');
    expect(d.decisions[1]!.rules.added).toHaveLength(9);
    expect(d.decisions[1]!.inputs.added.map((c) => c.id)).toEqual(['gdpr_input_category']);
    const back = await diffDmn(both, baseline);
    expect(back.decisions.map((x) => [x.id, x.status])).toEqual([
      ['complaint-routing', 'unchanged'],
      ['gdpr-routing', 'removed'],
    ]);
    expect(back.decisions[1]!.rules.removed).toHaveLength(9);
  });

  it('throws on a document that is not DMN 1.3', async () => {
    await expect(diffDmn(baseline, '<definitions')).rejects.toThrow();
    await expect(
      diffDmn(baseline, '<definitions xmlns="http://www.omg.org/spec/DMN/20151101/dmn.xsd" />'),
    ).rejects.toThrow();
  });
});
