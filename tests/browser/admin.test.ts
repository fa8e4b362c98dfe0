import { randomBytes } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { axeViolations, browserSuite } from '../helpers/browser.ts';

/** The machine is shared: page loads in this long journey can take a while under load. */
const SLOW = { timeout: 90_000 };

/**
 * The tenant administrator's journey in a real browser: settings (with the counting reading), a deadline rule, an
 * extra non-working day and who holds a job role; each change is checked through the API it went to.
 */
describe('the admin pages in the browser', () => {
  const web = browserSuite({ taskEvents: false });

  it(
    'changes settings, a deadline rule, a non-working day and a role holder',
    { timeout: 400_000 },
    async () => {
      const violations: Record<string, string[]> = {};
      const headers = await web.t.login('admin@demo.local');
      const api = async <T>(url: string) =>
        (await web.t.app.inject({ method: 'GET', url, headers })).json<T>();

      const page = await web.staffPage('admin@demo.local', SLOW);
      expect(new URL(page.url()).pathname).toBe('/admin');
      await page.getByRole('heading', { name: 'Setările furnizorului' }).waitFor();
      violations.settings = await axeViolations(page);

      // Bad input is refused with a Romanian message, nothing is saved.
      await page.getByLabel('E-mailul operatorului de distribuție').fill('nu-este-adresa');
      await page
        .getByLabel('E-mailul operatorului de distribuție')
        .evaluate((e) => e.setAttribute('type', 'text'));
      await page.getByRole('button', { name: 'Salvează setările' }).click();
      await page.getByRole('alert').filter({ hasText: 'nu este validă' }).waitFor();
      expect((await api<{ operatorEmail: string }>('/api/tenant-settings')).operatorEmail).toBe(
        'od-demo@distributie.local',
      );

      await page.getByLabel('E-mailul operatorului de distribuție').fill('date@distributie-nord.ro');
      await page.getByLabel('Avertizarea titularului: cu câte zile lucrătoare înainte de termen').fill('3');
      await page.getByLabel('Zile libere').check();
      await page
        .getByLabel('Antet (rândurile de sub numele furnizorului)')
        .fill('Str. Energiei 1, București\nCUI RO123456');
      await page.getByRole('button', { name: 'Salvează setările' }).click();
      await page.getByRole('status').filter({ hasText: 'Setările au fost salvate' }).waitFor();
      await web.shot(page, 'admin-1-settings');
      expect(await api('/api/tenant-settings')).toMatchObject({
        operatorEmail: 'date@distributie-nord.ro',
        warnWorkingDaysBefore: 3,
        countingReading: 'free_days',
        letterhead: 'Str. Energiei 1, București\nCUI RO123456',
      });
      // The deadline preview says which reading applies.
      const preview = await api<{ reading: { code: string; label: string } }>(
        '/api/deadlines/preview?category=facturare&receivedAt=2026-11-25T10:00:00%2B02:00',
      );
      expect(preview.reading.code).toBe('free_days');
      expect(preview).toMatchObject({ dueDate: '2026-12-21' });

      // Deadline rule.
      await page.getByRole('link', { name: 'Termene legale' }).click();
      await page.getByRole('heading', { name: 'Termene legale', level: 1 }).waitFor();
      expect(await page.getByText('Calculul termenelor: Zile libere').count()).toBe(1);
      const form = page.getByRole('form', { name: 'Facturarea' });
      await form.getByLabel('Zile', { exact: true }).fill('20');
      await form.getByRole('button', { name: /Salvează/ }).click();
      await page
        .getByRole('status')
        .filter({ hasText: 'Termenul pentru „Facturarea” a fost salvat.' })
        .waitFor();
      violations.rules = await axeViolations(page);
      await web.shot(page, 'admin-2-deadline-rules');
      const rules = await api<{ items: Array<{ category: string; days: number }> }>('/api/deadline-rules');
      expect(rules.items.find((r) => r.category === 'facturare')!.days).toBe(20);

      // Extra non-working day: a Sunday is refused, a working day is added, then removed.
      await page.getByRole('link', { name: 'Zile nelucrătoare' }).click();
      await page.goto(`${web.base}/admin/non-working-days?year=2026`);
      await page.getByLabel('Ziua').fill('2026-12-27');
      await page.getByLabel('Motivul').fill('Zi liberă de firmă');
      await page.getByRole('button', { name: 'Adaugă' }).click();
      await page
        .getByRole('alert')
        .filter({ hasText: '2026-12-27 este deja zi nelucrătoare (sfârșit de săptămână).' })
        .waitFor();
      await page.getByLabel('Ziua').fill('2026-12-24');
      await page.getByLabel('Motivul').fill('Ajunul Crăciunului');
      await page.getByRole('button', { name: 'Adaugă' }).click();
      await page.getByRole('status').filter({ hasText: 'Ziua 24.12.2026 este nelucrătoare.' }).waitFor();
      await page.getByRole('row').filter({ hasText: 'Ajunul Crăciunului' }).waitFor();
      violations.days = await axeViolations(page);
      await web.shot(page, 'admin-3-non-working-days');
      expect((await api<{ items: Array<{ day: string }> }>('/api/non-working-days?year=2026')).items).toEqual(
        [{ day: '2026-12-24', reason: 'Ajunul Crăciunului' }],
      );
      await page.getByRole('button', { name: 'Șterge ziua 24.12.2026' }).click();
      await page.getByRole('status').filter({ hasText: 'a fost ștearsă' }).waitFor();
      expect((await api<{ items: unknown[] }>('/api/non-working-days?year=2026')).items).toEqual([]);

      // Org chart: the supervisor also becomes a billing specialist (SF).
      await page.getByRole('link', { name: 'Organigramă' }).click();
      await page.getByRole('heading', { name: 'Organigramă', level: 1 }).waitFor();
      const sf = page.getByRole('group', { name: 'SF Specialist facturare' });
      await sf.getByLabel(/Sorin Supervizor/).check();
      await page.getByRole('button', { name: 'Salvează titularii SF' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: 'Titularii funcției SF au fost salvați (2 persoane).' })
        .waitFor();
      violations.orgChart = await axeViolations(page);
      await web.shot(page, 'admin-4-org-chart');
      const chart = await api<{ staff: Array<{ email: string; jobRoles: string[] }> }>('/api/org-chart');
      expect(chart.staff.find((s) => s.email === 'supervisor@demo.local')!.jobRoles).toEqual(
        expect.arrayContaining(['SEF', 'SF']),
      );

      // On a phone.
      const phone = await web.staffPage('admin@demo.local', {
        ...SLOW,
        viewport: { width: 390, height: 844 },
      });
      await phone.goto(`${web.base}/admin/deadline-rules`);
      violations.phone = await axeViolations(phone);
      await web.shot(phone, 'admin-5-phone');

      // Other roles have no admin pages.
      const officer = await web.staffPage('officer@demo.local', SLOW);
      expect((await officer.goto(`${web.base}/admin`))?.status()).toBe(403);

      expect(violations).toEqual({ settings: [], rules: [], days: [], orgChart: [], phone: [] });
    },
  );

  it(
    "points the e-mail intake at the supplier's own mailbox, checking the connection first",
    { timeout: 180_000 },
    async () => {
      const violations: Record<string, string[]> = {};
      const box = `reclamatii-${randomBytes(4).toString('hex')}@furnizor.local`;
      const page = await web.staffPage('admin@demo.local', SLOW);
      await page.goto(`${web.base}/admin/mailbox`);
      await page.getByRole('heading', { name: 'Căsuța de e-mail pentru reclamații', level: 1 }).waitFor();
      await page.getByText('Nicio căsuță proprie').waitFor();

      // Another port of this machine than the allowed mail server: the outbound fence refuses it before connecting,
      // in Romanian, and keeps what was typed.
      await page.getByLabel('Serverul IMAP').fill(inject('imapHost'));
      await page.getByLabel('Portul', { exact: true }).fill('1');
      await page.getByLabel(/Conexiune securizată/).uncheck();
      await page.getByLabel('Utilizatorul').fill(box);
      await page.getByLabel('Parola', { exact: true }).fill('parola-cutiei-de-test');
      await page.getByRole('button', { name: 'Verifică conexiunea' }).click();
      await page
        .getByRole('alert')
        .filter({ hasText: /^Conexiunea la \S+:1 nu este permisă/ })
        .waitFor();
      expect(await page.getByLabel('Utilizatorul').inputValue()).toBe(box);
      violations.error = await axeViolations(page);

      // The real server: the check finds the empty mailbox and the folders the intake will create.
      await page.getByLabel('Portul', { exact: true }).fill(String(inject('imapPort')));
      await page.getByLabel('Parola', { exact: true }).fill('parola-cutiei-de-test');
      await page.getByRole('button', { name: 'Verifică conexiunea' }).click();
      await page.getByRole('status').filter({ hasText: 'Conexiunea reușește: 0 mesaje așteaptă' }).waitFor();
      await page.getByText('„Processed” și „Quarantine” vor fi create').waitFor();
      await web.shot(page, 'admin-6-mailbox-checked');

      await page.getByLabel('Parola', { exact: true }).fill('parola-cutiei-de-test');
      await page.getByRole('button', { name: 'Salvează' }).click();
      await page.getByRole('status').filter({ hasText: 'Setările au fost salvate.' }).waitFor();
      await page.getByText(`Preluarea este pornită · ${box} pe`).waitFor();
      expect(await page.getByLabel('Parola', { exact: true }).inputValue()).toBe('');
      violations.saved = await axeViolations(page);
      await web.shot(page, 'admin-7-mailbox-saved');

      const saved = await web.t.app.inject({
        method: 'GET',
        url: '/api/mailbox',
        headers: await web.t.login('admin@demo.local'),
      });
      expect(saved.json()).toMatchObject({
        configured: true,
        username: box,
        secure: false,
        passwordSet: true,
      });
      expect(violations).toEqual({ error: [], saved: [] });
    },
  );
});
