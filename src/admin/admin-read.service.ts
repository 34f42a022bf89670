import { Injectable } from '@nestjs/common';
import { In, IsNull } from 'typeorm';
import { StaffUser } from '../auth/staff-user.entity.js';
import { Database } from '../database/database.js';
import { notFound } from '../http/app-error.js';
import { Notice } from '../trading/notice.entity.js';
import { Project } from '../trading/project.entity.js';

export interface NoticeListFilter {
  status?: string;
  projectId?: string;
  authorId?: number;
  limit?: number;
}

/** The reads behind the back-office pages: any status, any project (unlike the public reads). */
@Injectable()
export class AdminReadService {
  constructor(private readonly db: Database) {}

  async notice(id: string): Promise<Notice> {
    const notice = typeof id === 'string' && id.length <= 80 ? await this.db.manager.findOneBy(Notice, { id }) : null;
    if (!notice) throw notFound('公告');
    return notice;
  }

  async project(id: unknown): Promise<Project> {
    const project =
      typeof id === 'string' && id && id.length <= 80
        ? await this.db.manager.findOne(Project, { where: { id }, relations: { parties: true, lots: true } })
        : null;
    if (!project) throw notFound('项目');
    project.parties.sort((a, b) => a.id - b.id);
    project.lots.sort((a, b) => a.id - b.id);
    return project;
  }

  notices(filter: NoticeListFilter): Promise<Notice[]> {
    const qb = this.db.manager
      .createQueryBuilder(Notice, 'n')
      .orderBy('n.updated_at', 'DESC')
      .addOrderBy('n.id', 'DESC')
      .limit(filter.limit ?? 100);
    if (filter.status) qb.andWhere('n.status = :status', { status: filter.status });
    if (filter.projectId) qb.andWhere('n.project_id = :projectId', { projectId: filter.projectId });
    if (filter.authorId) qb.andWhere('n.author_id = :authorId', { authorId: filter.authorId });
    return qb.getMany();
  }

  /** Published notices of a project that a correction or withdrawal may concern. */
  targets(projectId: string): Promise<Notice[]> {
    return this.db.manager
      .find(Notice, {
        where: { projectId, status: 'published', withdrawnAt: IsNull() },
        order: { publishedAt: 'ASC', id: 'ASC' },
      })
      .then((list) => list.filter((n) => n.type !== 'withdrawal'));
  }

  /** The published trail of a project, in log order (the public project page's). */
  trail(projectId: string): Promise<Notice[]> {
    return this.db.manager.find(Notice, {
      where: { projectId, status: 'published' },
      order: { logSeq: 'ASC', id: 'ASC' },
    });
  }

  projects(q: string | undefined, limit = 100): Promise<Project[]> {
    const qb = this.db.manager
      .createQueryBuilder(Project, 'p')
      .orderBy('p.created_at', 'DESC')
      .addOrderBy('p.id', 'DESC')
      .limit(limit);
    // LIKE's wildcards are dropped rather than escaped: the two databases escape differently.
    const term = (q ?? '').replace(/[\\%_]/g, '').trim();
    if (term) qb.where('(p.name LIKE :q OR p.deal_code LIKE :q OR p.tender_code LIKE :q)', { q: `%${term}%` });
    return qb.getMany();
  }

  async userNames(ids: (number | null)[]): Promise<Map<number, string>> {
    const wanted = [...new Set(ids.filter((i): i is number => typeof i === 'number' && i > 0))];
    const users = wanted.length ? await this.db.manager.findBy(StaffUser, { id: In(wanted) }) : [];
    return new Map(users.map((u) => [u.id, `${u.displayName}（${u.username}）`]));
  }
}
