import { appendAudit } from '../audit/index.ts';
import type { Principal } from '../auth/index.ts';
import type { Db } from '../db/client.ts';
import { withTenant } from '../db/tenant-scope.ts';
import {
  addDays,
  businessClock,
  nonWorkingDaysOf,
  startOfBusinessDay,
  type IsoDate,
} from '../deadlines/index.ts';
import { DomainError } from '../errors.ts';
import { getTenant, getTenantByCode } from '../tenants/index.ts';
import { DEFINITIONS } from './definitions.ts';
import { reportCsv, reportPdf, reportXlsx } from './exports.ts';
import {
  caseFacts,
  dayCounter,
  rowsOf,
  SPLITS,
  tableOf,
  totalOf,
  type IndicatorsReport,
  type SplitName,
  type TableRow,
} from './indicators.ts';
import { asQuarter, daysInPeriod, periodLabel } from './periods.ts';
import * as repo from './reports.repo.ts';

export type ReportFormat = 'xlsx' | 'csv' | 'pdf';

export interface ReportFile {
  content: Buffer;
  contentType: string;
  fileName: string;
}

/** A year and a few days: a report longer than that is not a regulator's period, and costs a scan of years. */
const MAX_PERIOD_DAYS = 366;

/**
 * The regulator report (issue 16 item 1): the quarterly complaint indicators computed from the case data of the
 * caller's tenant (never typed in), their exports, the tenant's opt-in for a public page and the quarters it
 * published (frozen as computed at publication). Every query is in reports.repo.ts.
 */
export function createReportsService(deps: { db: Db; now?: () => Date }) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());

  async function compute(tenantId: string, from: IsoDate, to: IsoDate): Promise<IndicatorsReport> {
    if (from > to) throw new DomainError('PERIOD_INVALID');
    if (daysInPeriod(from, to) > MAX_PERIOD_DAYS) throw new DomainError('PERIOD_TOO_LONG');
    const today = businessClock(now()).date;
    // Events after the end of the period never count; while the period runs, nothing after today exists.
    const asOf = to < today ? to : today;
    const tenant = await getTenant(db, tenantId);
    if (!tenant) throw new DomainError('NOT_FOUND');
    const [complaints, extraNonWorkingDays] = await Promise.all([
      repo.complaintsForPeriod(db, tenantId, {
        from,
        asOf,
        fromInstant: startOfBusinessDay(from),
        dayBeforeFrom: addDays(from, -1),
      }),
      nonWorkingDaysOf(db, tenantId),
    ]);
    const period = { from, to, asOf };
    const rule = { baseLei: tenant.compensationBaseLei, perDayLei: tenant.compensationPerDayLei };
    const countDays = dayCounter({ extraNonWorkingDays });
    const facts = complaints.map((c) => caseFacts(c, period, rule, countDays));
    return {
      period: { ...period, label: periodLabel(from, to) },
      rows: rowsOf(facts),
      tables: Object.fromEntries(SPLITS.map((s) => [s, tableOf(facts, s)])) as Record<SplitName, TableRow[]>,
      total: totalOf(facts),
      definitions: [...DEFINITIONS],
    };
  }

  /** The indicators of [from, to] for the caller's tenant. */
  function indicators(p: Principal, from: IsoDate, to: IsoDate) {
    return compute(p.tenantId, from, to);
  }

  /** The same report as a file: XLSX (a sheet per table and one of definitions), CSV (the rows) or PDF. */
  async function indicatorsFile(
    p: Principal,
    from: IsoDate,
    to: IsoDate,
    format: ReportFormat,
  ): Promise<ReportFile> {
    const report = await compute(p.tenantId, from, to);
    const tenant = (await getTenant(db, p.tenantId))!;
    const base = `raport-reclamatii-${tenant.code}-${from}-${to}`;
    if (format === 'csv')
      return { content: reportCsv(report), contentType: 'text/csv; charset=utf-8', fileName: `${base}.csv` };
    if (format === 'xlsx')
      return {
        content: await reportXlsx(report, tenant),
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        fileName: `${base}.xlsx`,
      };
    return {
      content: await reportPdf(report, tenant),
      contentType: 'application/pdf',
      fileName: `${base}.pdf`,
    };
  }

  async function settings(p: Principal) {
    const row = await repo.getReportSettings(db, p.tenantId);
    return { publicPage: row?.publicPage ?? false, publicPath: `/raport/${p.tenantCode}` };
  }

  /** Turns the public page on or off (admin); audited in the same transaction. */
  async function changeSettings(p: Principal, publicPage: boolean) {
    await db.transaction(async (tx) => {
      await repo.upsertReportSettings(tx, p.tenantId, { publicPage, updatedBy: p.userId });
      await appendAudit(tx, {
        tenantId: p.tenantId,
        actorId: p.userId,
        actorKind: 'user',
        action: 'report.settings_changed',
        entityType: 'tenant',
        entityId: p.tenantId,
        details: { publicPage },
      });
    });
    return settings(p);
  }

  async function publications(p: Principal) {
    const rows = await repo.listPublications(db, p.tenantId);
    return rows.map((r) => ({ ...r, publishedAt: r.publishedAt.toISOString() }));
  }

  /**
   * Publishes a quarter that has ended: its figures as computed now are frozen (the table refuses changes), and
   * the public page (when on) shows the latest quarter published. A quarter is published once.
   */
  async function publish(p: Principal, from: IsoDate, to: IsoDate) {
    const q = asQuarter(from, to);
    if (!q || to >= businessClock(now()).date) throw new DomainError('REPORT_NOT_A_PAST_QUARTER');
    const report = await compute(p.tenantId, from, to);
    const row = await db.transaction(async (tx) => {
      const inserted = await repo.insertPublication(tx, {
        tenantId: p.tenantId,
        periodFrom: from,
        periodTo: to,
        label: q.label,
        report: report as unknown as Record<string, unknown>,
        publishedBy: p.userId,
      });
      if (!inserted) throw new DomainError('REPORT_ALREADY_PUBLISHED');
      await appendAudit(tx, {
        tenantId: p.tenantId,
        actorId: p.userId,
        actorKind: 'user',
        action: 'report.published',
        entityType: 'report_publication',
        entityId: String(inserted.id),
        details: { from, to, received: report.total.received, solved: report.total.solved },
      });
      return inserted;
    });
    return {
      id: row.id,
      periodFrom: row.periodFrom,
      periodTo: row.periodTo,
      label: row.label,
      publishedAt: row.publishedAt.toISOString(),
    };
  }

  /**
   * The public page of a tenant (no login): its latest published quarter, frozen as published, only when the
   * tenant chose to show it. Anything else is the same "not published" answer, so the page tells nothing more.
   */
  async function publicReport(tenantCode: string) {
    const tenant = await getTenantByCode(db, tenantCode.toUpperCase());
    if (!tenant) throw new DomainError('REPORT_NOT_PUBLISHED');
    // A public request names no tenant until here: from now on it reads this supplier's rows only.
    const published = await withTenant(tenant.id, async () => {
      const s = await repo.getReportSettings(db, tenant.id);
      return s?.publicPage ? repo.latestPublication(db, tenant.id) : null;
    });
    if (!published) throw new DomainError('REPORT_NOT_PUBLISHED');
    const report = published.report as unknown as IndicatorsReport;
    return {
      supplier: { code: tenant.code, name: tenant.name },
      label: published.label,
      publishedAt: published.publishedAt.toISOString(),
      period: report.period,
      tables: report.tables,
      total: report.total,
      definitions: report.definitions,
    };
  }

  return { indicators, indicatorsFile, settings, changeSettings, publications, publish, publicReport };
}

export type ReportsService = ReturnType<typeof createReportsService>;
