import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { Database } from '../database/database.js';
import { sqlDateTime, upsertAddSql } from '../database/dialect.js';
import { categoryBySlug } from '../domain/catalog.js';
import { chinaDate } from '../domain/china-time.js';
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
import { Notice } from './notice.entity.js';
import { ORG_TOTAL } from './organization-index.js';
import { OWNER_ROLES } from './organization-facts.js';
import { ProjectParty } from './project-party.entity.js';
import { Project } from './project.entity.js';
import { bumpSettingsVersion } from './settings-version.js';
import { TimingRulesService } from './timing-rules.service.js';

export const FLAGS = 'integrity_flag';
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
  noticeId: string | null;
  values: Record<string, unknown>;
  thresholds: Record<string, number>;
  q1?: number;
  q3?: number;
  n?: number;
}

/** The count keys a flag adds one to: by indicator, with its category, and with its category and year. */
export const flagCountKeys = (f: { indicator: string; category: string; year: string }) => [
  `i=${f.indicator}`,
  `i=${f.indicator}|c=${f.category}`,
  `i=${f.indicator}|c=${f.category}|y=${f.year}`,
];

/**
 * Keeps the integrity flags current. In the publishing transaction a project's lot and project indicators are
 * recomputed from its published, not withdrawn, notices (bounded by the project's notices), its lots' margin
 * ratios are stored by cohort (category and year), and an award recomputes its buyer's repeat-winner flags for the
 * year from the kept organisation totals. A job recomputes the Tukey fences of the cohorts that changed and their
 * outlier flags (a fence moves for everyone in the cohort, so that is not left to one publication).
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

  async thresholds(em: EntityManager = this.db.manager): Promise<Thresholds> {
    const t = defaultThresholds();
    const rows: { indicator: string; threshold_key: string; value: string }[] = await em.query(
      `SELECT indicator, threshold_key, value FROM ${THRESHOLDS}`,
    );
    for (const r of rows)
      if (t[r.indicator] && r.threshold_key in t[r.indicator]) t[r.indicator][r.threshold_key] = Number(r.value);
    return t;
  }

  /**
   * Stores an administrator's thresholds (the caller's transaction, audited by the caller) and asks the job to
   * recompute every flag with them; cached pages stop being served at once (the settings version).
   */
  async setThresholds(em: EntityManager, values: Thresholds, actorId: number | null): Promise<void> {
    const now = em.connection.driver.preparePersistentValue(
      this.clock.now(),
      em.connection.getMetadata(Notice).findColumnWithPropertyName('publishedAt')!,
    );
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
    const t = thresholds ?? (await this.thresholds(em));
    const project = await em.findOneByOrFail(Project, { id: projectId });
    const notices = await em.find(Notice, {
      where: { projectId, status: 'published' },
      order: { logSeq: 'ASC' },
    });
    const trail: TrailNotice[] = notices
      .filter((n) => !n.withdrawnAt && n.publishedAt)
      .map((n) => ({ id: n.id, type: n.type, details: n.details, publishedAt: n.publishedAt! }));
    const input: ProjectInput = {
      id: project.id,
      category: project.category,
      family: categoryBySlug(project.category)?.family ?? '',
      regionCode: project.regionCode,
      procurementMethod: project.procurementMethod,
    };
    const lots = lotFacts(input, trail);
    const lastYear = trail.length ? yearOf(trail[trail.length - 1].publishedAt) : yearOf(this.clock.now());
    const raised: (RaisedFlag & { year: string; noticeId: string | null })[] = [
      ...lots.flatMap((l) => lotFlags(l, t).map((f) => ({ ...f, year: l.year, noticeId: l.noticeId }))),
      ...projectFlags(input, trail, await this.rules.all(em), await this.calendar.load(em), t).map((f) => ({
        ...f,
        year: lastYear,
        noticeId: trail.find((n) => n.type === 'tender' || n.type === 'procurement')?.id ?? null,
      })),
    ];
    await this.replaceFlags(
      em,
      {
        where: `project_id = ? AND indicator IN (${LOT_INDICATORS.map(() => '?').join(', ')})`,
        params: [projectId, ...LOT_INDICATORS],
      },
      raised.map((f) => ({
        indicator: f.indicator,
        projectId,
        lotCode: f.lotCode,
        buyerCode: null,
        orgCode: orgOf(f),
        category: project.category,
        regionCode: project.regionCode,
        year: f.year,
        noticeId: f.noticeId,
        values: f.values,
        thresholds: t[f.indicator] ?? {},
      })),
    );

    // Margin ratios by cohort: the cohorts this project's lots left or joined are recomputed by the job.
    const before: { cohort: string }[] = await em.query(`SELECT cohort FROM ${RATIOS} WHERE project_id = ?`, [
      projectId,
    ]);
    await em.query(`DELETE FROM ${RATIOS} WHERE project_id = ?`, [projectId]);
    const cohorts = new Set(before.map((r) => r.cohort));
    for (const l of lots) {
      const ratio = marginRatio(l);
      if (ratio === null) continue;
      const cohort = `${project.category}|${l.year}`;
      cohorts.add(cohort);
      await em.query(
        `INSERT INTO ${RATIOS} (project_id, lot_code, cohort, ratio, region_code, notice_id) VALUES (?, ?, ?, ?, ?, ?)`,
        [projectId, l.lotCode, cohort, ratio, project.regionCode, l.noticeId],
      );
    }
    if (cohorts.size) {
      const sorted = [...cohorts].sort();
      await em.query(
        upsertAddSql(this.db.dialect, COHORTS, ['cohort'], ['dirty'], sorted.length),
        sorted.flatMap((c) => [c, 1]),
      );
    }

    // The buyer's winners of each year this project's results fall in.
    const buyers = (await em.findBy(ProjectParty, { projectId, role: In(OWNER_ROLES as string[]) })).map(
      (p) => p.creditCode,
    );
    const years = new Set(notices.filter((n) => n.type === 'result').map((n) => yearOf(n.publishedAt!)));
    for (const buyer of [...new Set(buyers)].sort())
      for (const year of [...years].sort()) await this.buyerChanged(em, buyer, year, project, t);
  }

  /** Rewrites the repeat-winner flags of one buyer and year from the kept award totals (org_total). */
  private async buyerChanged(em: EntityManager, buyer: string, year: string, project: Project, t: Thresholds) {
    const rows: { total_key: string; n: unknown }[] = await em.query(
      `SELECT total_key, n FROM ${ORG_TOTAL} WHERE total_key = ? OR (total_key >= ? AND total_key < ?)`,
      [`b|${buyer}|${year}`, `bw|${buyer}|${year}|`, `bw|${buyer}|${year}}`],
    );
    const total = Number(rows.find((r) => r.total_key === `b|${buyer}|${year}`)?.n ?? 0);
    const th = t['repeat-winner'];
    const flags: NewFlag[] = [];
    if (total >= th.minimumAwards) {
      for (const r of rows) {
        if (!r.total_key.startsWith('bw|')) continue;
        const awards = Number(r.n);
        const share = awards / total;
        if (awards > 0 && share > th.share) {
          flags.push({
            indicator: 'repeat-winner',
            projectId: project.id,
            lotCode: '',
            buyerCode: buyer,
            orgCode: r.total_key.split('|')[3],
            category: project.category,
            regionCode: project.regionCode,
            year,
            noticeId: null,
            values: { awards, buyerAwards: total, share: Math.round(share * 10000) / 10000 },
            thresholds: th,
          });
        }
      }
    }
    await this.replaceFlags(
      em,
      { where: 'buyer_code = ? AND year = ? AND indicator = ?', params: [buyer, year, 'repeat-winner'] },
      flags,
    );
  }

  /** Deletes the flags `scope` selects and writes `flags` in their place, keeping the counts exact. */
  /**
   * Deletes the flags `scope` selects and writes `flags` in their place, keeping the counts exact. Returns whether
   * the set of flagged subjects changed (not only their figures: a cohort's Q1, Q3 and n move with every new lot).
   */
  private async replaceFlags(
    em: EntityManager,
    scope: { where: string; params: unknown[] },
    flags: NewFlag[],
  ): Promise<boolean> {
    const old: {
      indicator: string;
      category: string;
      year: string;
      project_id: string | null;
      lot_code: string;
      org_code: string | null;
    }[] = await em.query(
      `SELECT indicator, category, year, project_id, lot_code, org_code FROM ${FLAGS} WHERE ${scope.where}`,
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
    if (old.length) await em.query(`DELETE FROM ${FLAGS} WHERE ${scope.where}`, scope.params);
    const now = em.connection.driver.preparePersistentValue(
      this.clock.now(),
      em.connection.getMetadata(Notice).findColumnWithPropertyName('publishedAt')!,
    );
    for (const f of flags) {
      await em.query(
        `INSERT INTO ${FLAGS} (indicator, indicator_version, project_id, lot_code, buyer_code, org_code, category, region_code, year, notice_id, flag_values, thresholds, q1, q3, cohort_n, computed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          f.indicator,
          indicatorById(f.indicator)!.version,
          f.projectId,
          f.lotCode,
          f.buyerCode,
          f.orgCode,
          f.category,
          f.regionCode,
          f.year,
          f.noticeId,
          JSON.stringify(f.values),
          JSON.stringify(f.thresholds),
          f.q1 === undefined ? null : String(f.q1),
          f.q3 === undefined ? null : String(f.q3),
          f.n ?? null,
          now,
        ],
      );
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
    const all: unknown[] = await this.db.manager.query(`SELECT cohort FROM ${COHORTS} WHERE cohort = ? AND dirty > 0`, [
      RECOMPUTE_ALL,
    ]);
    if (all.length) {
      await this.recomputeAll();
      await this.db.transaction(async (em) => {
        await em.query(`UPDATE ${COHORTS} SET dirty = 0 WHERE cohort = ?`, [RECOMPUTE_ALL]);
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
      }[] = await em.query(
        `SELECT project_id, lot_code, ratio, region_code, notice_id FROM ${RATIOS} WHERE cohort = ? AND (ratio < ? OR ratio > ?) ORDER BY ratio`,
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
        where: `category = ? AND year = ? AND indicator IN (${COHORT_INDICATORS.map(() => '?').join(', ')})`,
        params: [category, year, ...COHORT_INDICATORS],
      },
      flags,
    );
    const now = em.connection.driver.preparePersistentValue(
      this.clock.now(),
      em.connection.getMetadata(Notice).findColumnWithPropertyName('publishedAt')!,
    );
    await em.query(`UPDATE ${COHORTS} SET dirty = 0, n = ?, q1 = ?, q3 = ?, computed_at = ? WHERE cohort = ?`, [
      sorted.length,
      fences ? String(fences.q1) : null,
      fences ? String(fences.q3) : null,
      now,
      cohort,
    ]);
    return changed;
  }

  /**
   * Recomputes every project's flags and every cohort (`npm run reindex`, and after thresholds change), a batch of
   * projects per transaction, in project id order.
   */
  async recomputeAll(options: { batchSize?: number; onProgress?: (projects: number) => void } = {}): Promise<number> {
    const batchSize = options.batchSize ?? 200;
    let after = '';
    let projects = 0;
    for (;;) {
      const rows: { id: string }[] = await this.db.manager.query(
        `SELECT id FROM project WHERE id > ? AND first_published_at IS NOT NULL ORDER BY id LIMIT ${batchSize}`,
        [after],
      );
      if (!rows.length) break;
      after = rows[rows.length - 1].id;
      await this.db.transaction(async (em) => {
        const t = await this.thresholds(em);
        for (const r of rows) await this.projectChanged(em, r.id, t);
      });
      projects += rows.length;
      options.onProgress?.(projects);
    }
    await this.db.manager.query(`UPDATE ${COHORTS} SET dirty = 1 WHERE cohort LIKE '%|%'`);
    return projects;
  }
}

const yearOf = (d: Date) => chinaDate(d).slice(0, 4);

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
    noticeId: (r.notice_id as string | null) ?? null,
    values: JSON.parse(String(r.flag_values)) as Record<string, unknown>,
    thresholds: JSON.parse(String(r.thresholds)) as Record<string, number>,
    cohort: r.q1 === null || r.q1 === undefined ? null : { q1: Number(r.q1), q3: Number(r.q3), n: Number(r.cohort_n) },
    computedAt: sqlDateTime(r.computed_at)!,
  };
}
