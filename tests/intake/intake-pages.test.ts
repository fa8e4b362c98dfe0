import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { cases, customers, mailQuarantine } from '../../server/db/schema/index.ts';
import { processInboundMail } from '../../server/intake/mail/process-message.ts';
import { createUser } from '../factories/index.ts';
import {
  axeViolations,
  axeViolationsWithoutScripts,
  browserSuite,
  logIn,
  SHOTS,
} from '../helpers/browser.ts';
import { silentLog } from '../helpers/test-context.ts';
import { completeTask } from '../helpers/tasks.ts';
import { waitFor } from '../helpers/wait.ts';
import { messageId, OUR_SENDER, rfc822 } from './intake-helpers.ts';

/**
 * The intake officer's pages in a real browser: the e-mail quarantine (list, text-only view, register as
 * complaint, mark handled) and the candidate picker of the "identify consumer" task.
 */
describe('intake officer pages in the browser', () => {
  const email = `registratura-${Date.now()}@demo.local`;
  let identifyNumber = '';
  let noJsNumber = '';

  const web = browserSuite({ workers: true });

  beforeAll(async () => {
    await createUser(web.t, { email, name: 'Ioana Registratură', jobRoles: ['REG', 'RRC', 'RSP'] });
    const deps = {
      db: web.t.db,
      engine: web.t.engine,
      secret: 's',
      log: silentLog,
      ownAddresses: [OUR_SENDER],
    };
    const tenant = { id: web.t.demoTenantId, code: 'DEMO', intakeEmail: 'demo@reclamatii.local' };
    for (const [subject, body] of [
      ['Factură greșită', 'Bună ziua, factura din octombrie are un index greșit. <script>alert(1)</script>'],
      ['Test', 'mesaj de test, nu este o reclamație'],
    ] as const)
      await processInboundMail(deps, tenant, {
        raw: Buffer.from(
          rfc822({ To: 'demo@reclamatii.local', Subject: subject, 'Message-ID': messageId() }, body),
        ),
        arrivedAt: new Date(),
      });
    const out = await processInboundMail(deps, tenant, {
      raw: Buffer.from(
        rfc822(
          {
            From: 'Ion Popescu <ion.nou@example.test>',
            Subject: 'Curent întrerupt',
            'Message-ID': messageId(),
          },
          'Nu am curent de ieri seară, vă rog să verificați.',
        ),
      ),
      arrivedAt: new Date(),
    });
    if (out.status !== 'registered') throw new Error('expected a registration');
    identifyNumber = out.number;
    const second = await processInboundMail(deps, tenant, {
      raw: Buffer.from(
        rfc822(
          { From: 'Ion Popescu <ion.altul@example.test>', Subject: 'Gaz oprit', 'Message-ID': messageId() },
          'Nu am gaz de azi-dimineață.',
        ),
      ),
      arrivedAt: new Date(),
    });
    if (second.status !== 'registered') throw new Error('expected a registration');
    noJsNumber = second.number;
  });

  it(
    'lists quarantined mail, shows it as text, registers one and marks the other handled',
    { timeout: 180_000 },
    async () => {
      const page = await web.staffPage(email);
      const violations: Record<string, string[]> = {};
      await page.getByRole('link', { name: 'Carantină' }).click();
      await page.getByRole('heading', { name: 'Carantină e-mail' }).waitFor();
      await expect.poll(() => page.locator('caption').innerText()).toBe('2 mesaje');
      violations['list'] = await axeViolations(page);
      await web.shot(page, 'intake-1-quarantine-list');

      await page.getByRole('row').filter({ hasText: 'Factură greșită' }).getByRole('link').click();
      await page.getByRole('heading', { name: 'Factură greșită' }).waitFor();
      const text = await page.getByLabel('Textul mesajului').innerText();
      expect(text).toContain('<script>alert(1)</script>');
      expect(await page.locator('script:text("alert(1)")').count()).toBe(0);
      violations['detail'] = await axeViolations(page);
      await page.getByLabel('Categorie').selectOption({ label: 'Facturarea' });
      await page.getByLabel('Numele petentului').fill('Ana Petrescu');
      await page.getByLabel('Telefon de contact').fill('0744000111');
      await web.shot(page, 'intake-2-quarantine-detail');
      await page.getByRole('button', { name: 'Înregistrează reclamația' }).click();
      await page.waitForURL(/\/cases\/DEMO-\d{4}-\d{6}/);
      const number = /DEMO-\d{4}-\d{6}/.exec(page.url())![0];
      const [c] = await web.t.db.select().from(cases).where(eq(cases.number, number));
      expect(c).toMatchObject({ channel: 'email', contactName: 'Ana Petrescu' });

      await page.goto(`${web.base}/intake/quarantine`);
      await page.getByRole('row').filter({ hasText: 'Test' }).getByRole('link').click();
      await page.getByLabel('Motivul').fill('Mesaj de test trimis de echipa IT.');
      await page.getByRole('button', { name: 'Marchează ca tratat' }).click();
      await page.waitForURL(/\/intake\/quarantine\?status=open/);
      await page.getByText('Niciun mesaj de tratat în carantină.').waitFor();
      const rows = await web.t.db
        .select()
        .from(mailQuarantine)
        .where(eq(mailQuarantine.tenantId, web.t.demoTenantId));
      expect(rows.map((r) => r.resolution).sort()).toEqual(['handled', 'registered']);
      expect(violations).toEqual({ list: [], detail: [] });
    },
  );

  it(
    'shows the correspondence on the case page: the consumer’s later message with its text and its attachment',
    { timeout: 120_000 },
    async () => {
      const deps = {
        db: web.t.db,
        engine: web.t.engine,
        secret: 's',
        log: silentLog,
        ownAddresses: [OUR_SENDER],
      };
      const tenant = { id: web.t.demoTenantId, code: 'DEMO', intakeEmail: 'demo@reclamatii.local' };
      const firstId = messageId();
      const first = await processInboundMail(deps, tenant, {
        raw: Buffer.from(
          rfc822(
            {
              From: 'Georgeta Stan <georgeta.stan@example.test>',
              Subject: 'Index greșit',
              'Message-ID': firstId,
              'Content-Type': 'text/plain; charset=utf-8',
            },
            'Indexul de pe factură nu corespunde cu cel de pe contor.',
          ),
        ),
        arrivedAt: new Date(),
      });
      if (first.status !== 'registered') throw new Error('expected a registration');
      const png = Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
        'base64',
      );
      const reply = await processInboundMail(deps, tenant, {
        raw: Buffer.from(
          rfc822(
            {
              From: 'Georgeta Stan <georgeta.stan@example.test>',
              Subject: 'Re: Index greșit',
              'Message-ID': messageId(),
              'In-Reply-To': firstId,
              'MIME-Version': '1.0',
              'Content-Type': 'multipart/mixed; boundary="p"',
            },
            [
              '--p',
              'Content-Type: text/plain; charset=utf-8',
              '',
              'Atașez fotografia contorului: indexul real este 12345.',
              '--p',
              'Content-Type: image/png',
              'Content-Disposition: attachment; filename="index-contor.png"',
              'Content-Transfer-Encoding: base64',
              '',
              png.toString('base64'),
              '--p--',
              '',
            ].join('\n'),
          ),
        ),
        arrivedAt: new Date(),
      });
      expect(reply).toMatchObject({ status: 'reply', caseId: first.caseId });

      const page = await web.staffPage(email);
      await page.goto(`${web.base}/cases/${first.number}`);
      const section = page.getByRole('region', { name: 'Corespondență' });
      await section.waitFor();
      const later = section.getByRole('article', { name: /Mesaj ulterior al petentului/ });
      expect(await later.innerText()).toContain('indexul real este 12345');
      expect(await later.innerText()).toContain('georgeta.stan@example.test');
      expect(await section.getByRole('article', { name: /Reclamația primită/ }).innerText()).toContain(
        'nu corespunde cu cel de pe contor',
      );
      const link = later.getByRole('link', { name: 'index-contor.png' });
      const href = await link.getAttribute('href');
      const download = await page.request.get(`${web.base}${href}`);
      expect(download.status()).toBe(200);
      expect(Buffer.compare(await download.body(), png)).toBe(0);
      const violations = await axeViolations(page);
      await web.shot(page, 'intake-7-case-correspondence');
      expect(violations).toEqual([]);
    },
  );

  const taskOf = (number: string, key: string) =>
    waitFor(async () =>
      (
        await web.t.engine.queryTasks(
          { tenantIdIn: [web.t.demoTenantId], processInstanceBusinessKey: number },
          { firstResult: 0, maxResults: 20 },
        )
      ).find((x) => x.taskDefinitionKey === key),
    );

  /** The e-mail check comes first (REG): done through the API, the picker is the point here. */
  async function identifyTaskOf(number: string) {
    await completeTask(
      web.t,
      await web.t.login(email),
      number,
      'Verificarea înregistrării primite pe e-mail',
      {
        comment: 'Mesaj lizibil; petentul trebuie identificat.',
      },
    );
    return taskOf(number, 'identify');
  }

  it(
    'confirms the consumer with the candidate picker of the identify task',
    { timeout: 180_000 },
    async () => {
      const identify = await identifyTaskOf(identifyNumber);

      const page = await web.staffPage(email);
      await page.goto(`${web.base}/inbox/tasks/${identify.id}`);
      await page.getByRole('heading', { name: 'Cine a trimis reclamația?' }).waitFor();
      const options = page.getByRole('radio');
      await expect.poll(() => options.count()).toBeGreaterThanOrEqual(2);
      const violations = await axeViolations(page);
      await web.shot(page, 'intake-3-candidate-picker');
      // With JavaScript the search runs in place (no page load, the address stays).
      await page.getByLabel(/Nume, telefon, cod client/).fill('3000112233');
      await page.getByRole('button', { name: 'Caută' }).click();
      await page.getByRole('group', { name: 'Rezultatele căutării (1)' }).waitFor();
      expect(new URL(page.url()).searchParams.has('q')).toBe(false);
      // Namesakes: the officer checks the address and picks the Mihai Viteazu one (1000818999).
      await page
        .getByRole('radio', { name: /1000818999/ })
        .first()
        .check();
      await page.getByRole('button', { name: 'Confirm clientul ales' }).click();
      await page.getByRole('status').filter({ hasText: 'Client confirmat: 1000818999' }).waitFor();
      await web.shot(page, 'intake-4-candidate-confirmed');
      const [c] = await web.t.db.select().from(cases).where(eq(cases.number, identifyNumber));
      expect(c!.customerId).not.toBeNull();
      await taskOf(identifyNumber, 'triage');
      expect(violations).toEqual([]);
    },
  );

  it(
    'without JavaScript: the picker is a plain form (scores, reasons, a GET search, errors in the page)',
    { timeout: 180_000 },
    async () => {
      const identify = await identifyTaskOf(noJsNumber);
      const context = await web.browser.newContext({
        locale: 'ro-RO',
        viewport: { width: 390, height: 844 },
        javaScriptEnabled: false,
      });
      context.setDefaultTimeout(30_000);
      const page = await context.newPage();
      await logIn(page, web.base, email);
      await page.goto(`${web.base}/inbox/tasks/${identify.id}`);
      await page.getByRole('heading', { name: 'Cine a trimis reclamația?' }).waitFor();
      // The intake's candidates, each with its score and why it matched, rendered by the server.
      const proposals = page.getByRole('group', { name: /Propuneri din mesaj/ });
      expect(await proposals.getByRole('radio').count()).toBeGreaterThanOrEqual(2);
      expect(await proposals.getByRole('radio', { name: /1000818999 \d+% potrivire/ }).count()).toBe(1);
      expect(await proposals.innerText()).toContain('Potrivire după: nume');
      const violations = await axeViolationsWithoutScripts(page, '#identificare');
      await page
        .locator('#identificare')
        .screenshot({ path: `${SHOTS}/intake-5-candidate-picker-nojs-phone.png` });

      // Nothing chosen: the server says so, in Romanian, in the picker.
      await page.getByRole('button', { name: 'Confirm clientul ales' }).click();
      await page.getByRole('alert').filter({ hasText: 'Alegeți clientul (și locul de consum)' }).waitFor();
      await page
        .locator('#identificare')
        .screenshot({ path: `${SHOTS}/intake-5b-candidate-error-nojs-phone.png` });

      // None of these: the search is a GET form (one letter is too little, then a customer code).
      await page.getByLabel(/Nume, telefon, cod client/).fill('3');
      await page.getByRole('button', { name: 'Caută' }).click();
      await page.getByRole('alert').filter({ hasText: 'Scrieți cel puțin 2 caractere.' }).waitFor();
      await page.getByLabel(/Nume, telefon, cod client/).fill('3000112233');
      await page.getByLabel(/Nume, telefon, cod client/).press('Enter');
      await page.waitForURL((u) => u.searchParams.get('q') === '3000112233');
      const results = page.getByRole('group', { name: 'Rezultatele căutării (1)' });
      await results.waitFor();
      // The keyboard alone: the result's radio takes focus and Space chooses it.
      await results.getByRole('radio', { name: /Elena Vasilescu 3000112233/ }).focus();
      await page.keyboard.press('Space');
      expect(await results.getByRole('radio', { name: /3000112233/ }).isChecked()).toBe(true);
      await page
        .locator('#identificare')
        .screenshot({ path: `${SHOTS}/intake-6-candidate-search-nojs-phone.png` });
      await page.getByRole('button', { name: 'Confirm clientul ales' }).click();

      await page.waitForURL(
        (u) => u.pathname === '/inbox' && u.searchParams.get('identified') === '3000112233',
      );
      await page
        .getByRole('status')
        .filter({ hasText: 'Client confirmat: 3000112233, loc de consum DEG0789123.' })
        .waitFor();
      const [c] = await web.t.db.select().from(cases).where(eq(cases.number, noJsNumber));
      const [elena] = await web.t.db
        .select()
        .from(customers)
        .where(and(eq(customers.tenantId, web.t.demoTenantId), eq(customers.customerCode, '3000112233')));
      expect(c!.customerId).toBe(elena!.id);
      await taskOf(noJsNumber, 'triage');
      await context.close();
      expect(violations).toEqual([]);
    },
  );
});
