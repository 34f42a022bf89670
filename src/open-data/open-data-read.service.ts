import { Inject, Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { Database } from '../database/database.js';
import { notFound } from '../http/app-error.js';
import { Notice } from '../trading/notice.entity.js';
import { Project } from '../trading/project.entity.js';
import { PublicationLogEntry } from '../transparency/publication-log.entity.js';
import { publicNotice, type PublicLinks, type PublicNotice } from './public-json.js';

/** Reads shared by the open-data endpoints. Only published notices, and projects that have one, exist here. */
@Injectable()
export class OpenDataReadService {
  readonly links: PublicLinks;
  /** The trading center's name (SITE_NAME): publisher of the feeds and OCDS packages. */
  readonly publisher: string;

  constructor(private readonly db: Database, @Inject(APP_CONFIG) config: AppConfig) {
    this.links = { baseUrl: config.publicBaseUrl, ocidPrefix: config.ocidPrefix };
    this.publisher = config.site.name;
  }

  /** The version of all published data: every publication, correction and withdrawal appends to the log. */
  async dataVersion(): Promise<{ seq: number; at: Date | null }> {
    const last = await this.db.manager.createQueryBuilder(PublicationLogEntry, 'l').orderBy('l.seq', 'DESC').limit(1).getOne();
    return { seq: last?.seq ?? 0, at: last?.recordedAt ?? null };
  }

  async projectsByIds(ids: string[], withRelations = false): Promise<Map<string, Project>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const projects = await this.db.manager.find(Project, { where: { id: In(unique) }, relations: withRelations ? { parties: true, lots: true } : undefined });
    return new Map(projects.map((p) => [p.id, p]));
  }

  /** Public JSON of notices, in the order given. */
  async publicNotices(notices: Notice[]): Promise<PublicNotice[]> {
    const projects = await this.projectsByIds(notices.map((n) => n.projectId));
    return notices.map((n) => publicNotice(n, projects.get(n.projectId)!, this.links));
  }

  async publishedNotice(id: string): Promise<Notice> {
    const n = await this.db.manager.findOneBy(Notice, { id, status: 'published' });
    if (!n) throw notFound('公告');
    return n;
  }

  /** A published project with its parties, lots and published notices in publication (log) order. */
  async publishedProject(id: string): Promise<{ project: Project; notices: Notice[] }> {
    const project = await this.db.manager.findOne(Project, { where: { id }, relations: { parties: true, lots: true } });
    if (!project || !project.firstPublishedAt) throw notFound('项目');
    return { project, notices: await this.noticesOfProject(project.id) };
  }

  noticesOfProject(projectId: string): Promise<Notice[]> {
    return this.db.manager.find(Notice, { where: { projectId, status: 'published' }, order: { logSeq: 'ASC' } });
  }

  async projectByDealCode(dealCode: string): Promise<Project> {
    const project = await this.db.manager.findOne(Project, { where: { dealCode }, relations: { parties: true, lots: true } });
    if (!project || !project.firstPublishedAt) throw notFound('项目');
    return project;
  }
}
