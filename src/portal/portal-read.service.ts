import { Injectable } from '@nestjs/common';
import { In, IsNull, Not, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { Database } from '../database/database.js';
import { notFound } from '../http/app-error.js';
import { CATEGORIES } from '../domain/catalog.js';
import { NoticeFilter } from '../trading/notice-filter.js';
import { NoticeQueryService } from '../trading/notice-query.service.js';
import { Notice } from '../trading/notice.entity.js';
import { Project } from '../trading/project.entity.js';
import { PublicationLogEntry } from '../transparency/publication-log.entity.js';
import { ANNOUNCEMENT_TYPES } from './notice-view.js';

/** The reads behind the public pages. Only published notices and projects with a published notice exist here. */
@Injectable()
export class PortalReadService {
  constructor(private readonly db: Database, private readonly notices: NoticeQueryService) {}

  /** The version of all published data: every publication, correction and withdrawal is a log entry. */
  async dataVersion(): Promise<{ seq: number; at: Date }> {
    const last = await this.db.manager.createQueryBuilder(PublicationLogEntry, 'l').orderBy('l.seq', 'DESC').limit(1).getOne();
    return { seq: last?.seq ?? 0, at: last?.recordedAt ?? new Date(0) };
  }

  async latestByCategory(perCategory: number): Promise<{ slug: string; name: string; notices: Notice[] }[]> {
    return Promise.all(CATEGORIES.map(async (c) => ({
      slug: c.slug,
      name: c.name,
      notices: await this.notices.filtered({ category: c.slug, sort: 'published' })
        .orderBy('n.published_at', 'DESC').addOrderBy('n.id', 'DESC').limit(perCategory).getMany(),
    })));
  }

  /** Projects whose (effective) opening time falls in [from, to], not terminated, with an announcement in force. */
  openings(from: Date, to: Date): Promise<Project[]> {
    return this.db.manager.createQueryBuilder(Project, 'p')
      .where('p.opening_time >= :from AND p.opening_time <= :to', { from, to })
      .andWhere('p.first_published_at IS NOT NULL AND p.terminated_at IS NULL')
      .andWhere(`EXISTS (SELECT 1 FROM notice a WHERE a.project_id = p.id AND a.status = 'published' AND a.withdrawn_at IS NULL AND a.type IN (:...announcements))`, { announcements: ANNOUNCEMENT_TYPES })
      .orderBy('p.opening_time', 'ASC').addOrderBy('p.id', 'ASC').limit(100).getMany();
  }

  count(filter: NoticeFilter, types?: string[]): Promise<number> {
    const qb = this.notices.filtered(filter);
    if (types) qb.andWhere('n.type IN (:...countTypes)', { countTypes: types });
    return qb.getCount();
  }

  projectsPublishedSince(from: Date): Promise<number> {
    return this.db.manager.createQueryBuilder(Project, 'p').where('p.first_published_at >= :from', { from }).getCount();
  }

  /** The latest bid deadline that has passed: when "open now" last changed. */
  async latestPassedDeadline(now: Date): Promise<Date | null> {
    const p = await this.db.manager.createQueryBuilder(Project, 'p')
      .where('p.bid_deadline <= :now AND p.first_published_at IS NOT NULL', { now })
      .orderBy('p.bid_deadline', 'DESC').limit(1).getOne();
    return p?.bidDeadline ?? null;
  }

  projectsByIds(ids: string[]): Promise<Project[]> {
    return ids.length ? this.db.manager.findBy(Project, { id: In([...new Set(ids)]) }) : Promise.resolve([]);
  }

  async publishedNotice(id: string): Promise<Notice> {
    const notice = await this.db.manager.findOneBy(Notice, { id, status: 'published' });
    if (!notice) throw notFound('公告');
    return notice;
  }

  /** A project that has at least one published notice, with its parties, lots and published notices in log order. */
  async publishedProject(id: string): Promise<{ project: Project; trail: Notice[] }> {
    const project = await this.db.manager.findOne(Project, { where: { id, firstPublishedAt: Not(IsNull()) }, relations: { parties: true, lots: true } });
    if (!project) throw notFound('项目');
    const trail = await this.db.manager.find(Notice, { where: { projectId: id, status: 'published' }, order: { logSeq: 'ASC', id: 'ASC' } });
    project.parties.sort((a, b) => a.id - b.id);
    project.lots.sort((a, b) => a.id - b.id);
    return { project, trail };
  }

  /** How many URLs the sitemap holds: projects with a published notice, and published notices. */
  async sitemapSizes(): Promise<{ projects: number; notices: number }> {
    const [projects, notices] = await Promise.all([
      this.db.manager.createQueryBuilder(Project, 'p').where('p.first_published_at IS NOT NULL').getCount(),
      this.db.manager.createQueryBuilder(Notice, 'n').where('n.status = :s', { s: 'published' }).getCount(),
    ]);
    return { projects, notices };
  }

  /**
   * Published notices (id, time) in key order, a batch at a time: constant memory for the sitemap. `range`
   * picks one sitemap file's share: `limit` keys from position `offset` (an index-only skip to its first key).
   */
  noticeKeys(range: KeyRange = {}, batchSize = 1000): AsyncGenerator<{ id: string; at: Date }[]> {
    return this.keysInOrder(range, batchSize, () => this.db.manager.createQueryBuilder(Notice, 'n').where('n.status = :s', { s: 'published' }),
      (qb) => qb.select(['n.id', 'n.publishedAt', 'n.withdrawnAt']), (n: Notice) => ({ id: n.id, at: n.withdrawnAt ?? n.publishedAt! }), 'n');
  }

  projectKeys(range: KeyRange = {}, batchSize = 1000): AsyncGenerator<{ id: string; at: Date }[]> {
    return this.keysInOrder(range, batchSize, () => this.db.manager.createQueryBuilder(Project, 'p').where('p.first_published_at IS NOT NULL'),
      (qb) => qb.select(['p.id', 'p.updatedAt']), (p: Project) => ({ id: p.id, at: p.updatedAt }), 'p');
  }

  private async *keysInOrder<T extends ObjectLiteral>(range: KeyRange, batchSize: number, base: () => SelectQueryBuilder<T>, columns: (qb: SelectQueryBuilder<T>) => SelectQueryBuilder<T>, key: (row: T) => { id: string; at: Date }, alias: string): AsyncGenerator<{ id: string; at: Date }[]> {
    let left = range.limit ?? Infinity;
    let bound: { op: '>=' | '>'; id: string } = { op: '>', id: '' };
    if (range.offset) {
      const first = await base().select(`${alias}.id`, 'id').orderBy(`${alias}.id`, 'ASC').offset(range.offset).limit(1).getRawOne<{ id: string }>();
      if (!first) return;
      bound = { op: '>=', id: first.id };
    }
    while (left > 0) {
      const rows = await columns(base()).andWhere(`${alias}.id ${bound.op} :bound`, { bound: bound.id })
        .orderBy(`${alias}.id`, 'ASC').limit(Math.min(batchSize, left)).getMany();
      if (!rows.length) return;
      yield rows.map(key);
      left -= rows.length;
      bound = { op: '>', id: key(rows[rows.length - 1]).id };
    }
  }
}

/** A share of keys in key order: `limit` of them from position `offset`. */
export interface KeyRange {
  offset?: number;
  limit?: number;
}

