/**
 * The demo seeding run (seedDemoCases below), over the scenarios of demo-scenarios.ts. One file although past 300
 * lines: one idempotent run (staff, customers, each scenario's case and steps, the marker) whose resume logic needs
 * the whole run in view; the scenarios' data already lives apart.
 */
import { randomBytes } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { Principal } from '../auth/index.ts';
import { appendAudit } from '../audit/index.ts';
import type { Db } from '../db/client.ts';
import type { Channel, PermissionRole } from '../db/schema/index.ts';
import { recordPostalDispatch, renderPdf } from '../documents/index.ts';
import type { EngineClient, EngineTask } from '../engine/client.ts';
import { dueDate as calendarDueDate, businessClock } from '../deadlines/index.ts';
import { loadInstructions, type Instruction } from '../instructions/index.ts';
import {
  processInboundMail,
  type IntakeTenant,
  registerComplaint,
  type RegisterDeps,
} from '../intake/index.ts';
import type { Logger } from '../logger.ts';
import type { Mailer } from '../mail/mailer.ts';
import {
  type ConsumerPrincipal,
  linkedCustomersOf,
  ensureConsumerAccount,
  createPortalService,
  checkFiles,
  MAX_FILE_BYTES,
} from '../portal/index.ts';
import { createDsrService } from '../privacy/index.ts';
import { createProcessCatalog, createTasksService } from '../tasks/index.ts';
import { getTenant } from '../tenants/index.ts';
import { TASK_WORKER_ROLES } from './demo.ts';
import {
  AGENT,
  CONTESTATION,
  DAY_MS,
  DEMO_PORTAL_EMAIL,
  GDPR_REQUEST,
  PORTAL_CUSTOMERS,
  type EmailComplaint,
  REGISTRY,
  SCENARIOS,
  type DemoCaseKey,
  type Scenario,
  type ScenarioRun,
  type Step,
} from './demo-scenarios.ts';
import { withTenant } from '../db/tenant-scope.ts';
import {
  caseRow,
  casesBySubject,
  customerWithPlace,
  existingCodes,
  gdprRequestByDetails,
  hasReceivedOfKind,
  hasSubmissionOfKind,
  placeByCode,
  placeOfCustomer,
  sentMessageOfKind,
  staffWithJobRoles,
  tryLockSeeding,
} from './seed.repo.ts';

export { DEMO_CASE_STAGES, DEMO_PORTAL_EMAIL, type DemoCaseKey } from './demo-scenarios.ts';

/**
 * Demo cases at every stage of the complaint process, made the way real cases are made: the e-mail intake's
 * `processInboundMail` for e-mails, `registerComplaint` as the call-center route calls it, the portal service for
 * the consumer account; then the staff's work through the tasks service (claim and complete, as the inbox does) and
 * the engine and workers doing their part. Every write goes through the function the matching route, worker or
 * intake uses; nothing is written to a table behind their back.
 *
 * Idempotent per scenario. A scenario's case is the tenant's case with its subject (each scenario's subject is its
 * own and stable; the contestation is the case linked to the contested one), and once the case has reached its
 * stage the run records it in the audit log (`demo.scenario_seeded`, by the system, on that case): the honest
 * trace that the case is demo data, and the marker. A later run is one query and changes nothing. A run stopped
 * midway (Ctrl-C during the first `npm start`) leaves cases without the marker: the next run takes each up where it
 * stopped (the user tasks it completed are skipped, the tasks it claimed are completed by their holder) and
 * registers only what is missing. Two runs at once for one tenant: the second finds the advisory lock taken and
 * does nothing.
 *
 * The seed acts as the tenant's staff (the demo logins in DEMO): each task is claimed and completed by a holder of
 * its job role, so the audit log and the inbox show that person, as for their own work. No session is opened.
 */

export interface DemoCaseDeps {
  db: Db;
  engine: EngineClient;
  secret: string;
  log: Logger;
  /** The work instructions (main.ts has them loaded); loaded here when absent. */
  instructions?: Map<string, Instruction>;
  /**
   * Sends the GDPR request's acknowledgement by e-mail, as the privacy API does; without it the letter is queued
   * for the post.
   */
  mailer?: Mailer | undefined;
}

export interface DemoSeedOptions {
  /** Stops the seeding between steps (shutdown); the run then rejects with an AbortError. */
  signal?: AbortSignal;
  /** How long one stage may take to appear (a task, a worker's step, a timer). Default 120 s. */
  stepTimeoutMs?: number;
}

export interface DemoSeedReport {
  tenantCode: string;
  /** Cases made by this run: key -> registration number. */
  created: Partial<Record<DemoCaseKey, string>>;
  /** Cases an earlier, interrupted run registered, brought to their stage by this one. */
  resumed: Partial<Record<DemoCaseKey, string>>;
  /** Cases an earlier run brought to their stage (nothing done): key -> registration number. */
  present: Partial<Record<DemoCaseKey, string>>;
  /** Another seeding of the same tenant was running; this one did nothing. */
  busy: boolean;
}

interface Staff {
  id: string;
  email: string;
  name: string;
  roles: PermissionRole[];
  jobRoles: string[];
}

// --- the run ----------------------------------------------------------------------------------------------------------

class AbortError extends Error {
  override name = 'AbortError';
}

/** One seeding of one tenant: its staff, services and the numbers of its cases. */
class Run implements ScenarioRun {
  readonly db: Db;
  private readonly numbers = new Map<DemoCaseKey, string>();
  private readonly pending = new Map<DemoCaseKey, Promise<void>>();
  private consumerPrincipal: Promise<ConsumerPrincipal> | undefined;
  private readonly completedBefore = new Map<string, Set<string>>();
  private readonly tasks;
  private readonly portalService;

  constructor(
    readonly deps: DemoCaseDeps & { instructions: Map<string, Instruction> },
    readonly tenant: {
      id: string;
      code: string;
      name: string;
      intakeEmail: string;
      operatorEmail: string | null;
    },
    private readonly staff: Staff[],
    private readonly opts: { signal?: AbortSignal; stepTimeoutMs: number },
  ) {
    this.db = deps.db;
    this.tasks = createTasksService({
      db: deps.db,
      engine: deps.engine,
      catalog: createProcessCatalog(deps.engine),
      instructions: deps.instructions,
    });
    this.portalService = createPortalService(this.registerDeps());
  }

  get tenantId() {
    return this.tenant.id;
  }

  registerDeps(): RegisterDeps {
    return { db: this.deps.db, engine: this.deps.engine, secret: this.deps.secret, log: this.deps.log };
  }

  setNumber(key: DemoCaseKey, number: string) {
    this.numbers.set(key, number);
  }

  setPending(key: DemoCaseKey, p: Promise<void>) {
    this.pending.set(key, p);
  }

  /** The number of another scenario's case (seeded now or earlier), once that scenario's stage is reached. */
  numberOf(key: DemoCaseKey): string | undefined {
    return this.numbers.get(key);
  }

  /** Waits for another scenario of this run to reach its stage (resolves at once when it is not being seeded). */
  async after(key: DemoCaseKey) {
    await this.pending.get(key);
  }

  checkAborted() {
    if (this.opts.signal?.aborted) throw new AbortError('demo seeding stopped');
  }

  /** Polls `fn` until it returns a value: the condition a stage is waited for (no fixed sleeps). */
  async until<T>(what: string, fn: () => Promise<T | null | undefined | false>, stepMs = 150): Promise<T> {
    const end = Date.now() + this.opts.stepTimeoutMs;
    let last: unknown;
    for (;;) {
      this.checkAborted();
      try {
        const v = await fn();
        if (v) return v;
      } catch (err) {
        last = err;
      }
      if (Date.now() > end)
        throw new Error(
          `demo seed: ${what} not reached in ${this.opts.stepTimeoutMs / 1000} s${last ? ` (${(last as Error).message})` : ''}`,
        );
      await new Promise((r) => setTimeout(r, stepMs));
    }
  }

  async caseRow(number: string) {
    return caseRow(this.db, this.tenant.id, number);
  }

  /** Open engine tasks of the case, its called sub-processes included (they carry its number as business key). */
  openTasks(number: string): Promise<EngineTask[]> {
    return this.deps.engine.queryTasks(
      { tenantIdIn: [this.tenant.id], processInstanceBusinessKey: number },
      { firstResult: 0, maxResults: 50 },
    );
  }

  waitForTask(number: string, taskKey: string): Promise<EngineTask> {
    return this.until(`${number}: sarcina ${taskKey}`, async () =>
      (await this.openTasks(number)).find((t) => t.taskDefinitionKey === taskKey),
    );
  }

  /** The scenario's case has reached its stage: recorded in the audit log, the marker later runs look for. */
  async markSeeded(key: DemoCaseKey, number: string) {
    const c = await this.caseRow(number);
    if (!c) throw new Error(`demo seed: case ${number} vanished`);
    await this.mark('case', c.id, key, number);
  }

  /** The same marker on the GDPR request (not a case: the audit entity is the request). */
  async markRequestSeeded(key: DemoCaseKey, number: string) {
    const r = await gdprRequestByDetails(this.db, this.tenant.id, GDPR_REQUEST.details, SEEDED_ACTION);
    if (!r) throw new Error(`demo seed: GDPR request ${number} vanished`);
    await this.mark('gdpr_request', r.id, key, number);
  }

  private async mark(
    entityType: 'case' | 'gdpr_request',
    entityId: string,
    key: DemoCaseKey,
    number: string,
  ) {
    await appendAudit(this.db, {
      tenantId: this.tenant.id,
      actorKind: 'system',
      action: SEEDED_ACTION,
      entityType,
      entityId,
      details: { scenario: key, number },
    });
  }

  /**
   * The GDPR request, registered as POST /api/privacy/requests does for the call center (the same service: its
   * number, acknowledgement letter, audit entry and process). Returns its number.
   */
  async registerGdprRequest(): Promise<string> {
    const c = await customerWithPlace(this.db, this.tenant.id, GDPR_REQUEST.customerCode);
    if (!c)
      throw new Error(`demo seed: customer ${GDPR_REQUEST.customerCode} is missing in ${this.tenant.code}`);
    const dsr = createDsrService({
      db: this.db,
      engine: this.deps.engine,
      log: this.deps.log,
      mailer: this.deps.mailer,
    });
    const r = await dsr.register(this.tenant.id, this.caller().id, {
      right: GDPR_REQUEST.right,
      channel: 'call_center',
      details: GDPR_REQUEST.details,
      customerId: c.id,
    });
    return r.number;
  }

  /**
   * A case an earlier run registered but did not bring to its stage (stopped midway): the user tasks it completed
   * then are skipped now, so its scenario goes on from where it stopped.
   */
  async resumeFrom(number: string) {
    const done = new Set<string>();
    const instances = await this.deps.engine.findHistoricProcessInstances({
      businessKey: number,
      tenantId: this.tenant.id,
    });
    for (const i of instances)
      for (const a of await this.deps.engine.activityHistory(i.id))
        if (a.activityType === 'userTask' && a.endTime && !a.canceled) done.add(a.activityId);
    this.completedBefore.set(number, done);
  }

  async waitForActivity(number: string, activityId: string) {
    await this.until(`${number}: activitatea ${activityId}`, async () => {
      const instances = await this.deps.engine.findProcessInstances({
        businessKey: number,
        tenantId: this.tenant.id,
      });
      for (const i of instances)
        if ((await this.deps.engine.activeActivityIds(i.id)).includes(activityId)) return true;
      return null;
    });
  }

  /** A holder of one of the groups, the preferred login first; only people who may work tasks. */
  holderOf(groups: string[], preferred: string): Staff {
    const able = this.staff.filter(
      (s) => s.roles.some((r) => TASK_WORKER_ROLES.includes(r)) && s.jobRoles.some((j) => groups.includes(j)),
    );
    const s = able.find((x) => x.email === preferred) ?? able[0];
    if (!s) throw new Error(`demo seed: nobody in ${this.tenant.code} holds ${groups.join(' or ')}`);
    return s;
  }

  principal(s: Staff): Principal {
    return {
      userId: s.id,
      tenantId: this.tenant.id,
      tenantCode: this.tenant.code,
      email: s.email,
      name: s.name,
      roles: s.roles,
      jobRoles: s.jobRoles,
      sessionId: 'demo-seed',
      sessionExpiresAt: new Date(Date.now() + 3600 * 1000),
    };
  }

  /** Someone who registers calls: an agent (the preferred login first), else an officer or supervisor. */
  caller(): Staff {
    const s =
      this.staff.find((x) => x.email === AGENT && x.roles.includes('agent')) ??
      this.staff.find((x) => x.roles.includes('agent')) ??
      this.staff.find((x) => x.roles.includes('officer') || x.roles.includes('supervisor'));
    if (!s) throw new Error(`demo seed: ${this.tenant.code} has no agent or officer to register calls`);
    return s;
  }

  /**
   * A staff member's work on one task: waits for it, claims it and completes it through the tasks service. A task
   * an interrupted run claimed is completed by whoever holds it.
   */
  async work(number: string, step: Step) {
    if (this.completedBefore.get(number)?.has(step.task)) return;
    const task = await this.waitForTask(number, step.task);
    const groups = await this.deps.engine.getCandidateGroups(task.id);
    const holder =
      (task.assignee && this.staff.find((x) => x.id === task.assignee)) || this.holderOf(groups, step.by);
    const p = this.principal(holder);
    this.checkAborted();
    if (task.assignee !== p.userId) await this.tasks.claim(p, task.id);
    await this.tasks.complete(p, task.id, step.submit);
  }

  /** The registry records a letter's dispatch (and proof), as the postal register's PATCH does. */
  async recordDispatch(
    id: number,
    set: { dispatchedAt: Date; postalReference: string; deliveredAt?: Date; proofOfDelivery?: string },
  ) {
    const p = this.principal(this.holderOf(['REG'], REGISTRY));
    // The same service the postal register's PATCH calls (the update and its audit row in one transaction).
    await recordPostalDispatch(this.db, p, id, set);
  }

  intakeTenant(): IntakeTenant {
    return {
      id: this.tenant.id,
      code: this.tenant.code,
      intakeEmail: this.tenant.intakeEmail,
      operatorEmail: this.tenant.operatorEmail,
    };
  }

  /** An e-mail from a consumer, taken by the intake exactly as the mailbox watcher hands it over. */
  async mail(m: {
    fromName: string;
    from: string;
    subject: string;
    text: string;
    inReplyTo?: string;
    attachments?: EmailComplaint['attachments'];
  }) {
    const domain = m.from.split('@')[1] ?? 'example.test';
    const raw = await new MailComposer({
      from: { name: m.fromName, address: m.from },
      to: this.tenant.intakeEmail,
      subject: m.subject,
      text: m.text,
      attachments: m.attachments,
      date: new Date(),
      messageId: `<${randomBytes(12).toString('hex')}@${domain}>`,
      ...(m.inReplyTo ? { inReplyTo: m.inReplyTo, references: [m.inReplyTo] } : {}),
    })
      .compile()
      .build();
    return processInboundMail({ ...this.registerDeps(), ownAddresses: [] }, this.intakeTenant(), {
      raw,
      arrivedAt: new Date(),
    });
  }

  /** The consumer answers our acknowledgement: the intake attaches it to the case and correlates the message. */
  async consumerReply(number: string, fromName: string, from: string, text: string) {
    if (await hasReceivedOfKind(this.db, this.tenant.id, number, 'reply')) return;
    const ack = await this.until(`${number}: confirmarea trimisă`, () =>
      sentMessageOfKind(this.db, this.tenant.id, number, 'acknowledgement'),
    );
    const outcome = await this.mail({
      fromName,
      from,
      subject: `Re: ${ack.subject}`,
      text,
      ...(ack.messageId ? { inReplyTo: ack.messageId } : {}),
    });
    if (outcome.status !== 'reply' || !outcome.correlated)
      throw new Error(`${number}: the consumer's reply was taken as ${outcome.status}`);
  }

  async consumerAddsInformation(number: string, text: string, file?: { fileName: string; lines: string[] }) {
    if (await hasSubmissionOfKind(this.db, this.tenant.id, number, 'information')) return;
    // The file is a PDF the consumer made (a note of the meter reading), received and checked as every upload is.
    const consumer = await this.consumer();
    const files = file
      ? await checkFiles([
          await this.portalService.receiveFile(
            consumer,
            file.fileName,
            [await renderPdf({ content: file.lines.map((l) => ({ text: l })) })],
            MAX_FILE_BYTES,
          ),
        ])
      : [];
    const r = await this.portalService.addInformation(consumer, number, text, files);
    if (!r.correlated) throw new Error(`${number}: information added but not correlated`);
  }

  /**
   * The demo's portal account, created as its first login creates it (the portal's `ensureConsumerAccount`; no session),
   * then linked to the person's two customer accounts with the proofs a consumer types (customer code, POD/CLC,
   * contract number and meter serial), through the portal service.
   */
  consumer(): Promise<ConsumerPrincipal> {
    this.consumerPrincipal ??= (async () => {
      const account = await ensureConsumerAccount(this.db, this.tenant.id, DEMO_PORTAL_EMAIL);
      const p: ConsumerPrincipal = {
        kind: 'consumer',
        accountId: account.id,
        tenantId: this.tenant.id,
        tenantCode: this.tenant.code,
        supplier: this.tenant.name,
        email: account.email,
        sessionId: 'demo-seed',
        sessionExpiresAt: new Date(Date.now() + 3600 * 1000),
      };
      const linked = new Set(
        (await linkedCustomersOf(this.db, this.tenant.id, account.id)).map((c) => c.customerCode),
      );
      for (const code of PORTAL_CUSTOMERS) {
        if (linked.has(code)) continue;
        const place = await placeOfCustomer(this.db, this.tenant.id, code);
        if (!place?.contractNumber || !place.meterSerial)
          throw new Error(
            `demo seed: customer ${code} has no place with a contract number and a meter serial`,
          );
        // Both factors, as the portal asks; the seed's "client address" only counts against its own limit.
        await this.portalService.link(
          p,
          {
            customerCode: code,
            placeCode: place.placeCode,
            contractNumber: place.contractNumber,
            meterSerial: place.meterSerial,
          },
          'demo-seed',
        );
      }
      return p;
    })();
    return this.consumerPrincipal;
  }

  /** Registers one scenario's complaint through its channel's door. Returns the case number. */
  async register(s: Scenario): Promise<string> {
    const intake = s.intake;
    if (intake.kind === 'email') {
      const outcome = await this.mail({
        fromName: intake.fromName,
        from: intake.from,
        subject: s.subject,
        text: intake.text,
        attachments: intake.attachments,
      });
      if (outcome.status !== 'registered')
        throw new Error(`demo seed: ${s.key} e-mail was taken as ${outcome.status}`);
      return outcome.number;
    }
    if (intake.kind === 'call') {
      const c = await customerWithPlace(this.db, this.tenant.id, intake.customerCode);
      if (!c) throw new Error(`demo seed: customer ${intake.customerCode} is missing in ${this.tenant.code}`);
      const agent = this.caller();
      // What POST /api/complaints does for the call center.
      const reg = await registerComplaint(this.registerDeps(), {
        tenantId: this.tenant.id,
        channel: 'call_center' satisfies Channel,
        category: intake.category,
        subject: s.subject,
        body: intake.body,
        customerId: c.id,
        placeId: c.placeId ?? undefined,
        receivedAt: intake.daysAgo ? new Date(Date.now() - intake.daysAgo * DAY_MS) : undefined,
        resolvedOnCall: intake.resolvedOnCall,
        ...(intake.authority
          ? {
              source: 'authority' as const,
              authorityName: intake.authority.name,
              authorityReference: intake.authority.reference,
              // The authority's deadline, a few working days from today: earlier than the legal one, so the case's.
              authorityDueDate: calendarDueDate(businessClock(new Date()).date, {
                days: intake.authority.dueInWorkingDays,
                unit: 'working',
              }),
            }
          : {}),
        actor: { id: agent.id, kind: 'user' },
      });
      return reg.number;
    }
    const p = await this.consumer();
    const place = await placeByCode(this.db, this.tenant.id, intake.placeCode);
    if (!place) throw new Error(`demo seed: place ${intake.placeCode} is missing in ${this.tenant.code}`);
    const reg = await this.portalService.submitComplaint(
      p,
      { category: intake.category, subject: s.subject, body: intake.body, placeId: place.id },
      [],
    );
    return reg.number;
  }

  /** The consumer contests the answer of a closed case from the portal: a new, linked case. */
  async contest(original: string): Promise<string> {
    await this.until(`${original}: închisă înainte de contestare`, async () =>
      (await this.caseRow(original))?.status === 'closed' ? true : null,
    );
    const r = await this.portalService.contest(await this.consumer(), original, CONTESTATION.text);
    return r.number;
  }
}

async function loadStaff(db: Db, tenantId: string): Promise<Staff[]> {
  return staffWithJobRoles(db, tenantId);
}

/** The customer codes and places the scenarios name that the tenant lacks (checked before anything is registered). */
async function missingDemoCustomers(
  db: Db,
  tenantId: string,
  todo: Scenario[],
  gdprRequest: boolean,
): Promise<string[]> {
  const codes = new Set<string>(gdprRequest ? [GDPR_REQUEST.customerCode] : []);
  const placeCodes = new Set<string>();
  for (const s of todo) {
    if (s.intake.kind === 'call') codes.add(s.intake.customerCode);
    if (s.intake.kind === 'portal') placeCodes.add(s.intake.placeCode);
  }
  // The portal account links both of the person's customer accounts.
  if (placeCodes.size) PORTAL_CUSTOMERS.forEach((c) => codes.add(c));
  const { haveCodes, havePlaces } = await existingCodes(db, tenantId, codes, placeCodes);
  return [
    ...[...codes].filter((c) => !haveCodes.has(c)),
    ...[...placeCodes].filter((p) => !havePlaces.has(p)),
  ].sort();
}

/** The audit action that records a scenario brought to its stage (the marker a later run looks for). */
export const SEEDED_ACTION = 'demo.scenario_seeded';

interface Found {
  number: string;
  /** Brought to its stage (the marker is there); else an earlier run stopped midway. */
  done: boolean;
}

/** The demo's cases already in the tenant, by scenario key: one query. */
async function presentCases(db: Db, tenantId: string): Promise<Partial<Record<DemoCaseKey, Found>>> {
  const bySubject = new Map(SCENARIOS.map((s) => [s.subject, s.key]));
  const rows = await casesBySubject(
    db,
    tenantId,
    SCENARIOS.map((s) => s.subject),
    SEEDED_ACTION,
  );
  const out: Partial<Record<DemoCaseKey, Found>> = {};
  for (const r of rows) {
    const key = bySubject.get(r.subject);
    if (!key || out[key]) continue;
    out[key] = { number: r.number, done: r.done };
    if (key === CONTESTATION.contests && r.contest_number)
      out['portal-contest'] = { number: r.contest_number, done: r.contest_done };
  }
  return out;
}

/**
 * Seeds the demo cases of one tenant (see the module comment) and waits until each has reached its stage. Needs the
 * tenant's processes deployed and workers running for the tenant (they send the mail, file, close and compute).
 * The tenant needs the demo customers and a holder of each job role the missing scenarios use.
 */
export async function seedDemoCases(
  deps: DemoCaseDeps,
  tenantId: string,
  opts: DemoSeedOptions = {},
): Promise<DemoSeedReport> {
  return withTenant(tenantId, async () => {
    const tenant = await getTenant(deps.db, tenantId);
    if (!tenant) throw new Error(`demo seed: no tenant ${tenantId}`);
    const report: DemoSeedReport = {
      tenantCode: tenant.code,
      created: {},
      resumed: {},
      present: {},
      busy: false,
    };
    // One seeding per tenant at a time, across processes: a transaction holds the lock for the whole run.
    return deps.db.transaction(async (lockTx) => {
      if (!(await tryLockSeeding(lockTx, tenantId))) return { ...report, busy: true };

      const found = await presentCases(deps.db, tenantId);
      for (const [k, f] of Object.entries(found)) if (f.done) report.present[k as DemoCaseKey] = f.number;
      const toRegister = SCENARIOS.filter((s) => !found[s.key]);
      const toResume = SCENARIOS.filter((s) => found[s.key]?.done === false);
      const contest = found['portal-contest'];
      const gdpr = await gdprRequestByDetails(deps.db, tenantId, GDPR_REQUEST.details, SEEDED_ACTION);
      if (gdpr?.done) report.present[GDPR_REQUEST.key] = gdpr.number;
      if (!toRegister.length && !toResume.length && contest?.done && gdpr?.done) return report;

      const staff = await loadStaff(deps.db, tenantId);
      const needed = new Set([
        ...[...toRegister, ...toResume].flatMap((s) => s.jobRoles),
        ...(contest?.done ? [] : CONTESTATION.jobRoles),
        ...(gdpr?.done ? [] : GDPR_REQUEST.jobRoles),
      ]);
      const missing = [...needed].filter(
        (j) =>
          !staff.some((s) => s.jobRoles.includes(j) && s.roles.some((r) => TASK_WORKER_ROLES.includes(r))),
      );
      if (missing.length)
        throw new Error(
          `Tenantul ${tenant.code} nu are titulari pentru rolurile ${missing.sort().join(', ')}: atribuiți-le în Administrare → Organigramă.`,
        );
      const absent = await missingDemoCustomers(deps.db, tenantId, toRegister, !gdpr);
      if (absent.length)
        throw new Error(
          `Tenantul ${tenant.code} nu are clienții demo ${absent.join(', ')} (se adaugă doar într-un tenant fără clienți).`,
        );

      const run = new Run(
        { ...deps, instructions: deps.instructions ?? (await loadInstructions()) },
        {
          id: tenant.id,
          code: tenant.code,
          name: tenant.name,
          intakeEmail: tenant.intakeEmail,
          operatorEmail: tenant.operatorEmail,
        },
        staff,
        { signal: opts.signal, stepTimeoutMs: opts.stepTimeoutMs ?? 120_000 },
      );
      for (const [k, f] of Object.entries(found)) run.setNumber(k as DemoCaseKey, f.number);

      // Registered one after the other, in a fixed order (stable numbers in a fresh tenant); then driven together.
      for (const s of toRegister) {
        run.checkAborted();
        const number = await run.register(s);
        run.setNumber(s.key, number);
        report.created[s.key] = number;
      }
      for (const s of toResume) {
        const number = found[s.key]!.number;
        await run.resumeFrom(number);
        report.resumed[s.key] = number;
      }
      const drives = [...toRegister, ...toResume].map((s) => {
        const number = run.numberOf(s.key)!;
        const p = s.drive(run, number).then(() => run.markSeeded(s.key, number));
        run.setPending(
          s.key,
          p.catch(() => undefined),
        );
        return p;
      });
      if (!contest?.done)
        drives.push(
          (async () => {
            let number = contest?.number;
            if (number) {
              await run.resumeFrom(number);
              report.resumed['portal-contest'] = number;
            } else {
              await run.after(CONTESTATION.contests);
              const original = run.numberOf(CONTESTATION.contests);
              if (!original) throw new Error('demo seed: the portal case to contest is missing');
              number = await run.contest(original);
              report.created['portal-contest'] = number;
            }
            await CONTESTATION.drive(run, number);
            await run.markSeeded('portal-contest', number);
          })(),
        );
      // The GDPR request: registered once; a request an interrupted run registered is only waited for.
      if (!gdpr?.done)
        drives.push(
          (async () => {
            let number = gdpr?.number;
            if (number) report.resumed[GDPR_REQUEST.key] = number;
            else {
              run.checkAborted();
              number = await run.registerGdprRequest();
              report.created[GDPR_REQUEST.key] = number;
            }
            await GDPR_REQUEST.drive(run, number);
            await run.markRequestSeeded(GDPR_REQUEST.key, number);
          })(),
        );
      const results = await Promise.allSettled(drives);
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed.length) {
        const aborted = failed.find((f) => f.reason instanceof AbortError);
        if (aborted) throw aborted.reason as Error;
        throw new Error(failed.map((f) => (f.reason as Error).message).join('; '));
      }
      deps.log.info(
        { tenant: tenant.code, created: report.created, resumed: report.resumed },
        `demo cases seeded for ${tenant.code}: ${Object.keys(report.created).length} new, ${Object.keys(report.resumed).length} finished`,
      );
      return report;
    });
  });
}

/**
 * For `npm start`: the seeding in the background (the server answers meanwhile), stopped at shutdown. Call it after
 * the workers have started, and stop it before they stop.
 */
export function startDemoCaseSeeding(
  deps: DemoCaseDeps,
  tenantId: string,
): { done: Promise<DemoSeedReport | null>; stop(): Promise<void> } {
  const ac = new AbortController();
  const done = seedDemoCases(deps, tenantId, { signal: ac.signal }).catch((err: unknown) => {
    if ((err as Error).name !== 'AbortError')
      deps.log.error({ err: (err as Error).message }, 'demo cases not seeded');
    return null;
  });
  return {
    done,
    async stop() {
      ac.abort();
      await done;
    },
  };
}
