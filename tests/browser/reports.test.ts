import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTenant, createUser, type FactoryTenant } from '../factories/index.ts';
import { axeViolations, browserSuite } from '../helpers/browser.ts';
import { insertCase } from '../reports/hand-made.ts';

/**
 * The regulator report's page (issue 16 item 1) in a real browser: an admin picks the first quarter of 2026 by
 * its shortcut, reads the figures per split, downloads the XLSX, publishes the quarter and turns the public page
 * on; anyone then reads the published quarter at /raport/<CODE>. A supervisor reads the report but may not
 * publish. Each page passes axe.
 */
describe('regulator report pages', () => {
  const web = browserSuite({ taskEvents: false });
  let tenant: FactoryTenant;
  let adminEmail: string;
  let supervisorEmail: string;

  beforeAll(async () => {
    tenant = await createTenant(web.t);
    const [admin, supervisor] = await Promise.all([
      createUser(web.t, { tenantId: tenant.id, roles: ['admin'], jobRoles: [] }),
      createUser(web.t, { tenantId: tenant.id, roles: ['supervisor'], jobRoles: ['SEF'] }),
    ]);
    adminEmail = admin.email;
    supervisorEmail = supervisor.email;
    // Two billing complaints answered in time (6 and 15 working days), one a working day late (15 working days;
    // 100 lei owed and paid), one gas complaint still open.
    const billing = { category: 'facturare', unit: 'working', channel: 'email' } as const;
    await insertCase(web.t, tenant, {
      ...billing,
      registeredOn: '2026-01-12',
      dueDate: '2026-02-02',
      communicatedAt: '2026-01-20T08:00:00Z',
    });
    await insertCase(web.t, tenant, {
      ...billing,
      registeredOn: '2026-01-13',
      dueDate: '2026-02-03',
      communicatedAt: '2026-02-03T10:00:00Z',
    });
    await insertCase(web.t, tenant, {
      ...billing,
      registeredOn: '2026-02-02',
      dueDate: '2026-02-20',
      communicatedAt: '2026-02-23T09:00:00Z',
      delayDays: 1,
      compensationLei: 100,
      paidOn: '2026-03-10',
      paidLei: 100,
    });
    await insertCase(web.t, tenant, {
      category: 'facturare',
      unit: 'working',
      channel: 'portal',
      customerType: 'non_household',
      energy: 'gas',
      registeredOn: '2026-03-20',
      dueDate: '2026-04-10',
    });
  });

  it('shows, downloads and publishes a quarter; the public page shows it', { timeout: 180_000 }, async () => {
    const page = await web.staffPage(adminEmail);
    await page.goto(`${web.base}/admin/reports?from=2025-10-01&to=2025-12-31`);
    await page.getByRole('link', { name: 'Trimestrul I 2026' }).click();
    await page.waitForURL(/from=2026-01-01&to=2026-03-31/);
    // The shortcut of the quarter shown is marked as the current one.
    await page.locator('a[aria-current="page"]', { hasText: 'Trimestrul I 2026' }).waitFor();

    const total = page.getByRole('table', { name: 'Total' });
    const cells = async (table: string, row: string) =>
      page
        .getByRole('table', { name: table })
        .getByRole('row')
        .filter({ has: page.getByRole('rowheader', { name: row, exact: true }) })
        .getByRole('cell')
        .allTextContents();
    await total.waitFor();
    // Received, solved, in time, late, pending, average, maximum, unit, owed, owed lei, paid, paid lei.
    expect(await cells('Total', 'Toate reclamațiile')).toEqual([
      '4',
      '3',
      '2',
      '1',
      '1',
      '12',
      '15',
      'zile lucrătoare',
      '1',
      '100',
      '1',
      '100',
    ]);
    expect((await cells('Pe tip de energie', 'Gaze naturale')).slice(0, 5)).toEqual([
      '1',
      '0',
      '0',
      '0',
      '1',
    ]);
    expect(await axeViolations(page)).toEqual([]);
    await web.shot(page, 'admin-reports');

    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Excel (XLSX)' }).click();
    const file = await (await download).path();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
    const categories = wb.getWorksheet('Pe categorii')!;
    let billingRow: unknown[] = [];
    categories.eachRow((row) => {
      const v = (row.values as unknown[]).slice(1);
      if (v[0] === 'Facturarea') billingRow = v;
    });
    expect(billingRow.slice(0, 6)).toEqual(['Facturarea', 4, 3, 2, 1, 1]);

    await page.getByRole('button', { name: 'Publică Trimestrul I 2026' }).click();
    await page.getByText('Trimestrul I 2026 a fost publicat.').waitFor();
    await page.getByRole('checkbox', { name: 'Arată ultimul trimestru publicat pe pagina publică' }).check();
    await page.getByRole('button', { name: 'Salvează' }).click();
    await page.getByText('Pagina publică este activată.').waitFor();
    await page.context().close();

    const visitor = await web.anonymousPage({ viewport: { width: 390, height: 844 } });
    const res = await visitor.goto(`${web.base}/raport/${tenant.code}`);
    expect(res?.status()).toBe(200);
    await visitor
      .getByRole('heading', { level: 1, name: 'Raport privind reclamațiile clienților finali' })
      .waitFor();
    await visitor.getByText(`${tenant.name}, Trimestrul I 2026`).waitFor();
    const publicTotal = await visitor
      .getByRole('table', { name: 'Total' })
      .getByRole('cell')
      .allTextContents();
    expect(publicTotal.slice(0, 5)).toEqual(['4', '3', '2', '1', '1']);
    expect(await axeViolations(visitor)).toEqual([]);
    await web.shot(visitor, 'public-report');
    await visitor.context().close();
  });

  it('lets a supervisor read the report but not publish', { timeout: 120_000 }, async () => {
    const page = await web.staffPage(supervisorEmail);
    const res = await page.goto(`${web.base}/admin/reports?from=2026-01-01&to=2026-03-31`);
    expect(res?.status()).toBe(200);
    await page.getByRole('table', { name: 'Pe categorii' }).waitFor();
    expect(await page.getByRole('button', { name: /^Publică/ }).count()).toBe(0);
    expect(await page.getByRole('checkbox', { name: /pagina publică/ }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  });
});
