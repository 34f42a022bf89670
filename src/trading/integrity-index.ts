import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { Database } from '../database/database.js';
import { forUpdate, forUpdateSql, sqlDateTime, upsertAddSql, sqlMarks } from '../database/dialect.js';
import { categoryBySlug, regionPrefix, regionPrefixes } from '../domain/catalog.js';
import { chinaDate } from '../domain/china-time.js';
import type { TimingRule } from '../domain/timing-rules.js';
import type { WorkingDayCalendar } from '../domain/working-days.js';
import { JobRunner, type JobContext } from '../jobs/job-runner.js';
import { CalendarService } from './calendar.service.js';
import {
  defaultThresholds,
  INDICATORS,
  indicatorById,
  lotFacts,
  lotFlags,
  marginRatio,
  projectFlags,
  tukeyFences,
  type IndicatorId,
  type ProjectInput,
  type RaisedFlag,
  type Thresholds,
  type TrailNotice,
} from './integrity-rules.js';
import { Notice, storedPublishedAt } from './notice.entity.js';
import { ORG_FACT, ORG_TOTAL } from './organization-index.js';
import { OWNER_ROLES } from './organization-facts.js';
import { ProjectParty } from './project-party.entity.js';
import { Project } from './project.entity.js';
import { bumpSettingsVersion } from './settings-version.js';
import { TimingRulesService } from './timing-rules.service.js';

export const FLAGS = 'integrity_flag';
export const FLAG_KEYS = 'integrity_flag_key';
export const FLAG_COUNTS = 'integrity_count';
const RATIOS = 'integrity_ratio';
const COHORTS = 'integrity_cohort';
export const THRESHOLDS = 'integrity_threshold';

const LOT_INDICATORS = INDICATORS.filter((i) => i.scope === 'lot' || i.scope === 'project').map((i) => i.id);
const COHORT_INDICATORS: IndicatorId[] = ['narrow-margin', 'wide-discount'];
export const INTEGRITY_JOB = 'integrity-cohorts';
/** The marker row of integrity_cohort that asks the job to recompute every project (thresholds changed). */
const RECOMPUTE_ALL = '*';
/** A marker row `p:{projectId}` asks the job to recompute one project (its flags failed at publication). */
const PROJECT_MARK = 'p:';
/** Projects recomputed per transaction by recomputeAll: their notices are one range read, their flags a few statements. */
const RECOMPUTE_BATCH = 500;
/** Buyer-years (org_total `b|` keys) per transaction of recomputeAll's repeat-winner pass. */
const BUYER_BATCH = 500;
/** Rows per multi-row INSERT (flags carry 17 values, keys 3). */
const FLAG_ROWS_PER_INSERT = 100;
const KEY_ROWS_PER_INSERT = 500;

/** Asks the job to recompute every project's flags at its next run (a marker row: a restart resumes it). */
export async function requestIntegrityRecompute(em: EntityManager, dialect: Database['dialect']): Promise<void> {
  await em.query(upsertAddSql(dialect, COHORTS, ['cohort'], ['dirty'], 1), [RECOMPUTE_ALL, 1]);
}

/** A flag to write. */
interface NewFlag {
  indicator: IndicatorId;
  projectId: string | null;
  lotCode: string;
  buyerCode: string | null;
  orgCode: string | null;
  category: string;
  regionCode: string;
  year: string;
  /** China date of the notice the flag's facts last changed with (lists sort and filter by it); `year` is its year. */
  date: string;
  noticeId: string | null;
  values: Record<string, unknown>;
  thresholds: Record<string, number>;
  q1?: number;
  q3?: number;
  n?: number;
}

/** A lot's margin ratio, stored by cohort (category and year) for the Tukey fences. */
interface Ratio {
  projectId: string;
  lotCode: string;
  cohort: string;
  ratio: number;
  regionCode: string;
  noticeId: string;
  date: string;
}

/** A published notice of a project as the indicators read it (withdrawn ones included: their results' years count). */
type ProjectNotice = Pick<Notice, 'id' | 'type' | 'details' | 'publishedAt' | 'withdrawnAt'>;
const NOTICE_FIELDS = ['n.id', 'n.projectId', 'n.type', 'n.details', 'n.publishedAt', 'n.withdrawnAt', 'n.logSeq'];

/** What the project-level computation reads besides the project's notices: loaded once per publication or batch. */
interface RuleSet {
  t: Thresholds;
  rules: TimingRule[];
  calendar: WorkingDayCalendar;
}

/** The count keys a flag adds one to: by indicator, with its category, and with its category and year. */
export const flagCountKeys = (f: { indicator: string; category: string; year: string }) => [
  `i=${f.indicator}`,
  `i=${f.indicator}|c=${f.category}`,
  `i=${f.indicator}|c=${f.category}|y=${f.year}`,
];

/**
 * The list key of a filter (table integrity_flag_key): its indicator, category and region prefix (regionPrefix: a
 * region matches itself and every region under it), each empty when the filter leaves it open.
 */
export function flagFilterKey(filter: { indicator?: string; category?: string; region?: string }): string {
  return `${filter.indicator ?? ''}|${filter.category ?? ''}|${filter.region ? regionPrefix(filter.region) : ''}`;
}

/**
 * Every list key a flag is found under: its indicator or any × its category or any × its region's 2-, 4- and
 * 6-digit prefixes or any (as search-grams' filterKeys cuts a notice's region): at most 16.
 */
export function flagFilterKeys(f: { indicator: string; category: string; regionCode: string }): string[] {
  const regions = ['', ...regionPrefixes(f.regionCode)];
  const keys: string[] = [];
  for (const indicator of ['', f.indicator])
    for (const category of ['', f.category])
      for (const region of regions) keys.push(`${indicator}|${category}|${region}`);
  return keys;
}

/**
 * A project's lot and project flags and its lots' margin ratios, from its published notices in publication order
 * (withdrawn ones are left out here). Pure: publication (projectChanged) and recomputeAll both use it, so a batch
 * recompute writes what the publications wrote.
 */
function projectIndicators(
  project: ProjectInput,
  notices: ProjectNotice[],
  { t, rules, calendar }: RuleSet,
): { flags: NewFlag[]; ratios: Ratio[] } {
  const trail: TrailNotice[] = notices
    .filter((n) => !n.withdrawnAt && n.publishedAt)
    .map((n) => ({ id: n.id, type: n.type, details: n.details, publishedAt: n.publishedAt! }));
  const dateOf = new Map(trail.map((n) => [n.id, chinaDate(n.publishedAt)]));
  const flags: NewFlag[] = [];
  const add = (f: RaisedFlag, date: string, noticeId: string | null) =>
    flags.push({
      indicator: f.indicator,
      projectId: project.id,
      lotCode: f.lotCode,
      buyerCode: null,
      orgCode: orgOf(f),
      category: project.category,
      regionCode: project.regionCode,
      year: date.slice(0, 4),
      date,
      noticeId,
      values: f.values,
      thresholds: t[f.indicator] ?? {},
    });
  const lots = lotFacts(project, trail);
  for (const l of lots) for (const f of lotFlags(l, t)) add(f, dateOf.get(l.noticeId)!, l.noticeId);
  if (trail.length) {
    // A project's own indicators change with any of its notices: dated by the latest.
    const latest = chinaDate(trail[trail.length - 1].publishedAt);
    const announcement = trail.find((n) => n.type === 'tender' || n.type === 'procurement')?.id ?? null;
    for (const f of projectFlags(project, trail, rules, calendar, t)) add(f, latest, announcement);
  }
  const ratios: Ratio[] = [];
  for (const l of lots) {
    const ratio = marginRatio(l);
    if (ratio === null) continue;
    const date = dateOf.get(l.noticeId)!;
    ratios.push({
      projectId: project.id,
      lotCode: l.lotCode,
      cohort: `${project.category}|${date.slice(0, 4)}`,
      ratio,
      regionCode: project.regionCode,
      noticeId: l.noticeId,
      date,
    });
  }
  return { flags, ratios };
}

const projectInput = (p: Pick<Project, 'id' | 'category' | 'regionCode' | 'procurementMethod'>): ProjectInput => ({
  id: p.id,
  category: p.category,
  family: categoryBySlug(p.category)?.family ?? '',
  regionCode: p.regionCode,
  procurementMethod: p.procurementMethod,
});

/** The first instant of a China year and of the next, the range of its publications. */
const chinaYear = (year: string) => ({
  start: new Date(`${year}-01-01T00:00:00+08:00`),
  end: new Date(`${Number(year) + 1}-01-01T00:00:00+08:00`),
});

/**
 * Keeps the integrity flags current. In the publishing transaction a project's lot and project indicators are
 * recomputed from its published, not withdrawn, notices (bounded by the project's notices), its lots' margin
 * ratios are stored by cohort (category and year), and an award recomputes its buyer's repeat-winner flags for the
 * year from the kept organisation totals. A job recomputes the Tukey fences of the cohorts that changed and their
 * outlier flags (a fence moves for everyone in the cohort, so that is not left to one publication).
 *
 * Every flag is written with its list keys (integrity_flag_key, flagFilterKeys), so a list filtered by
 * indicator, category, region and dates is one index range whatever the number of flags.
 */
@Injectable()
export class IntegrityIndex implements OnModuleInit {
  constructor(
    private readonly db: Database,
    private readonly rules: TimingRulesService,
    private readonly calendar: CalendarService,
    private readonly runner: JobRunner,
    private readonly clock: Clock,
  ) {}

  private readonly logger = new Logger('IntegrityIndex');

  onModuleInit() {
    this.runner.register(INTEGRITY_JOB, 60_000, (ctx) => this.recomputeCohorts(ctx));
  }

  /** A time as the driver binds it into raw SQL (as published_at is stored). */
  private at(em: EntityManager, date: Date): unknown {
    return storedPublishedAt(em.connection, date);
  }

  /**
   * projectChanged in a savepoint of the publishing transaction: the flags are derived data, so a failure there
   * is logged and the project left to the job (a marker row), never a failed publication.
   */
  async projectChangedOrLater(em: EntityManager, projectId: string): Promise<void> {
    try {
      await em.transaction((inner) => this.projectChanged(inner, projectId));
    } catch (e) {
      this.logger.error(`integrity flags of project ${projectId} left to the job: ${(e as Error).message}`);
      await em.query(upsertAddSql(this.db.dialect, COHORTS, ['cohort'], ['dirty'], 1), [
        `${PROJECT_MARK}${projectId}`,
        1,
      ]);
    }
  }

  /**
   * Whether every flag is being recomputed (thresholds saved, or an upgrade that changed indicators): until the
   * job has gone through every project, lists and counts may be incomplete, and the pages say so.
   */
  async recomputing(): Promise<boolean> {
    const rows: unknown[] = await this.db.manager.query(
      `SELECT 1 AS x FROM ${COHORTS} WHERE cohort = ? AND dirty > 0`,
      [RECOMPUTE_ALL],
    );
    return rows.length > 0;
  }

  async thresholds(em: EntityManager = this.db.manager): Promise<Thresholds> {
    const t = defaultThresholds();
    const rows: { indicator: string; threshold_key: string; value: string }[] = await em.query(
      `SELECT indicator, threshold_key, value FROM ${THRESHOLDS}`,
    );
    for (const r of rows)
      if (t[r.indicator] && r.threshold_key in t[r.indicator]) t[r.indicator][r.threshold_key] = Number(r.value);
    return t;
  }

  private async ruleSet(em: EntityManager, thresholds?: Thresholds): Promise<RuleSet> {
    return {
      t: thresholds ?? (await this.thresholds(em)),
      rules: await this.rules.all(em),
      calendar: await this.calendar.load(em),
    };
  }

  /**
   * Stores an administrator's thresholds (the caller's transaction, audited by the caller) and asks the job to
   * recompute every flag with them; cached pages stop being served at once (the settings version).
   */
  async setThresholds(em: EntityManager, values: Thresholds, actorId: number | null): Promise<void> {
    const now = this.at(em, this.clock.now());
    await em.query(`DELETE FROM ${THRESHOLDS}`);
    for (const [indicator, keys] of Object.entries(values))
      for (const [key, value] of Object.entries(keys))
        await em.query(
          `INSERT INTO ${THRESHOLDS} (indicator, threshold_key, value, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)`,
          [indicator, key, String(value), now, actorId],
        );
    await requestIntegrityRecompute(em, this.db.dialect);
    await bumpSettingsVersion(this.db, em);
  }

  /** A project's flags (its page lists them). */
  async projectFlags(projectId: string): Promise<FlagRow[]> {
    const rows: Record<string, unknown>[] = await this.db.manager.query(
      `SELECT * FROM ${FLAGS} WHERE project_id = ? ORDER BY indicator, lot_code, id LIMIT 200`,
      [projectId],
    );
    return rows.map(flagRow);
  }

  /** Recomputes a project's flags after a notice of it was published (the caller's transaction). */
  async projectChanged(em: EntityManager, projectId: string, thresholds?: Thresholds): Promise<void> {
    const rules = await this.ruleSet(em, thresholds);
    const project = await em.findOneByOrFail(Project, { id: projectId });
    const notices = await em
      .createQueryBuilder(Notice, 'n')
      .select(NOTICE_FIELDS)
      .where('n.project_id = :projectId AND n.status = :published', { projectId, published: 'published' })
      .orderBy('n.logSeq', 'ASC')
      .getMany();
    const { flags, ratios } = projectIndicators(projectInput(project), notices, rules);
    await this.replaceFlags(
      em,
      {
        where: `project_id = ? AND indicator IN (${sqlMarks(LOT_INDICATORS)})`,
        params: [projectId, ...LOT_INDICATORS],
      },
      flags,
    );

    // Margin ratios by cohort: the cohorts this project's lots left or joined are recomputed by the job.
    const before: { cohort: string }[] = await em.query(`SELECT cohort FROM ${RATIOS} WHERE project_id = ?`, [
      projectId,
    ]);
    await em.query(`DELETE FROM ${RATIOS} WHERE project_id = ?`, [projectId]);
    await this.insertRatios(em, ratios);
    await this.markCohorts(em, [...before.map((r) => r.cohort), ...ratios.map((r) => r.cohort)]);

    // The buyer's winners of each year this project's results fall in (a withdrawn result's year too).
    const buyers = (await em.findBy(ProjectParty, { projectId, role: In(OWNER_ROLES as string[]) })).map(
      (p) => p.creditCode,
    );
    const years = new Set(notices.filter((n) => n.type === 'result').map((n) => chinaDate(n.publishedAt!).slice(0, 4)));
    for (const buyer of [...new Set(buyers)].sort())
      for (const year of [...years].sort()) await this.buyerChanged(em, buyer, year, rules.t);
  }

  private async insertRatios(em: EntityManager, ratios: Ratio[]) {
    for (let i = 0; i < ratios.length; i += FLAG_ROWS_PER_INSERT) {
      const chunk = ratios.slice(i, i + FLAG_ROWS_PER_INSERT);
      await em.query(
        `INSERT INTO ${RATIOS} (project_id, lot_code, cohort, ratio, region_code, notice_id, notice_date) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        chunk.flatMap((r) => [r.projectId, r.lotCode, r.cohort, r.ratio, r.regionCode, r.noticeId, r.date]),
      );
    }
  }

  /** Asks the job to recompute these cohorts' fences (in key order, so concurrent publishers wait, not deadlock). */
  private async markCohorts(em: EntityManager, cohorts: string[]) {
    const sorted = [...new Set(cohorts)].sort();
    if (sorted.length)
      await em.query(
        upsertAddSql(this.db.dialect, COHORTS, ['cohort'], ['dirty'], sorted.length),
        sorted.flatMap((c) => [c, 1]),
      );
  }

  /**
   * Rewrites the repeat-winner flags of one buyer and year from the kept award totals (org_total). The buyer-year's
   * total is read locked: publications that change the same buyer's flags take turns, each reading the latest
   * totals.
   */
  private async buyerChanged(em: EntityManager, buyer: string, year: string, t: Thresholds) {
    const rows: { total_key: string; n: unknown }[] = await em.query(
      `SELECT total_key, n FROM ${ORG_TOTAL} WHERE total_key = ? OR (total_key >= ? AND total_key < ?)${forUpdateSql(this.db.dialect)}`,
      [`b|${buyer}|${year}`, `bw|${buyer}|${year}|`, `bw|${buyer}|${year}}`],
    );
    const flags = await this.repeatWinnerFlags(em, buyer, rows, t);
    await this.replaceFlags(
      em,
      { where: 'buyer_code = ? AND year = ? AND indicator = ?', params: [buyer, year, 'repeat-winner'] },
      flags,
    );
  }

  /**
   * The repeat-winner flags of a buyer, from its `b|{buyer}|{year}` and `bw|{buyer}|{year}|{winner}` totals: where
   * the buyer had at least the minimum of awards in a year and one winner more than the share of them, a flag on
   * every project that winner was awarded by this buyer that year (its award notices of the year, not withdrawn, on
   * projects whose 招标人/采购人 is the buyer). Each flag carries the buyer-year's figures.
   *
   * The indicator is a share of a buyer's awards, but the issue computes indicators per project and the pages drill
   * down to flagged projects: these awards are what makes the share, so each carries the flag, and a project page
   * shows it where the concentrated winner won. (It used to sit on whichever of the buyer's projects was published
   * last — possibly one another bidder won — so the flagged project depended on publication order.) The rows are
   * the concentrated winners' awards of that buyer-year, rewritten with each of its awards: bounded by the buyer.
   */
  private async repeatWinnerFlags(
    em: EntityManager,
    buyer: string,
    totals: { total_key: string; n: unknown }[],
    t: Thresholds,
  ): Promise<NewFlag[]> {
    const th = t['repeat-winner'];
    const buyerTotals = new Map<string, number>();
    for (const r of totals) if (r.total_key.startsWith('b|')) buyerTotals.set(r.total_key.split('|')[2], Number(r.n));
    const flags: NewFlag[] = [];
    for (const r of totals) {
      if (!r.total_key.startsWith('bw|')) continue;
      const [, , year, winner] = r.total_key.split('|');
      const total = buyerTotals.get(year) ?? 0;
      const awards = Number(r.n);
      if (total < th.minimumAwards || awards <= 0 || awards / total <= th.share) continue;
      const values = { awards, buyerAwards: total, share: Math.round((awards / total) * 10000) / 10000 };
      for (const p of await this.awardedProjects(em, winner, buyer, year))
        flags.push({
          indicator: 'repeat-winner',
          projectId: p.projectId,
          lotCode: '',
          buyerCode: buyer,
          orgCode: winner,
          category: p.category,
          regionCode: p.regionCode,
          year,
          date: p.date,
          noticeId: p.noticeId,
          values,
          thresholds: th,
        });
    }
    return flags;
  }

  /** The projects a winner was awarded by a buyer in a China year, each with its latest award notice of that year. */
  private async awardedProjects(em: EntityManager, winner: string, buyer: string, year: string) {
    const { start, end } = chinaYear(year);
    const rows: Record<string, unknown>[] = await em.query(
      `SELECT f.project_id, f.notice_id, f.published_at, f.category, f.region_code FROM ${ORG_FACT} f
       WHERE f.credit_code = ? AND f.section = 'award' AND f.published_at >= ? AND f.published_at < ?
         AND f.role = 'winner' AND f.withdrawn = 0
         AND EXISTS (SELECT 1 FROM project_party p WHERE p.project_id = f.project_id AND p.credit_code = ? AND p.role IN (${sqlMarks(OWNER_ROLES)}))
       ORDER BY f.published_at, f.id`,
      [winner, this.at(em, start), this.at(em, end), buyer, ...OWNER_ROLES],
    );
    const byProject = new Map<
      string,
      { projectId: string; noticeId: string; date: string; category: string; regionCode: string }
    >();
    for (const r of rows)
      byProject.set(String(r.project_id), {
        projectId: String(r.project_id),
        noticeId: String(r.notice_id),
        date: chinaDate(sqlDateTime(r.published_at)!),
        category: String(r.category),
        regionCode: String(r.region_code),
      });
    return [...byProject.values()].sort((a, b) => (a.projectId < b.projectId ? -1 : a.projectId > b.projectId ? 1 : 0));
  }

  /**
   * Deletes the flags `scope` selects and writes `flags` in their place, with their list keys, keeping the counts
   * exact, in a few multi-row statements whatever the number of flags. Returns whether the set of flagged subjects
   * changed (not only their figures: a cohort's Q1, Q3 and n move with every new lot).
   *
   * The new flags' ids (for their keys) are read back by the same scope: each scope has one writer at a time (a
   * project's publications hold its row, a buyer-year's its locked total, the cohorts run in the job).
   */
  private async replaceFlags(
    em: EntityManager,
    scope: { where: string; params: unknown[] },
    flags: NewFlag[],
  ): Promise<boolean> {
    const old: {
      id: unknown;
      indicator: string;
      category: string;
      year: string;
      project_id: string | null;
      lot_code: string;
      org_code: string | null;
    }[] = await em.query(
      `SELECT id, indicator, category, year, project_id, lot_code, org_code FROM ${FLAGS} WHERE ${scope.where}`,
      scope.params,
    );
    const subject = (f: { indicator: string; projectId: string | null; lotCode: string; orgCode: string | null }) =>
      `${f.indicator}|${f.projectId}|${f.lotCode}|${f.orgCode}`;
    const before = new Set(
      old.map((f) =>
        subject({ indicator: f.indicator, projectId: f.project_id, lotCode: f.lot_code ?? '', orgCode: f.org_code }),
      ),
    );
    const after = new Set(flags.map(subject));
    const changed = before.size !== after.size || [...after].some((k) => !before.has(k));
    const counts = new Map<string, number>();
    for (const f of old) for (const k of flagCountKeys(f)) counts.set(k, (counts.get(k) ?? 0) - 1);
    for (const f of flags) for (const k of flagCountKeys(f)) counts.set(k, (counts.get(k) ?? 0) + 1);
    if (old.length) {
      const ids = old.map((f) => Number(f.id));
      for (let i = 0; i < ids.length; i += KEY_ROWS_PER_INSERT) {
        const chunk = ids.slice(i, i + KEY_ROWS_PER_INSERT);
        await em.query(`DELETE FROM ${FLAG_KEYS} WHERE flag_id IN (${sqlMarks(chunk)})`, chunk);
      }
      await em.query(`DELETE FROM ${FLAGS} WHERE ${scope.where}`, scope.params);
    }
    const now = this.at(em, this.clock.now());
    for (let i = 0; i < flags.length; i += FLAG_ROWS_PER_INSERT) {
      const chunk = flags.slice(i, i + FLAG_ROWS_PER_INSERT);
      await em.query(
        `INSERT INTO ${FLAGS} (indicator, indicator_version, project_id, lot_code, buyer_code, org_code, category, region_code, year, flag_date, notice_id, flag_values, thresholds, q1, q3, cohort_n, computed_at)
         VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        chunk.flatMap((f) => [
          f.indicator,
          indicatorById(f.indicator)!.version,
          f.projectId,
          f.lotCode,
          f.buyerCode,
          f.orgCode,
          f.category,
          f.regionCode,
          f.year,
          f.date,
          f.noticeId,
          JSON.stringify(f.values),
          JSON.stringify(f.thresholds),
          f.q1 === undefined ? null : String(f.q1),
          f.q3 === undefined ? null : String(f.q3),
          f.n ?? null,
          now,
        ]),
      );
    }
    if (flags.length) {
      const written: { id: unknown; indicator: string; category: string; region_code: string; flag_date: string }[] =
        await em.query(
          `SELECT id, indicator, category, region_code, flag_date FROM ${FLAGS} WHERE ${scope.where}`,
          scope.params,
        );
      const keys = written.flatMap((f) =>
        flagFilterKeys({ indicator: f.indicator, category: f.category, regionCode: f.region_code }).map((k) => [
          k,
          f.flag_date,
          Number(f.id),
        ]),
      );
      for (let i = 0; i < keys.length; i += KEY_ROWS_PER_INSERT) {
        const chunk = keys.slice(i, i + KEY_ROWS_PER_INSERT);
        await em.query(
          `INSERT INTO ${FLAG_KEYS} (filter_key, flag_date, flag_id) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}`,
          chunk.flat(),
        );
      }
    }
    const keys = [...counts.keys()].filter((k) => counts.get(k) !== 0).sort();
    if (keys.length)
      await em.query(
        upsertAddSql(this.db.dialect, FLAG_COUNTS, ['count_key'], ['flags'], keys.length),
        keys.flatMap((k) => [k, counts.get(k)]),
      );
    return changed;
  }

  /**
   * The job: for each cohort whose ratios changed, the Tukey fences over all its ratios and its outlier flags,
   * each carrying Q1, Q3, n and the time it was computed. No fence while n is below the minimum or the IQR is 0.
   */
  async recomputeCohorts(ctx?: JobContext): Promise<number> {
    // Thresholds changed: every project first (the marker stays until that is done, so a restart resumes it).
    const all: { dirty: unknown }[] = await this.db.manager.query(
      `SELECT dirty FROM ${COHORTS} WHERE cohort = ? AND dirty > 0`,
      [RECOMPUTE_ALL],
    );
    if (all.length) {
      await this.recomputeAll();
      await this.db.transaction(async (em) => {
        // Less only the requests this run answered: thresholds saved while it ran ask for another.
        await em.query(`UPDATE ${COHORTS} SET dirty = dirty - ? WHERE cohort = ?`, [
          Number(all[0].dirty),
          RECOMPUTE_ALL,
        ]);
        // Pages rendered while the flags were being recomputed are dropped.
        await bumpSettingsVersion(this.db, em);
      });
    }
    const projects: { cohort: string }[] = await this.db.manager.query(
      `SELECT cohort FROM ${COHORTS} WHERE cohort LIKE 'p:%' AND dirty > 0 ORDER BY cohort LIMIT 1000`,
    );
    for (const { cohort } of projects) {
      await this.db.transaction(async (em) => {
        await this.projectChanged(em, cohort.slice(PROJECT_MARK.length));
        await em.query(`DELETE FROM ${COHORTS} WHERE cohort = ?`, [cohort]);
        // No publication moves the log's head here: cached pages must learn of the new flags another way.
        await bumpSettingsVersion(this.db, em);
      });
    }
    let done = 0;
    for (;;) {
      if (ctx && !ctx.held) return done;
      // Cohorts are `category|year`; the marker rows have no bar.
      const dirty: { cohort: string }[] = await this.db.manager.query(
        `SELECT cohort FROM ${COHORTS} WHERE dirty > 0 AND cohort LIKE '%|%' ORDER BY cohort LIMIT 20`,
      );
      if (!dirty.length) return done;
      for (const { cohort } of dirty) {
        await this.db.transaction(async (em) => {
          // Cached pages are dropped only when the cohort's outliers change; new Q1, Q3 and n alone show at the
          // next publication (the response cache is keyed by the log's head), so a busy cohort does not empty the
          // cache every minute.
          if (await this.recomputeCohort(em, cohort)) await bumpSettingsVersion(this.db, em);
        });
        done++;
      }
    }
  }

  private async recomputeCohort(em: EntityManager, cohort: string): Promise<boolean> {
    const t = await this.thresholds(em);
    const [category, year] = cohort.split('|');
    const rows: { ratio: unknown }[] = await em.query(`SELECT ratio FROM ${RATIOS} WHERE cohort = ? ORDER BY ratio`, [
      cohort,
    ]);
    const sorted = rows.map((r) => Number(r.ratio));
    const minimum = Math.max(t['narrow-margin'].minimumCohort, t['wide-discount'].minimumCohort);
    const fences = tukeyFences(sorted, minimum);
    const flags: NewFlag[] = [];
    if (fences) {
      const outliers: {
        project_id: string;
        lot_code: string;
        ratio: unknown;
        region_code: string;
        notice_id: string;
        notice_date: string;
      }[] = await em.query(
        `SELECT project_id, lot_code, ratio, region_code, notice_id, notice_date FROM ${RATIOS} WHERE cohort = ? AND (ratio < ? OR ratio > ?) ORDER BY ratio, project_id, lot_code`,
        [cohort, fences.low, fences.high],
      );
      for (const o of outliers) {
        const ratio = Number(o.ratio);
        const indicator: IndicatorId = ratio < fences.low ? 'narrow-margin' : 'wide-discount';
        flags.push({
          indicator,
          projectId: o.project_id,
          lotCode: o.lot_code,
          buyerCode: null,
          orgCode: null,
          category,
          regionCode: o.region_code,
          year,
          date: o.notice_date,
          noticeId: o.notice_id,
          values: { ratio, fence: indicator === 'narrow-margin' ? fences.low : fences.high },
          thresholds: t[indicator],
          q1: fences.q1,
          q3: fences.q3,
          n: fences.n,
        });
      }
    }
    const changed = await this.replaceFlags(
      em,
      {
        where: `category = ? AND year = ? AND indicator IN (${sqlMarks(COHORT_INDICATORS)})`,
        params: [category, year, ...COHORT_INDICATORS],
      },
      flags,
    );
    await em.query(`UPDATE ${COHORTS} SET dirty = 0, n = ?, q1 = ?, q3 = ?, computed_at = ? WHERE cohort = ?`, [
      sorted.length,
      fences ? String(fences.q1) : null,
      fences ? String(fences.q3) : null,
      this.at(em, this.clock.now()),
      cohort,
    ]);
    return changed;
  }

  /**
   * Recomputes every project's flags, every buyer's repeat-winner flags and marks every cohort for the job
   * (`npm run reindex`, and after thresholds change): the same flags the publications would have written, in
   * batches rather than project by project. Each transaction takes the next RECOMPUTE_BATCH published projects by
   * id (locked, so a publication of one of them waits for the batch rather than being overwritten by it), reads
   * their notices as one range of ix_notice_project, computes in memory (projectIndicators, with the thresholds,
   * timing rules and calendar read once) and replaces the batch's flags and ratios, by project id range, in
   * multi-row statements. The repeat-winner pass then walks the buyers' totals in key order the same way.
   */
  async recomputeAll(options: { batchSize?: number; onProgress?: (projects: number) => void } = {}): Promise<number> {
    const batchSize = options.batchSize ?? RECOMPUTE_BATCH;
    const rules = await this.ruleSet(this.db.manager);
    const lotScope = `indicator IN (${sqlMarks(LOT_INDICATORS)})`;
    const cohorts = new Set<string>();
    let after = '';
    let projects = 0;
    for (;;) {
      const done = await this.db.transaction(async (em) => {
        const rows = await forUpdate(
          em
            .createQueryBuilder(Project, 'p')
            .select(['p.id', 'p.category', 'p.regionCode', 'p.procurementMethod'])
            .where('p.id > :after AND p.first_published_at IS NOT NULL', { after })
            .orderBy('p.id', 'ASC')
            .limit(batchSize),
          this.db.dialect,
        ).getMany();
        // The last batch reaches past its last project, clearing the flags of any project no longer published.
        const last = rows.length === batchSize ? rows[rows.length - 1].id : null;
        const range = last === null ? 'project_id > ?' : 'project_id > ? AND project_id <= ?';
        const bounds = last === null ? [after] : [after, last];
        const notices = rows.length
          ? await em
              .createQueryBuilder(Notice, 'n')
              .select(NOTICE_FIELDS)
              .where(`n.project_id > :after${last === null ? '' : ' AND n.project_id <= :last'}`, { after, last })
              .andWhere('n.status = :published', { published: 'published' })
              .getMany()
          : [];
        const byProject = new Map<string, Notice[]>();
        for (const n of notices) byProject.set(n.projectId, [...(byProject.get(n.projectId) ?? []), n]);
        const flags: NewFlag[] = [];
        const ratios: Ratio[] = [];
        for (const p of rows) {
          const mine = (byProject.get(p.id) ?? []).sort((a, b) => Number(a.logSeq) - Number(b.logSeq));
          const computed = projectIndicators(projectInput(p), mine, rules);
          flags.push(...computed.flags);
          ratios.push(...computed.ratios);
        }
        await this.replaceFlags(
          em,
          { where: `${range} AND ${lotScope}`, params: [...bounds, ...LOT_INDICATORS] },
          flags,
        );
        await em.query(`DELETE FROM ${RATIOS} WHERE ${range}`, bounds);
        await this.insertRatios(em, ratios);
        for (const r of ratios) cohorts.add(r.cohort);
        if (last !== null) after = last;
        return { n: rows.length, final: last === null };
      });
      projects += done.n;
      options.onProgress?.(projects);
      if (done.final) break;
    }
    await this.recomputeRepeatWinners(rules.t);
    // Every cohort: those that had ratios (their rows) and those this pass found.
    await this.db.transaction(async (em) => {
      await em.query(`UPDATE ${COHORTS} SET dirty = 1 WHERE cohort LIKE '%|%'`);
      await this.markCohorts(em, [...cohorts]);
    });
    return projects;
  }

  /**
   * recomputeAll's repeat-winner pass: the buyers' `b|` totals in key order, BUYER_BATCH a transaction (locked, as
   * a publication locks the one it changes), each batch's buyers whole, their flags replaced by buyer code range
   * (the last range open-ended, so flags of a buyer no longer counted go too).
   */
  private async recomputeRepeatWinners(t: Thresholds): Promise<void> {
    let after = '';
    for (;;) {
      const done = await this.db.transaction(async (em) => {
        const rows: { total_key: string; n: unknown }[] = await em.query(
          `SELECT total_key, n FROM ${ORG_TOTAL} WHERE total_key > ? AND total_key < ? ORDER BY total_key LIMIT ${BUYER_BATCH}${forUpdateSql(this.db.dialect)}`,
          // Past every key of the last buyer done (credit codes are all 18 characters: `}` sorts after their `|`).
          [after ? `b|${after}}` : 'b|', 'b}'],
        );
        const buyerOf = (key: string) => key.split('|')[1];
        const final = rows.length < BUYER_BATCH;
        // A full batch may end inside a buyer's years: that buyer starts the next one.
        const cut = final ? null : buyerOf(rows[rows.length - 1].total_key);
        const mine = rows.filter((r) => buyerOf(r.total_key) !== cut);
        const byBuyer = new Map<string, typeof rows>();
        for (const r of mine) byBuyer.set(buyerOf(r.total_key), [...(byBuyer.get(buyerOf(r.total_key)) ?? []), r]);
        const flags: NewFlag[] = [];
        for (const [buyer, years] of byBuyer) {
          if (!years.some((y) => Number(y.n) >= t['repeat-winner'].minimumAwards)) continue;
          const winners: { total_key: string; n: unknown }[] = await em.query(
            `SELECT total_key, n FROM ${ORG_TOTAL} WHERE total_key >= ? AND total_key < ? ORDER BY total_key`,
            [`bw|${buyer}|`, `bw|${buyer}}`],
          );
          flags.push(...(await this.repeatWinnerFlags(em, buyer, [...years, ...winners], t)));
        }
        const last = mine.length ? buyerOf(mine[mine.length - 1].total_key) : after;
        await this.replaceFlags(
          em,
          final
            ? { where: 'indicator = ? AND buyer_code > ?', params: ['repeat-winner', after] }
            : { where: 'indicator = ? AND buyer_code > ? AND buyer_code <= ?', params: ['repeat-winner', after, last] },
          flags,
        );
        after = last;
        return final;
      });
      if (done) return;
    }
  }
}

/** The organisation a flag names, where it names one. */
function orgOf(f: RaisedFlag): string | null {
  const v = f.values;
  if (typeof v.lowestBidder === 'string') return v.lowestBidder;
  if (typeof v.bidder === 'string') return v.bidder;
  return null;
}

/** A stored flag as pages, JSON and CSV show it. */
export interface FlagRow {
  id: number;
  indicator: string;
  indicatorName: string;
  indicatorVersion: number;
  projectId: string | null;
  projectName: string | null;
  lotCode: string;
  buyerCode: string | null;
  orgCode: string | null;
  category: string;
  categoryName: string;
  regionCode: string;
  year: string;
  /** China date of the notice the flag's facts last changed with (lists are newest first by it). */
  date: string;
  noticeId: string | null;
  values: Record<string, unknown>;
  thresholds: Record<string, number>;
  cohort: { q1: number; q3: number; n: number } | null;
  computedAt: Date;
}

const categoryName = (slug: string) => categoryBySlug(slug)?.name ?? slug;

/** A flag row as read raw from integrity_flag. */
export function flagRow(r: Record<string, unknown>): FlagRow {
  const indicator = String(r.indicator);
  return {
    id: Number(r.id),
    indicator,
    indicatorName: indicatorById(indicator)?.name ?? indicator,
    indicatorVersion: Number(r.indicator_version),
    projectId: (r.project_id as string | null) ?? null,
    projectName: null,
    lotCode: String(r.lot_code ?? ''),
    buyerCode: (r.buyer_code as string | null) ?? null,
    orgCode: (r.org_code as string | null) ?? null,
    category: String(r.category),
    categoryName: categoryName(String(r.category)),
    regionCode: String(r.region_code),
    year: String(r.year),
    date: String(r.flag_date ?? ''),
    noticeId: (r.notice_id as string | null) ?? null,
    values: JSON.parse(String(r.flag_values)) as Record<string, unknown>,
    thresholds: JSON.parse(String(r.thresholds)) as Record<string, number>,
    cohort: r.q1 === null || r.q1 === undefined ? null : { q1: Number(r.q1), q3: Number(r.q3), n: Number(r.cohort_n) },
    computedAt: sqlDateTime(r.computed_at)!,
  };
}
