import type { Db } from '../db/client.ts';
import type { Case, ComplaintCategory } from '../db/schema/index.ts';
import type { DataSubjectRight } from '../codes/privacy-codes.ts';
import type { TaskSubmission } from '../tasks/index.ts';
import { operatorRequestSentAt, postalLettersOfCase } from './seed.repo.ts';

/**
 * The demo's scenarios (server/seed/demo-cases.ts seeds them): for each, the complaint as it arrives (e-mail, call,
 * portal) and the work that brings its case to its stage, step by step, by the demo login who would do it.
 * Texts are Romanian, as the consumers and the staff write them.
 *
 * One file although past 300 lines: it is data, one entry per demo case; the seeding run (demo-cases.ts) reads
 * the list, and one list is where a reader checks that every stage of the process is covered.
 */

/** The cases of the demo, by key, with the stage each is left at. */
export const DEMO_CASE_STAGES = {
  'email-check': 'e-mail: așteaptă verificarea înregistrării (IL-01, REG)',
  'email-triage':
    'e-mail: așteaptă clasificarea (IL-06, RSP); clientul a revenit cu un e-mail atașat la dosar',
  'email-identify': 'e-mail de la un expeditor necunoscut: așteaptă identificarea clientului (IL-05, RRC)',
  'operator-waiting': 'call center: cererea către OD a fost trimisă, se așteaptă răspunsul OD (IL-12)',
  approval: 'call center: răspuns redactat, așteaptă aprobarea șefului de serviciu (IL-31, SEF)',
  postal:
    'call center, client fără e-mail: răspuns trimis prin poștă, așteaptă dovada comunicării (IL-33, REG)',
  'late-compensation':
    'call center, termen depășit: escaladat (IL-07), răspuns trimis, compensație datorată de acordat (IL-29)',
  duplicate: 'call center: clasată ca duplicat (IL-08)',
  'resolved-on-call': 'call center: soluționată în timpul apelului, închisă',
  'portal-closed': 'portal (loc de consum energie electrică): răspuns trimis prin e-mail, dosar închis',
  'portal-contest': 'portal: contestația răspunsului (dosar legat), așteaptă analiza IL-34 (SEF)',
  'portal-gas':
    'portal (loc de consum gaze): așteaptă verificarea conversiei m³→kWh (IL-28, SF); clientul a adăugat informații',
  // The three below give the metering, contracts and legal logins work of their own from the first minute.
  'meter-check': 'call center, contor: admisă la clasificare, așteaptă verificarea contorului (SM)',
  'contract-check': 'call center, contract: admisă la clasificare, așteaptă analiza contractului (SC)',
  'authority-referral':
    'sesizare ANPC înregistrată de call center: admisă, așteaptă punctul de vedere către autoritate (IL-35, CJ)',
  'gdpr-request': 'cerere GDPR de acces la date (call center): așteaptă soluționarea de către DPO (IL-36)',
} as const;
export type DemoCaseKey = keyof typeof DEMO_CASE_STAGES;

/** The portal account of the demo: one person, two customer accounts, an electricity and a gas place. */
export const DEMO_PORTAL_EMAIL = 'mihai.constantinescu@gmail.test';
export const PORTAL_CUSTOMERS = ['1000111222', '2000333444'];

/** What a scenario's steps use of the seeding run (server/seed/demo-cases.ts). */
export interface ScenarioRun {
  readonly db: Db;
  readonly tenantId: string;
  /** The number of another scenario's case (registered by this run or found from an earlier one). */
  numberOf(key: DemoCaseKey): string | undefined;
  /** Polls until `fn` returns a value: the condition a stage is waited for. */
  until<T>(what: string, fn: () => Promise<T | null | undefined | false>): Promise<T>;
  caseRow(number: string): Promise<Case | null>;
  waitForTask(number: string, taskKey: string): Promise<unknown>;
  waitForActivity(number: string, activityId: string): Promise<void>;
  /**
   * A holder of the task's job role (the preferred login first) claims and completes it; skipped when an earlier,
   * interrupted run completed it already.
   */
  work(number: string, step: Step): Promise<void>;
  /** The registry records a letter's dispatch (and proof of delivery) in the postal register. */
  recordDispatch(
    id: number,
    set: { dispatchedAt: Date; postalReference: string; deliveredAt?: Date; proofOfDelivery?: string },
  ): Promise<void>;
  /** The consumer answers our acknowledgement by e-mail, with more information (once). */
  consumerReply(number: string, fromName: string, from: string, text: string): Promise<void>;
  /** The demo's portal account adds information to its open case (once). */
  /** The consumer adds information from the portal, with a PDF of the given lines when `file` is set. */
  consumerAddsInformation(
    number: string,
    text: string,
    file?: { fileName: string; lines: string[] },
  ): Promise<void>;
}

export interface Step {
  task: string;
  /** The demo login preferred for it; else any holder of the task's job role (a tenant without the demo logins). */
  by: string;
  submit: TaskSubmission;
}

export const REGISTRY = 'registry@demo.local';
const OFFICER = 'officer@demo.local';
export const OFFICER2 = 'officer2@demo.local';
const FINANCE = 'finance@demo.local';
const METERING = 'metering@demo.local';
const CONTRACTS = 'contracts@demo.local';
const SUPERVISOR = 'supervisor@demo.local';
export const AGENT = 'agent@demo.local';

export const DAY_MS = 24 * 3600 * 1000;

export interface EmailComplaint {
  kind: 'email';
  fromName: string;
  from: string;
  text: string;
  /** Files the consumer attached (kept with the message, shown on the case). */
  attachments?: Array<{ filename: string; contentType: string; content: string }>;
}
export interface CallComplaint {
  kind: 'call';
  customerCode: string;
  category: ComplaintCategory;
  body: string;
  /** Days before now the call was received (a late case, one close to its due date). */
  daysAgo?: number;
  resolvedOnCall?: boolean;
  /** A referral forwarded by an authority (ANPC, ANRE): its name, its own number, its deadline in working days. */
  authority?: { name: string; reference: string; dueInWorkingDays: number };
}
export interface PortalComplaint {
  kind: 'portal';
  placeCode: string;
  category: ComplaintCategory;
  body: string;
}

export interface Scenario {
  key: DemoCaseKey;
  /** The subject of its case: the marker of the scenario (see server/seed/demo-cases.ts). */
  subject: string;
  intake: EmailComplaint | CallComplaint | PortalComplaint;
  /** The job roles its steps need (checked before anything is registered). */
  jobRoles: string[];
  drive(run: ScenarioRun, number: string): Promise<void>;
}

// --- the scenarios ------------------------------------------------------------------------------------------------

export const TRIAGE_OK: TaskSubmission = { outcome: 'admissible' };

export const SCENARIOS: Scenario[] = [
  {
    key: 'email-check',
    subject: 'Schimbarea furnizorului nu s-a finalizat',
    intake: {
      kind: 'email',
      fromName: 'Ștefan Munteanu',
      from: 'stefan.munteanu@outlook.test',
      text: [
        'Bună ziua,',
        '',
        'Am cerut în august trecerea la alt furnizor pentru locul de consum RO002E100987654, dar primesc în',
        'continuare facturi de la dumneavoastră. Vă rog să îmi spuneți de ce nu s-a finalizat schimbarea',
        'furnizorului și să opriți facturarea.',
        '',
        'Cu stimă,',
        'Ștefan Munteanu',
        'Bd. Mihai Viteazu nr. 33, ap. 12, Cluj-Napoca',
      ].join('\n'),
    },
    jobRoles: [],
    async drive(run, number) {
      await run.waitForTask(number, 'checkEmail');
    },
  },
  {
    key: 'email-triage',
    subject: 'Factura din octombrie este prea mare',
    intake: {
      kind: 'email',
      fromName: 'Maria Ionescu',
      from: 'maria.ionescu@gmail.test',
      text: [
        'Bună ziua,',
        '',
        'Factura din octombrie pentru locul de consum RO005E512345678 este de 612,40 lei, de trei ori mai mare',
        'decât de obicei, deși nu am consumat mai mult ca în lunile trecute. Vă rog să verificați și să refaceți',
        'factura.',
        '',
        'Maria Ionescu',
        'Tel. 0744123456',
      ].join('\n'),
      attachments: [
        {
          filename: 'indexuri-citite.csv',
          contentType: 'text/csv',
          content: [
            'data;index (kWh)',
            '2026-08-31;11 960',
            '2026-09-30;12 210',
            '2026-10-31;12 455',
            '',
          ].join('\r\n'),
        },
      ],
    },
    jobRoles: ['REG'],
    async drive(run, number) {
      await run.work(number, {
        task: 'checkEmail',
        by: REGISTRY,
        submit: { comment: 'Mesaj complet; clienta a fost identificată automat după POD.' },
      });
      await run.waitForTask(number, 'triage');
      // The consumer answers our acknowledgement with more information: attached to the case, the process told.
      await run.consumerReply(
        number,
        'Maria Ionescu',
        'maria.ionescu@gmail.test',
        [
          'Revin cu indexul citit azi de pe contor: 12 480 kWh. Pe factură apare un index estimat de 13 950 kWh,',
          'deci diferența vine din estimare.',
          '',
          'Maria Ionescu',
        ].join('\n'),
      );
    },
  },
  {
    key: 'email-identify',
    subject: 'Tensiune scăzută seara',
    intake: {
      kind: 'email',
      fromName: 'Ion Popescu',
      from: 'ion.popescu.cluj@yahoo.test',
      text: [
        'Bună seara,',
        '',
        'De două săptămâni, seara între 19 și 22, becurile pâlpâie și frigiderul se oprește. Locuiesc în',
        'Cluj-Napoca, pe strada Dorobanților nr. 71. Vă rog să verificați tensiunea.',
        '',
        'Ion Popescu',
      ].join('\n'),
    },
    jobRoles: ['REG'],
    async drive(run, number) {
      await run.work(number, {
        task: 'checkEmail',
        by: REGISTRY,
        submit: {
          comment: 'Expeditor necunoscut; doi clienți cu același nume, identitatea trebuie confirmată.',
        },
      });
      await run.waitForTask(number, 'identify');
    },
  },
  {
    key: 'operator-waiting',
    subject: 'Contorul de gaz înregistrează consum cu centrala oprită',
    intake: {
      kind: 'call',
      customerCode: '3000112233',
      category: 'grup_masurare',
      body: 'Clienta a fost plecată trei săptămâni, cu centrala oprită, iar contorul de gaz a înaintat cu 85 m³. Solicită verificarea contorului.',
    },
    jobRoles: ['RSP', 'SM'],
    async drive(run, number) {
      await run.work(number, { task: 'triage', by: OFFICER, submit: TRIAGE_OK });
      await run.work(number, {
        task: 'checkMeter',
        by: METERING,
        submit: {
          findings: 'Consumul înregistrat fără utilizare indică o posibilă defecțiune a contorului.',
          branch: 'verificare_contor',
        },
      });
      await run.work(number, {
        task: 'askOperator',
        by: METERING,
        submit: {
          questions:
            'Vă rugăm verificarea metrologică a contorului G88001234 și indexurile citite în ultimele 6 luni.',
        },
      });
      await run.until(`${number}: cererea către OD trimisă`, async () =>
        (await operatorRequestSentAt(run.db, run.tenantId, number)) ? true : null,
      );
      await run.waitForActivity(number, 'waitAnswer');
    },
  },
  {
    key: 'approval',
    subject: 'Contractul a fost prelungit la un preț mai mare',
    intake: {
      kind: 'call',
      customerCode: '1000345678',
      category: 'contractare',
      body: 'Clienta spune că i s-a prelungit contractul la un preț mai mare fără să fi primit vreo notificare și cere revenirea la prețul vechi.',
      daysAgo: 17,
    },
    jobRoles: ['RSP', 'SC', 'SEF'],
    async drive(run, number) {
      await run.work(number, { task: 'triage', by: OFFICER2, submit: TRIAGE_OK });
      await run.work(number, {
        task: 'checkContract',
        by: CONTRACTS,
        submit: {
          findings:
            'Contractul E-7781/2018 s-a prelungit tacit; notificarea noului preț nu apare în dosarul clientei.',
          branch: 'contract',
        },
      });
      await run.work(number, {
        task: 'analyze',
        by: OFFICER2,
        submit: {
          findings:
            'Notificarea prealabilă a modificării prețului nu a fost transmisă; reclamația este întemeiată.',
        },
      });
      await run.work(number, {
        task: 'draftAnswer',
        by: OFFICER2,
        submit: {
          answerText:
            'Stimată doamnă Popa, am constatat că modificarea prețului nu v-a fost notificată cu 30 de zile înainte. Vă aplicăm prețul anterior până la expirarea contractului și regularizăm diferența în factura următoare.',
        },
      });
      await run.waitForTask(number, 'approveAnswer');
    },
  },
  {
    key: 'postal',
    subject: 'Prețul gazelor din factura din noiembrie',
    intake: {
      kind: 'call',
      customerCode: '2000456789',
      category: 'facturare',
      body: 'Clientul spune că prețul pe kWh din factura de gaze din noiembrie este mai mare decât cel din contract. Nu are adresă de e-mail: răspunsul se trimite prin poștă.',
      // A week ago: the acknowledgement letter has had time to be posted and delivered.
      daysAgo: 8,
    },
    jobRoles: ['RSP', 'SF', 'SEF', 'REG'],
    async drive(run, number) {
      await run.work(number, { task: 'triage', by: OFFICER, submit: TRIAGE_OK });
      await run.work(number, {
        task: 'checkInvoice',
        by: OFFICER,
        submit: {
          findings: 'Prețul aplicat în noiembrie corespunde contractului G-18342/2019 și ofertei în vigoare.',
          branch: 'pret',
        },
      });
      await run.work(number, {
        task: 'analyze',
        by: OFFICER,
        submit: { findings: 'Factura este corectă; prețul corespunde contractului în vigoare.' },
      });
      await run.work(number, {
        task: 'draftAnswer',
        by: OFFICER,
        submit: {
          answerText:
            'Stimate domnule Dumitrescu, am verificat factura de gaze din noiembrie: prețul aplicat este cel din contractul dumneavoastră, în vigoare din 1 iulie. Alăturăm nota de constatare.',
        },
      });
      await run.work(number, { task: 'approveAnswer', by: SUPERVISOR, submit: { approved: true } });
      await run.waitForTask(number, 'postalDispatch');
      // The registry posts both letters; the acknowledgement came back signed, the answer's proof is awaited.
      const letters = await run.until(`${number}: scrisorile în registrul poștal`, async () => {
        const rows = await postalLettersOfCase(run.db, run.tenantId, number);
        return rows.length >= 2 ? rows : null;
      });
      const received = (await run.caseRow(number))!.receivedAt.getTime();
      for (const l of letters) {
        if (l.dispatchedAt) continue; // recorded by an earlier, interrupted run
        const answer = l.kind === 'answer_letter';
        await run.recordDispatch(
          l.id,
          answer
            ? { dispatchedAt: new Date(), postalReference: 'RR482913305RO' }
            : {
                dispatchedAt: new Date(received + DAY_MS),
                postalReference: 'RR482913291RO',
                deliveredAt: new Date(received + 4 * DAY_MS),
                proofOfDelivery: 'Confirmare de primire semnată de destinatar',
              },
        );
      }
    },
  },
  {
    key: 'late-compensation',
    subject: 'Factură de regularizare nejustificată',
    intake: {
      kind: 'call',
      customerCode: '1000567890',
      category: 'facturare',
      body: 'Clienta contestă factura de regularizare de 1.230 lei emisă după citirea din septembrie; spune că indexurile transmise lunar de ea au fost ignorate.',
      // Received 45 days ago: the due date (15 working days, holidays included) has passed, so the warning,
      // escalation and breach timers fire at once.
      daysAgo: 45,
    },
    jobRoles: ['RSP', 'SF', 'SEF', 'FIN'],
    async drive(run, number) {
      await run.work(number, { task: 'triage', by: OFFICER2, submit: TRIAGE_OK });
      await run.waitForTask(number, 'escalation');
      await run.until(`${number}: depășirea termenului înregistrată`, async () =>
        (await run.caseRow(number))?.breachedAt ? true : null,
      );
      await run.work(number, {
        task: 'checkInvoice',
        by: OFFICER,
        submit: {
          findings: 'Regularizarea urmează citirii OD din septembrie; se verifică indexurile transmise.',
          branch: 'index',
        },
      });
      await run.work(number, {
        task: 'checkIndex',
        by: OFFICER,
        submit: {
          findings: 'Autocitirile din iulie și august au fost primite după fereastra de transmitere.',
          needsOperator: false,
          needsCorrection: false,
        },
      });
      await run.work(number, {
        task: 'analyze',
        by: OFFICER2,
        submit: { findings: 'Regularizarea este corectă; autocitirile au sosit în afara ferestrei.' },
      });
      await run.work(number, {
        task: 'draftAnswer',
        by: OFFICER2,
        submit: {
          answerText:
            'Stimată doamnă Radu, factura de regularizare este corectă: autocitirile din iulie și august au sosit după fereastra de transmitere. Ne cerem scuze pentru întârzierea răspunsului; vă acordăm compensația legală.',
        },
      });
      await run.work(number, { task: 'approveAnswer', by: SUPERVISOR, submit: { approved: true } });
      await run.until(`${number}: compensația calculată`, async () =>
        (await run.caseRow(number))?.compensationLei ? true : null,
      );
      await run.waitForTask(number, 'grantCompensation');
    },
  },
  {
    key: 'duplicate',
    subject: 'Revine telefonic pentru factura din octombrie',
    intake: {
      kind: 'call',
      customerCode: '1000234567',
      category: 'facturare',
      body: 'Clienta sună pentru aceeași factură din octombrie pe care a reclamat-o deja prin e-mail și cere să fie înregistrată și telefonic.',
    },
    jobRoles: ['RSP', 'SEF'],
    async drive(run, number) {
      const original = run.numberOf('email-triage');
      await run.work(number, {
        task: 'triage',
        by: OFFICER,
        submit: {
          outcome: 'duplicate',
          comment: `Aceeași reclamație ca nr. ${original ?? 'primită prin e-mail'}.`,
        },
      });
      await run.work(number, {
        task: 'fileCaseDecision',
        by: OFFICER,
        submit: { comment: `Conexată la dosarul ${original ?? 'existent'}; clienta este înștiințată.` },
      });
      // No filing without the supervisor's approval (IL-08).
      await run.work(number, { task: 'approveFiling', by: SUPERVISOR, submit: { approved: true } });
      await run.until(`${number}: clasată`, async () =>
        (await run.caseRow(number))?.status === 'filed' ? true : null,
      );
    },
  },
  {
    key: 'resolved-on-call',
    subject: 'Întrebare despre data următoarei citiri',
    intake: {
      kind: 'call',
      customerCode: '1000678901',
      category: 'informare_clienti',
      body: 'Clientul a întrebat când vine cititorul; i s-a explicat calendarul de citire pe loc și a fost de acord.',
      resolvedOnCall: true,
    },
    jobRoles: [],
    async drive(run, number) {
      await run.until(`${number}: închisă`, async () =>
        (await run.caseRow(number))?.status === 'closed' ? true : null,
      );
    },
  },
  {
    key: 'portal-closed',
    subject: 'Index estimat în factura din septembrie',
    intake: {
      kind: 'portal',
      placeCode: 'RO001E512340001',
      category: 'facturare',
      body: 'Factura din septembrie are indexul estimat 24 310, dar indexul real, citit de mine pe 30 septembrie, este 23 870. Vă rog să refaceți factura.',
    },
    jobRoles: ['RRC', 'RSP', 'SF', 'FIN', 'SEF'],
    async drive(run, number) {
      await run.work(number, {
        task: 'checkPortal',
        by: REGISTRY,
        submit: { comment: 'Depusă din contul de portal al clientului; date complete.' },
      });
      await run.work(number, { task: 'triage', by: OFFICER, submit: TRIAGE_OK });
      await run.work(number, {
        task: 'checkInvoice',
        by: OFFICER,
        submit: { findings: 'Factura din septembrie folosește un index estimat.', branch: 'index' },
      });
      await run.work(number, {
        task: 'checkIndex',
        by: OFFICER,
        submit: {
          findings: 'Indexul real 23 870 este plauzibil față de istoric; estimarea a depășit consumul.',
          needsOperator: false,
          needsCorrection: true,
        },
      });
      await run.work(number, {
        task: 'recalculate',
        by: OFFICER,
        submit: { comment: 'Factura stornată și reemisă pe indexul real 23 870.' },
      });
      await run.work(number, {
        task: 'refund',
        by: FINANCE,
        submit: { comment: 'Diferența de 186,20 lei se compensează în factura următoare.' },
      });
      await run.work(number, {
        task: 'analyze',
        by: OFFICER,
        submit: { findings: 'Factura a fost refăcută pe indexul real; diferența se compensează.' },
      });
      await run.work(number, {
        task: 'draftAnswer',
        by: OFFICER,
        submit: {
          answerText:
            'Stimate domnule Constantinescu, am refăcut factura din septembrie pe baza indexului real 23 870. Diferența de 186,20 lei va fi compensată în factura următoare.',
        },
      });
      await run.work(number, { task: 'approveAnswer', by: SUPERVISOR, submit: { approved: true } });
      await run.until(`${number}: închisă`, async () =>
        (await run.caseRow(number))?.status === 'closed' ? true : null,
      );
    },
  },
  {
    key: 'portal-gas',
    subject: 'Conversia din m³ în kWh la factura de gaze',
    intake: {
      kind: 'portal',
      placeCode: 'DEG2210934',
      category: 'facturare',
      body: 'Pe factura de gaze din octombrie apare un consum de 1.150 kWh pentru 102 m³. Nu înțeleg ce coeficient s-a folosit la conversie.',
    },
    jobRoles: ['RRC', 'RSP', 'SF'],
    async drive(run, number) {
      await run.work(number, {
        task: 'checkPortal',
        by: REGISTRY,
        submit: { comment: 'Depusă din contul de portal al clientului; date complete.' },
      });
      await run.work(number, { task: 'triage', by: OFFICER, submit: TRIAGE_OK });
      await run.work(number, {
        task: 'checkInvoice',
        by: OFFICER,
        submit: { findings: 'Se verifică puterea calorifică și coeficientul de conversie.', branch: 'gaze' },
      });
      await run.waitForTask(number, 'checkGas');
      await run.consumerAddsInformation(
        number,
        'Atașez indexul citit pe 2 noiembrie: 4 512 m³. Vă rog să îmi spuneți și puterea calorifică folosită.',
        {
          fileName: 'index-gaz-2-noiembrie.pdf',
          lines: ['Index contor gaz citit de client', 'Data citirii: 2 noiembrie 2026', 'Index: 4 512 m³'],
        },
      );
    },
  },
  {
    // Metering's own work (metering@ holds SM alone): admitted, waiting at the meter check.
    key: 'meter-check',
    subject: 'Contorul electric afișează un index mai mare decât cel facturat',
    intake: {
      kind: 'call',
      customerCode: '1000789012',
      category: 'grup_masurare',
      body: 'Clienta spune că afișajul contorului clipește și că indexul citit de ea azi, 18 240 kWh, este cu 900 kWh peste cel din ultima factură, deși consumul ei nu s-a schimbat. Solicită verificarea contorului.',
    },
    jobRoles: ['RSP', 'SM'],
    async drive(run, number) {
      await run.work(number, { task: 'triage', by: OFFICER2, submit: TRIAGE_OK });
      await run.waitForTask(number, 'checkMeter');
    },
  },
  {
    // Contracts' own work (contracts@ holds SC): the routing table sends contractare to SC's contract check.
    key: 'contract-check',
    subject: 'Contract reziliat fără preaviz',
    intake: {
      kind: 'call',
      customerCode: '1000445566',
      category: 'contractare',
      body: 'Clientul a primit o scrisoare că i s-a reziliat contractul de furnizare de la 1 a lunii viitoare, deși și-a plătit toate facturile și nu a cerut rezilierea. Cere menținerea contractului.',
    },
    jobRoles: ['RSP', 'SC'],
    async drive(run, number) {
      await run.work(number, { task: 'triage', by: OFFICER2, submit: TRIAGE_OK });
      await run.waitForTask(number, 'checkContract');
    },
  },
  {
    // Legal's work on complaints (legal@ holds CJ): an authority's referral, admitted at triage, runs the point of
    // view to the authority (CJ) beside the billing check.
    key: 'authority-referral',
    subject: 'Sesizare ANPC: factură emisă după schimbarea furnizorului',
    intake: {
      kind: 'call',
      customerCode: '1000654321',
      category: 'facturare',
      body: 'ANPC ne transmite sesizarea clientului Florin Neagoe: după schimbarea furnizorului a mai primit o factură de 318,50 lei pentru o perioadă în care nu mai era clientul nostru. ANPC cere punctul nostru de vedere.',
      authority: { name: 'ANPC', reference: 'ANPC-4417/2026', dueInWorkingDays: 8 },
    },
    jobRoles: ['RSP', 'CJ'],
    async drive(run, number) {
      await run.work(number, { task: 'triage', by: OFFICER2, submit: TRIAGE_OK });
      await run.waitForTask(number, 'pointOfView');
    },
  },
];

/**
 * The demo's GDPR request: not a complaint, so not a case (its own number, `<TENANT>-GDPR-…`), registered as the
 * call center registers one (POST /api/privacy/requests); its process waits at the DPO's task, so legal@ has it in
 * the inbox and on /admin/privacy. Its details text is its marker (as a scenario's subject is).
 */
export const GDPR_REQUEST = {
  key: 'gdpr-request' as DemoCaseKey,
  right: 'access' as DataSubjectRight,
  customerCode: '1000909090',
  details:
    'Clienta Adriana Lupu a cerut telefonic o copie a tuturor datelor personale pe care le prelucrăm despre ea, scopurile prelucrării și cui le-am transmis (art. 15 GDPR).',
  jobRoles: ['DPO'],
  async drive(run: ScenarioRun, number: string) {
    await run.waitForTask(number, 'dataSubjectRequest');
  },
};

/**
 * The contestation of the portal case's answer: a new case linked to it (IL-34), sent from the portal once the
 * first case is closed; its first steps bring it to the review of the earlier complaint.
 */
export const CONTESTATION = {
  contests: 'portal-closed' as DemoCaseKey,
  text: 'Nu sunt de acord cu răspunsul: diferența compensată este mai mică decât cea calculată de mine (440 kWh, nu 300 kWh).',
  jobRoles: ['RRC', 'RSP', 'SEF'],
  async drive(run: ScenarioRun, number: string) {
    await run.work(number, {
      task: 'checkPortal',
      by: REGISTRY,
      submit: { comment: 'Contestație depusă din portal, legată de dosarul inițial.' },
    });
    await run.work(number, { task: 'triage', by: OFFICER2, submit: TRIAGE_OK });
    await run.waitForTask(number, 'reviewPrevious');
  },
};
