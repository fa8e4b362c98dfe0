import { readFile } from 'node:fs/promises';
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEPLOYMENT_SOURCES } from '../../server/engine/deploy-processes.ts';
import { createCase, createTenant, createUser } from '../factories/index.ts';
import { axeViolations, logIn, browserSuite } from '../helpers/browser.ts';
import { waitFor } from '../helpers/wait.ts';
import { deployAsDesigner } from '../helpers/designer.ts';

/**
 * The process designer's journey in a real browser: the list of processes, the BPMN editor with the Camunda 7
 * properties panel, a renamed task deployed as version 2, the waiting instances on the diagram, the differences
 * between the two versions; a routing table changed and compared rule by rule.
 */
describe('the process designer in the browser', () => {
  const web = browserSuite();

  it(
    'opens a process, renames a task in the properties panel, deploys version 2 and compares',
    { timeout: 180_000 },
    async () => {
      // One running case, so the diagram shows where it waits.
      const agent = await web.t.login('agent@demo.local');
      // A case from someone not on file, waiting in the process, for the diagram's counts.
      await createCase(web.t, {
        as: agent,
        customer: null,
        subject: 'Factură contestată',
        body: 'Factura din noiembrie conține un preț diferit de cel din ofertă.',
        contactName: 'Ion Popescu',
        contactPhone: '0722 000 111',
      });

      const violations: Record<string, string[]> = {};
      const context = await web.browser.newContext({
        locale: 'ro-RO',
        viewport: { width: 1400, height: 950 },
      });
      const page = await context.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(`${page.url()} ${e.stack ?? e.message}`));
      await logIn(page, web.base, 'designer@demo.local');
      await page.waitForURL((u) => u.pathname === '/designer');

      // The list: every file with its versions and running instances.
      await page.getByRole('heading', { name: 'Procese', level: 1 }).waitFor();
      await page.getByRole('heading', { name: 'Soluționarea reclamației' }).waitFor();
      violations['list'] = await axeViolations(page);
      await web.shot(page, 'designer-1-list');

      await page.getByRole('link', { name: 'Editează v1 Soluționarea reclamației' }).click();
      await page.waitForURL(/\/designer\/complaint%3A1%3A|\/designer\/complaint:1:/);
      await page.locator('[data-element-id="triage"]').waitFor();
      await page
        .getByText('Nicio problemă: versiunea poate fi publicată.')
        .or(page.getByText(/avertisment/))
        .first()
        .waitFor();
      // The running case waits somewhere: a badge on that activity.
      await expect.poll(() => page.locator('.designer-badge.waiting').count()).toBeGreaterThan(0);
      // The same, for keyboard and screen-reader users: a list with a button that shows the activity.
      await page.getByText('Unde așteaptă instanțele acestei versiuni').click();
      await page
        .getByText(/: 1 instanță$/)
        .first()
        .waitFor();
      violations['editor'] = await axeViolations(page);
      await web.shot(page, 'designer-2-editor');

      // Select the classification task and rename it in the properties panel.
      await page.locator('[data-element-id="triage"]').click();
      await page.locator('[data-group-id="group-general"] .bio-properties-panel-group-header').click();
      await page.locator('[data-group-id="group-reclamatii"] .bio-properties-panel-group-header').click();
      const name = page.locator('#bio-properties-panel-name');
      await name.waitFor();
      expect(await name.inputValue()).toBe('Clasificarea și admisibilitatea reclamației');
      // Our pickers show the task's instruction and job role.
      await expect
        .poll(() => page.locator('#bio-properties-panel-reclamatii-instruction').inputValue())
        .toBe('IL-06');
      await name.fill('Clasificare și admisibilitate (revizuită)');
      await name.press('Tab');
      // The job-role picker offers the tenant's organisation chart; the choice lands in camunda:candidateGroups.
      const role = page.locator('#bio-properties-panel-reclamatii-job-role');
      expect(await role.inputValue()).toBe('RSP');
      await role.selectOption('SEF');
      await page.getByText('Modificări nepublicate').waitFor();
      await web.shot(page, 'designer-3-renamed');

      await page.getByRole('button', { name: 'Publică versiunea nouă' }).click();
      await page.waitForURL(/publicat=2/);
      await page.getByText('Versiunea 2 a fost publicată.').waitFor();
      await page.getByRole('heading', { name: /Soluționarea reclamației\s+v2/ }).waitFor();
      await page.locator('[data-element-id="triage"]').waitFor();
      violations['deployed'] = await axeViolations(page);
      await web.shot(page, 'designer-4-deployed');

      // The engine has version 2 for this tenant only; the running case stays on version 1.
      const defs = await web.t.engine.listProcessDefinitions(web.t.demoTenantId);
      expect(defs.filter((d) => d.key === 'complaint').map((d) => d.version)).toEqual([2, 1]);
      const acme = await web.t.engine.listProcessDefinitions(web.t.acmeTenantId);
      expect(acme.filter((d) => d.key === 'complaint').map((d) => d.version)).toEqual([1]);
      const xml = await web.t.engine.getBpmnXml(
        defs.find((d) => d.key === 'complaint' && d.version === 2)!.id,
      );
      expect(xml).toContain('Clasificare și admisibilitate (revizuită)');
      expect(xml).toMatch(/<bpmn:userTask id="triage"[^>]*camunda:candidateGroups="SEF"/);

      // The differences: the renamed task, listed and marked on the diagram.
      await page.getByRole('link', { name: 'Diferențe față de v1' }).click();
      await page.getByRole('heading', { name: 'Modificate (1)' }).waitFor();
      await page
        .getByText(
          '„Clasificarea și admisibilitatea reclamației” → „Clasificare și admisibilitate (revizuită)”',
        )
        .waitFor();
      await waitFor(async () => (await page.locator('.diff-changed[data-element-id="triage"]').count()) > 0);
      violations['diff'] = await axeViolations(page);
      await web.shot(page, 'designer-5-diff');

      // Back on the list: version 2 from the designer, a reset to the baseline available.
      await page.goto(`${web.base}/designer`);
      await page.getByText('Versiune proprie').first().waitFor();
      await page.getByText('Revino la versiunea de bază pentru complaint.bpmn', { exact: true }).click();
      await page.getByText('pe versiunea de bază a fișierului complaint.bpmn; cele în curs').waitFor();
      await page
        .getByRole('button', { name: 'Da, revino la versiunea de bază pentru complaint.bpmn' })
        .click();
      await page.getByText('complaint.bpmn a revenit la versiunea de bază (versiunea 3).').waitFor();
      violations['reset'] = await axeViolations(page);
      await web.shot(page, 'designer-6-reset');

      expect(pageErrors).toEqual([]);
      expect(violations).toEqual({ list: [], editor: [], deployed: [], diff: [], reset: [] });
    },
  );

  it('edits the routing table with dmn-js and works on a phone screen', { timeout: 120_000 }, async () => {
    const context = await web.browser.newContext({ locale: 'ro-RO', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(`${page.url()} ${e.stack ?? e.message}`));
    // A designer of a tenant of its own: the routing table is the baseline, whatever DEMO's comparison test
    // deployed (its version 3 goes straight to the engine and leaves a category without a rule).
    const tenant = await createTenant(web.t);
    const designer = await createUser(web.t, { tenantId: tenant.id, roles: ['designer'], jobRoles: [] });
    await logIn(page, web.base, designer.email);
    await page.waitForURL((u) => u.pathname === '/designer');
    const violations: Record<string, string[]> = { list: await axeViolations(page) };
    await web.shot(page, 'designer-7-phone-list');

    await page.getByRole('link', { name: /^Editează v\d+ Categorie → verificare și funcție$/ }).click();
    await page.waitForURL(/\/designer\/complaintRouting|\/designer\/[^/]+$/);
    // The decision table with its rules, one per category.
    await page.locator('.tjs-table').waitFor();
    await expect.poll(() => page.locator('.tjs-table tbody tr').count()).toBeGreaterThanOrEqual(9);
    await page.getByText('Nicio modificare').waitFor();
    await page.getByText('Nicio problemă: versiunea poate fi publicată.').waitFor();
    violations['dmn'] = await axeViolations(page);
    // Route invoices to a process that does not exist: lint names the rule, publishing is off.
    const cell = page.locator('[data-element-id="rule_1_process"]');
    await cell.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('"verify-nothing"');
    await page.locator('.tjs-table thead').click();
    await page.getByText('Procesul de verificare „verify-nothing” nu există.').waitFor();
    expect(await page.getByRole('button', { name: 'Publică versiunea nouă' }).isDisabled()).toBe(true);
    violations['dmn-lint'] = await axeViolations(page);
    await web.shot(page, 'designer-8-phone-dmn');

    expect(pageErrors).toEqual([]);
    expect(violations).toEqual({ list: [], dmn: [], 'dmn-lint': [] });
  });

  it('shows a Romanian error state when the diagram cannot be read', { timeout: 60_000 }, async () => {
    const page = await web.staffPage('designer@demo.local');
    await page.waitForURL((u) => u.pathname === '/designer');
    const href = await page
      .getByRole('link', { name: 'Editează v1 Verificarea reclamației privind facturarea' })
      .getAttribute('href');
    // The page arrives with the XML in its data; break the XML on the way so bpmn-js cannot import it.
    await page.route(`${web.base}${href}`, async (route) => {
      const res = await route.fetch();
      const body = (await res.text()).replaceAll('bpmn:definitions', 'bpmn:broken');
      await route.fulfill({ response: res, body });
    });
    await page.goto(`${web.base}${href}`);
    const alert = page.getByRole('alert').filter({ hasText: 'Diagrama nu a putut fi deschisă' });
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(
      /^Diagrama nu a putut fi deschisă: fișierul nu este un BPMN valid/,
    );
    await expect
      .poll(() => page.getByRole('button', { name: 'Publică versiunea nouă' }).isDisabled())
      .toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await web.shot(page, 'designer-9-import-error');
  });

  it(
    'compares two versions of the routing table: the changed rule and cell, in words',
    { timeout: 120_000 },
    async () => {
      // Version 2 of the routing table: invoices' role, an annotation and the hit policy changed.
      const designer = await web.t.login('designer@demo.local');
      const baseline = await readFile('processes/complaint-routing.dmn', 'utf8');
      const xml = baseline
        .replace(
          '<outputEntry id="rule_1_role"><text>"SF"</text>',
          '<outputEntry id="rule_1_role"><text>"SEF"</text>',
        )
        .replace(
          '<description>Inclusiv răspunsuri contestate</description>',
          '<description>Inclusiv răspunsuri contestate și redeschise</description>',
        )
        .replace('hitPolicy="UNIQUE"', 'hitPolicy="FIRST"');
      const r = await deployAsDesigner(web.t, designer, xml, 'complaint-routing.dmn');
      expect(r.statusCode, r.body).toBe(201);

      const violations: Record<string, string[]> = {};
      const page = await web.staffPage('designer@demo.local', {
        viewport: { width: 1280, height: 900 },
      });
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(`${page.url()} ${e.stack ?? e.message}`));
      await page.waitForURL((u) => u.pathname === '/designer');
      await page
        .getByRole('link', { name: 'Diferențe față de v1 (Categorie → verificare și funcție)' })
        .click();
      await page
        .getByRole('heading', { name: 'Categorie → verificare și funcție: v1 → v2', level: 1 })
        .waitFor();
      await page.getByText('2 reguli modificate, politica de potrivire schimbată.').waitFor();
      await page
        .getByRole('heading', { name: /Categorie → verificare și funcție\s+Decizie modificată/ })
        .waitFor();

      // What a reader gets, visible or not ("devine" is for screen readers; the eye sees the arrow).
      const said = async (l: Locator) => (await l.innerText()).replace(/\s+/g, ' ').trim();
      // The hit policy, named in words.
      expect(await said(page.getByRole('listitem').filter({ hasText: 'Politica de potrivire' }))).toBe(
        'Politica de potrivire (hit policy): UNIQUE (o singură regulă se potrivește) → devine FIRST (prima regulă potrivită, în ordine)',
      );
      // Rule 1: the cell that changed, old → new, and the change said in text (not only by colour).
      const row = (n: number) =>
        page
          .getByRole('row')
          .filter({ has: page.getByRole('rowheader', { name: new RegExp(`^Regula ${n}\\b`) }) });
      expect(await said(row(1).getByRole('cell').nth(0))).toBe('Modificată');
      expect(await said(row(1).getByRole('cell').nth(1))).toBe('Funcția care verifică: "SF" → devine "SEF"');
      expect(await said(row(9).getByRole('cell').nth(1))).toBe(
        'Adnotarea: „Inclusiv răspunsuri contestate” → devine „Inclusiv răspunsuri contestate și redeschise”',
      );
      // Only the two rules that changed are listed.
      expect(
        await page
          .locator('tbody tr[data-rule-id]')
          .evaluateAll((rows) => rows.map((x) => x.getAttribute('data-rule-id'))),
      ).toEqual(['rule_1', 'rule_9']);
      violations['desktop'] = await axeViolations(page);
      await web.shot(page, 'designer-10-dmn-diff');

      // On a phone the table becomes one card per rule; each value keeps its label.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByText('Funcția care verifică:').first().waitFor();
      violations['phone'] = await axeViolations(page);
      await web.shot(page, 'designer-11-dmn-diff-phone');

      // The version page offers the same comparison.
      await page.getByRole('link', { name: /Categorie → verificare și funcție v2/ }).click();
      await page.getByRole('link', { name: 'Diferențe față de v1' }).waitFor();

      // Version 3 adds an input column and a rule and drops one. The designer's lint would refuse a table that
      // leaves a category without a rule, so it goes straight to the engine: what is compared is the same.
      let v3 = xml
        .replace(
          '</input>',
          `</input>
      <input id="input_channel" label="Canalul de depunere">
        <inputExpression id="input_channel_expr" typeRef="string"><text>channel</text></inputExpression>
      </input>`,
        )
        .replace(/<rule id="rule_3">[\s\S]*?<\/rule>\s*/, '')
        .replace(
          '</decisionTable>',
          `<rule id="rule_12">
        <description>Facturi reclamate la telefon</description>
        <inputEntry id="rule_12_category"><text>"facturare"</text></inputEntry>
        <inputEntry id="rule_12_channel"><text>"telefon"</text></inputEntry>
        <outputEntry id="rule_12_process"><text>"verify-billing"</text></outputEntry>
        <outputEntry id="rule_12_role"><text>"SF"</text></outputEntry>
      </rule>
    </decisionTable>`,
        );
      for (const n of [1, 2, 4, 5, 6, 7, 8, 9])
        v3 = v3.replace(
          new RegExp(`(<inputEntry id="rule_${n}_category">.*?</inputEntry>)`),
          `$1<inputEntry id="rule_${n}_channel"><text>${n === 1 ? '"online"' : '-'}</text></inputEntry>`,
        );
      await web.t.engine.deploy({
        tenantId: web.t.demoTenantId,
        name: 'designer:complaint-routing.dmn',
        source: DEPLOYMENT_SOURCES.designer,
        files: [{ name: 'complaint-routing.dmn', content: v3 }],
        duplicateFiltering: false,
      });
      const tables = (await web.t.engine.listDecisionDefinitions(web.t.demoTenantId)).filter(
        (d) => d.key === 'complaint-routing' && d.tenantId === web.t.demoTenantId,
      );
      const id = (v: number) => tables.find((d) => d.version === v)!.id;
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(
        `${web.base}/designer/${encodeURIComponent(id(3))}/diff?from=${encodeURIComponent(id(2))}`,
      );
      await page
        .getByText('1 regulă modificată, 1 regulă adăugată, 1 regulă eliminată, 1 coloană schimbată.')
        .waitFor();
      const column = page
        .getByRole('row')
        .filter({ has: page.getByRole('rowheader', { name: /^Canalul de depunere/ }) });
      expect(await said(column)).toBe(
        'Canalul de depunere Intrare · input_channel Adăugată Expresia de intrare: channel Tipul datelor: string',
      );
      expect(
        await page
          .locator('tbody tr[data-rule-id]')
          .evaluateAll((rows) => rows.map((x) => x.getAttribute('data-rule-id'))),
      ).toEqual(['rule_1', 'rule_3', 'rule_12']);
      expect(await said(row(1).getByRole('cell').nth(1))).toBe(
        'Canalul de depunere: — (coloană nouă) → devine "online"',
      );
      expect(await said(row(3))).toBe(
        'Regula 3 în v2 · rule_3 Eliminată Categoria (Ord. ANRE 16/2015 art. 2): "continuitate_alimentare" ' +
          'Subproces de verificare: "verify-supply" Funcția care verifică: "SM" ' +
          'Adnotarea: „Întreruperi, receptoare, deconectare”',
      );
      expect(await said(row(9))).toBe(
        'Regula 9 rule_12 Adăugată Categoria (Ord. ANRE 16/2015 art. 2): "facturare" ' +
          'Canalul de depunere: "telefon" Subproces de verificare: "verify-billing" ' +
          'Funcția care verifică: "SF" Adnotarea: „Facturi reclamate la telefon”',
      );
      violations['rules'] = await axeViolations(page);
      await web.shot(page, 'designer-12-dmn-diff-rules');

      expect(pageErrors).toEqual([]);
      expect(violations).toEqual({ desktop: [], phone: [], rules: [] });
    },
  );
});
