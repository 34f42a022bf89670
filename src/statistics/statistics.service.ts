import { Injectable } from '@nestjs/common';
import { Database } from '../database/database.js';
import { sqlInteger } from '../database/dialect.js';
import { chinaDayStart } from '../domain/china-time.js';
import { Notice } from '../trading/notice.entity.js';
import { Project } from '../trading/project.entity.js';
import { PublicationLogEntry } from '../transparency/publication-log.entity.js';
import { COMPLETION_TYPES, yearFigures, type CompletedProject, type YearFigures } from './figures.js';

/** Reads the published data a year's figures are computed from (years are calendar years in China Standard Time). */
@Injectable()
export class StatisticsService {
  constructor(private readonly db: Database) {}

  async year(year: number): Promise<YearFigures> {
    const params = {
      start: chinaDayStart(`${year}-01-01`),
      end: chinaDayStart(`${year + 1}-01-01`),
      published: 'published',
      completionTypes: [...COMPLETION_TYPES],
    };
    const [counts, projects, completions] = await this.db.consistentRead((em) =>
      Promise.all([
        em
          .createQueryBuilder(Notice, 'n')
          .select('n.type', 'type')
          .addSelect('COUNT(*)', 'count')
          .where('n.status = :published AND n.published_at >= :start AND n.published_at < :end', params)
          .groupBy('n.type')
          .getRawMany<{ type: string; count: unknown }>(),
        em
          .createQueryBuilder(Project, 'p')
          .select(['p.id', 'p.category', 'p.priceKind', 'p.priceFen', 'p.fullyOnline'])
          .where(completedInYear('p'), params)
          .getMany(),
        em
          .createQueryBuilder(Notice, 'n')
          .select(['n.id', 'n.projectId', 'n.type', 'n.details', 'n.publishedAt', 'n.logSeq'])
          .innerJoin(Project, 'p', 'p.id = n.project_id')
          .where(completedInYear('p'), params)
          .andWhere(
            'n.status = :published AND n.withdrawn_at IS NULL AND n.type IN (:...completionTypes) AND n.published_at < :end',
          )
          .orderBy('n.logSeq', 'ASC')
          .getMany(),
      ]),
    );
    const byProject = new Map<string, CompletedProject['completions']>();
    for (const n of completions)
      byProject.set(n.projectId, [...(byProject.get(n.projectId) ?? []), { type: n.type, details: n.details }]);
    const completed: CompletedProject[] = projects.map((p) => ({
      id: p.id,
      category: p.category,
      priceKind: p.priceKind,
      priceFen: p.priceFen,
      fullyOnline: !!p.fullyOnline,
      completions: byProject.get(p.id) ?? [],
    }));
    return yearFigures({ noticesByType: counts.map((r) => ({ type: r.type, count: sqlInteger(r.count) })), completed });
  }

  /** The first and last years with a publication (null when nothing is published yet). */
  async yearsWithData(): Promise<{ first: Date; last: Date } | null> {
    const edge = (order: 'ASC' | 'DESC') =>
      this.db.consistentRead((em) =>
        em.findOne(Notice, {
          select: { id: true, publishedAt: true },
          where: { status: 'published' },
          order: { publishedAt: order },
        }),
      );
    const [first, last] = await Promise.all([edge('ASC'), edge('DESC')]);
    return first?.publishedAt && last?.publishedAt ? { first: first.publishedAt, last: last.publishedAt } : null;
  }

  /** When the published data last changed: the time of the log's latest entry. */
  async dataTime(): Promise<Date> {
    const last = await this.db.consistentRead((em) =>
      em.findOne(PublicationLogEntry, { select: { seq: true, recordedAt: true }, where: {}, order: { seq: 'DESC' } }),
    );
    return last?.recordedAt ?? new Date(0);
  }
}

/**
 * A project is completed in the year in which its first completion notice (result, deal or contract; withdrawn ones
 * do not count) was published, so it is counted once, in one year.
 */
function completedInYear(alias: string): string {
  const completion = (c: string) =>
    `${c}.project_id = ${alias}.id AND ${c}.status = :published AND ${c}.withdrawn_at IS NULL AND ${c}.type IN (:...completionTypes)`;
  return (
    `EXISTS (SELECT 1 FROM notice c WHERE ${completion('c')} AND c.published_at >= :start AND c.published_at < :end)` +
    ` AND NOT EXISTS (SELECT 1 FROM notice e WHERE ${completion('e')} AND e.published_at < :start)`
  );
}
