import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { Database } from '../database/database.js';
import { forUpdate, isUniqueViolation } from '../database/dialect.js';
import { DisclosureRequest, DisclosureReview } from '../disclosure/disclosure.entities.js';
import { chinaDate } from '../domain/china-time.js';
import { parseAmount } from '../domain/money.js';
import { AppError, notFound, validationFailed, type FieldError } from '../http/app-error.js';
import { StatisticsService } from '../statistics/statistics.service.js';
import { PublicationLogWriter } from '../transparency/publication-log.writer.js';
import { TransparencyService, type LogEntryView } from '../transparency/transparency.service.js';
import { AnnualReportRow } from './annual-report.entity.js';
import { computeAnnualReport, freeze, type AnnualReport, type Baseline } from './annual-report.js';

export const MIN_REPORT_YEAR = 2000;
export const MAX_TEXT = 20_000;
const MAX_COUNT = 1_000_000_000;

export const STATUS_LABELS: Record<AnnualReportRow['status'], string> = {
  draft: '草稿',
  submitted: '待审核',
  published: '已发布',
};

/** What staff type into the form, as strings (the form's fields). */
export interface ReportForm {
  overview?: unknown;
  problems?: unknown;
  other?: unknown;
  itemsTotal?: unknown;
  completed?: unknown;
  amountYuan?: unknown;
  requestsReceived?: unknown;
}

/**
 * The yearly reports: drafts computed live from the data with the staff's texts, submitted and approved by a
 * different staff member (four-eyes), and frozen at publication. A published report is never changed: its
 * publication is an entry of the publication log (kind annual-report) carrying the frozen JSON's hash, written in
 * the same transaction, so the hash chain and the signed checkpoints cover it.
 */
@Injectable()
export class ReportsService implements OnApplicationBootstrap {
  private readonly logger = new Logger('reports');

  constructor(
    private readonly db: Database,
    private readonly statistics: StatisticsService,
    private readonly audit: AuditService,
    private readonly log: PublicationLogWriter,
    private readonly transparency: TransparencyService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap() {
    const logged = await this.logUnloggedReports();
    if (logged.length) this.logger.log(`yearly reports published before they were logged, now logged: ${logged}`);
  }

  /**
   * Reports published before publication entered the log (an upgraded database) get their entry now, dated now:
   * the entry says when the report entered the log, its content says what was published. Under the report's row
   * lock, so instances starting together log a report once. Returns the years logged.
   */
  async logUnloggedReports(): Promise<number[]> {
    const logged: number[] = [];
    for (const { year } of await this.publishedYears()) {
      if (await this.transparency.annualReportEntry(year)) continue;
      const added = await this.db.transaction(async (em) => {
        const row = await this.lock(em, year);
        if (!row?.contentHash || (await this.transparency.annualReportEntry(year, em))) return false;
        await this.log.appendAnnualReport(em, { year, recordedAt: this.clock.now(), contentHash: row.contentHash });
        return true;
      });
      if (added) logged.push(year);
    }
    return logged;
  }

  /** The log entry of a year's published report (its position and hash in the publication log). */
  logEntry(year: number): Promise<LogEntryView | null> {
    return this.transparency.annualReportEntry(year);
  }

  /** The current year in China. */
  currentYear(): number {
    return Number(chinaDate(this.clock.now()).slice(0, 4));
  }

  /** A year in the URL: four digits between 2000 and the current year; anything else is not a report. */
  parseYear(raw: string): number | null {
    if (!/^\d{4}$/.test(raw)) return null;
    const year = Number(raw);
    return year >= MIN_REPORT_YEAR && year <= this.currentYear() ? year : null;
  }

  find(year: number): Promise<AnnualReportRow | null> {
    return this.db.manager.findOneBy(AnnualReportRow, { year });
  }

  async all(): Promise<AnnualReportRow[]> {
    return this.db.manager.find(AnnualReportRow, { order: { year: 'DESC' } });
  }

  async publishedYears(): Promise<{ year: number; publishedAt: Date; contentHash: string }[]> {
    const rows = await this.db.manager.find(AnnualReportRow, {
      select: { year: true, publishedAt: true, contentHash: true },
      where: { status: 'published' },
      order: { year: 'DESC' },
    });
    return rows.map((r) => ({ year: r.year, publishedAt: r.publishedAt!, contentHash: r.contentHash! }));
  }

  /** The published report as frozen, or null. */
  async published(year: number): Promise<{ report: AnnualReport; row: AnnualReportRow } | null> {
    const row = await this.find(year);
    if (!row || row.status !== 'published' || !row.content) return null;
    return { report: JSON.parse(row.content) as AnnualReport, row };
  }

  /** The report as it would be published now: the data of today with the texts saved (or none yet). */
  async compute(year: number, row?: AnnualReportRow | null): Promise<AnnualReport> {
    const r = row === undefined ? await this.find(year) : row;
    const end = `${year}-12-31`;
    const [current, previous, requests, reviews] = await Promise.all([
      this.statistics.year(year),
      this.statistics.year(year - 1),
      this.db.consistentRead((em) =>
        em
          .createQueryBuilder(DisclosureRequest, 'r')
          .select(['r.id', 'r.applicantType', 'r.receivedOn', 'r.outcome', 'r.outcomeReason', 'r.answeredOn'])
          .where('r.received_on <= :end', { end })
          .getMany(),
      ),
      this.db.consistentRead((em) =>
        em
          .createQueryBuilder(DisclosureReview, 'v')
          .select(['v.id', 'v.kind', 'v.lawsuitRoute', 'v.outcome', 'v.filedOn', 'v.decidedOn'])
          .where('v.filed_on <= :end', { end })
          .getMany(),
      ),
    ]);
    return computeAnnualReport({
      year,
      organisation: this.config.site.name,
      current,
      previous,
      requests,
      reviews,
      baseline: r ? (JSON.parse(r.baseline) as Baseline) : {},
      texts: { overview: r?.overviewText ?? '', problems: r?.problemsText ?? '', other: r?.otherText ?? '' },
    });
  }

  /**
   * Saves the texts and figures of a draft (creating it); a submitted report goes back to draft. Two first saves
   * of a year at once both find no row to lock: the one that loses the insert tries again and updates.
   */
  async save(actor: Actor, year: number, form: ReportForm): Promise<AnnualReportRow> {
    try {
      return await this.saveOnce(actor, year, form);
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      return this.saveOnce(actor, year, form);
    }
  }

  private async saveOnce(actor: Actor, year: number, form: ReportForm): Promise<AnnualReportRow> {
    const input = parseForm(form);
    return this.db.transaction(async (em) => {
      const row = await this.lock(em, year);
      if (row?.status === 'published') throw new AppError('workflow.not-editable', `${year}年度报告已发布，不能再修改`);
      const now = this.clock.now();
      const next = em.create(AnnualReportRow, {
        ...(row ?? {
          year,
          createdAt: now,
          submittedBy: null,
          submittedAt: null,
          publishedBy: null,
          publishedAt: null,
        }),
        status: 'draft',
        overviewText: input.overview,
        problemsText: input.problems,
        otherText: input.other,
        baseline: JSON.stringify(input.baseline),
        editedBy: actor.userId,
        content: null,
        contentHash: null,
        updatedAt: now,
      });
      const saved = await em.save(AnnualReportRow, next);
      await this.audit.record(
        em,
        actor,
        'annual-report.saved',
        'annual-report',
        String(year),
        row && image(row),
        image(saved),
      );
      return saved;
    });
  }

  async submit(actor: Actor, year: number): Promise<void> {
    await this.db.transaction(async (em) => {
      const row = await this.lock(em, year);
      if (!row) throw notFound(`${year}年度报告`);
      if (row.status !== 'draft') throw new AppError('workflow.not-draft', '只有草稿可以提交审核');
      const before = image(row);
      row.status = 'submitted';
      row.submittedBy = actor.userId;
      row.submittedAt = this.clock.now();
      row.reviewNote = null;
      row.updatedAt = this.clock.now();
      await em.save(AnnualReportRow, row);
      await this.audit.record(em, actor, 'annual-report.submitted', 'annual-report', String(year), before, image(row));
    });
  }

  /** The reviewer sends it back to draft with a note. */
  async reject(actor: Actor, year: number, note: string): Promise<void> {
    const text = note.trim();
    if (!text || text.length > 2000)
      throw validationFailed([{ field: 'note', message: '退回意见：必填，不超过 2000 字' }], '请填写退回意见');
    await this.db.transaction(async (em) => {
      const row = await this.submitted(em, year);
      this.requireOtherThanAuthor(actor, row);
      const before = image(row);
      row.status = 'draft';
      row.reviewNote = text;
      row.updatedAt = this.clock.now();
      await em.save(AnnualReportRow, row);
      await this.audit.record(em, actor, 'annual-report.rejected', 'annual-report', String(year), before, image(row));
    });
  }

  /**
   * Approves and publishes: the report is computed once more, frozen with its hash, and appended to the
   * publication log in the same transaction (never the change feed, OCDS or the pushes: it is no trading notice).
   */
  async publish(actor: Actor, year: number): Promise<AnnualReportRow> {
    if (year >= this.currentYear())
      throw new AppError('workflow.not-submitted', `${year}年尚未结束，年度报告要到次年才能发布`);
    // Computed before the write transaction (the reads take their own snapshot); the transaction then checks
    // that the report was not changed meanwhile.
    const seen = await this.find(year);
    if (!seen) throw notFound(`${year}年度报告`);
    if (seen.status !== 'submitted') throw new AppError('workflow.not-submitted', '只有待审核的年度报告可以审核');
    this.requireOtherThanAuthor(actor, seen);
    const { json, hash } = freeze(await this.compute(year, seen));
    return this.db.transaction(async (em) => {
      const row = await this.submitted(em, year);
      this.requireOtherThanAuthor(actor, row);
      if (row.updatedAt.getTime() !== seen.updatedAt.getTime())
        throw new AppError('workflow.not-submitted', '年度报告在审核期间被修改，请重新打开后再审核');
      const before = image(row);
      row.status = 'published';
      row.publishedBy = actor.userId;
      row.publishedAt = this.clock.now();
      row.content = json;
      row.contentHash = hash;
      row.updatedAt = this.clock.now();
      await em.save(AnnualReportRow, row);
      await this.log.appendAnnualReport(em, { year, recordedAt: row.publishedAt, contentHash: hash });
      await this.audit.record(em, actor, 'annual-report.published', 'annual-report', String(year), before, image(row));
      return row;
    });
  }

  /**
   * Art. 49: the previous year's report is due by 31 January. From 1 December the year about to end is due; the
   * reminder stays until it is published (after 31 January it says the date has passed).
   */
  async reminder(): Promise<{ year: number; deadline: string; overdue: boolean; status: string } | null> {
    const today = chinaDate(this.clock.now());
    const thisYear = Number(today.slice(0, 4));
    const year = today.slice(5, 7) === '12' ? thisYear : thisYear - 1;
    const deadline = `${year + 1}-01-31`;
    const row = await this.find(year);
    if (row?.status === 'published') return null;
    return { year, deadline, overdue: today > deadline, status: row ? STATUS_LABELS[row.status] : '尚未起草' };
  }

  private async lock(em: EntityManager, year: number) {
    return forUpdate(
      em.createQueryBuilder(AnnualReportRow, 'a').where('a.year = :year', { year }),
      this.db.dialect,
    ).getOne();
  }

  private async submitted(em: EntityManager, year: number) {
    const row = await this.lock(em, year);
    if (!row) throw notFound(`${year}年度报告`);
    if (row.status !== 'submitted') throw new AppError('workflow.not-submitted', '只有待审核的年度报告可以审核');
    return row;
  }

  /** Four-eyes: whoever submitted it or last changed it may not approve or return it. */
  private requireOtherThanAuthor(actor: Actor, row: AnnualReportRow) {
    if (actor.userId === row.submittedBy || actor.userId === row.editedBy)
      throw new AppError('workflow.four-eyes', '审核人不能是年度报告的起草人或提交人（双人复核）');
  }
}

/** The audit image: status, who, texts' lengths, entered figures and the hash (the texts themselves are in the row). */
function image(r: AnnualReportRow) {
  return {
    year: r.year,
    status: r.status,
    overviewText: r.overviewText,
    problemsText: r.problemsText,
    otherText: r.otherText,
    baseline: JSON.parse(r.baseline) as Baseline,
    editedBy: r.editedBy,
    submittedBy: r.submittedBy,
    reviewNote: r.reviewNote,
    publishedBy: r.publishedBy,
    publishedAt: r.publishedAt,
    contentHash: r.contentHash,
  };
}

/** The staff form's fields, as its errors and its page name them. */
export const REPORT_FORM_LABELS = {
  overview: '一、总体情况（文字部分）',
  problems: '五、存在的主要问题及改进情况',
  other: '六、其他需要报告的事项',
  itemsTotal: '上年公开公共资源交易信息（条）',
  completed: '上年完成交易项目（个）',
  amountYuan: '上年交易金额（元）',
  requestsReceived: '上年新收政府信息公开申请（件）',
};

/** Validates the staff form: every error names its field; nothing is written on any error. */
export function parseForm(form: ReportForm): {
  overview: string;
  problems: string;
  other: string;
  baseline: Baseline;
} {
  const errors: FieldError[] = [];
  const text = (k: 'overview' | 'problems' | 'other') => {
    const v = form[k] === undefined ? '' : form[k];
    if (typeof v !== 'string') {
      errors.push({ field: k, message: `${REPORT_FORM_LABELS[k]}：应为一段文字` });
      return '';
    }
    const t = v.replace(/\r\n/g, '\n').trim();
    if (t.length > MAX_TEXT)
      errors.push({ field: k, message: `${REPORT_FORM_LABELS[k]}：不超过 ${MAX_TEXT} 字（现有 ${t.length} 字）` });
    return t;
  };
  const baseline: Baseline = {};
  const count = (k: 'itemsTotal' | 'completed' | 'requestsReceived') => {
    const v = form[k];
    if (v === undefined || v === '') return;
    if (typeof v !== 'string' || !/^\d{1,10}$/.test(v.trim()) || Number(v) > MAX_COUNT) {
      errors.push({ field: k, message: `${REPORT_FORM_LABELS[k]}：应为不小于 0 的整数，留空表示不填` });
      return;
    }
    baseline[k] = Number(v.trim());
  };
  const overview = text('overview');
  const problems = text('problems');
  const other = text('other');
  count('itemsTotal');
  count('completed');
  const amount = form.amountYuan;
  if (amount !== undefined && amount !== '') {
    const v = typeof amount === 'string' ? amount.trim().replace(/,/g, '') : '';
    let fen: bigint | null = null;
    if (/^\d{1,15}(\.\d{1,2})?$/.test(v)) {
      try {
        fen = parseAmount(v, '元');
      } catch {
        fen = null;
      }
    }
    if (fen === null)
      errors.push({
        field: 'amountYuan',
        message: `${REPORT_FORM_LABELS.amountYuan}：应为以元为单位的金额，最多两位小数，留空表示不填`,
      });
    else baseline.amountFen = fen.toString();
  }
  count('requestsReceived');
  if (errors.length) throw validationFailed(errors, '提交的内容有误，请按提示修改');
  return { overview, problems, other, baseline };
}
