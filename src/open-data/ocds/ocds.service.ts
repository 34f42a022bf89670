import { currentRender } from '../../http/render-scope.js';
import { Injectable } from '@nestjs/common';
import { notFound } from '../../http/app-error.js';
import { PublishedReads, type LoggedChange } from '../../published/published-reads.js';
import type { Notice } from '../../trading/notice.entity.js';
import type { Project } from '../../trading/project.entity.js';
import { decodeChangeCursor, encodeChangeCursor } from '../api/change-cursor.js';
import { checkParams, parseLimit } from '../http.js';
import { OpenDataReadService } from '../open-data-read.service.js';
import {
  compileReleases,
  needsEarlierNotices,
  OCDS_EXTENSIONS,
  OCDS_VERSION,
  releaseOf,
  type Release,
} from './ocds-release.js';

export const OCDS_RELEASES_LIMIT = { default: 100, max: 1000 };

/**
 * OCDS release packages (one release per publication-log entry, in commit order, paged by the change feed's
 * cursor) and record packages (every release of one contracting process and the compiled release).
 */
@Injectable()
export class OcdsService {
  constructor(
    private readonly reads: PublishedReads,
    private readonly read: OpenDataReadService,
  ) {}

  private get links() {
    return this.read.links;
  }

  private packageMeta(uri: string, publishedDate: string) {
    return {
      uri,
      version: OCDS_VERSION,
      extensions: OCDS_EXTENSIONS,
      publishedDate,
      publisher: { name: this.read.publisher, uri: this.links.baseUrl },
    };
  }

  /**
   * The releases after a cursor, as a release package whose `links.next` carries the cursor on (the last page
   * too); past the end there is no package (a release package holds at least one release), only `next`, the
   * same cursor to poll with.
   */
  async releasePage(rawQuery: Record<string, unknown>) {
    const params = checkParams(rawQuery, ['after', 'limit']);
    const after = params.after ? decodeChangeCursor(params.after) : 0;
    const limit = parseLimit(params.limit, OCDS_RELEASES_LIMIT.default, OCDS_RELEASES_LIMIT.max);
    const changes = await this.reads.changesWithRelations(after, limit);
    {
      const releases = await this.releasesFor(changes);
      const next = encodeChangeCursor(changes.length ? changes[changes.length - 1].entry.seq : after);
      const self = `${this.links.baseUrl}/api/ocds/releases?${new URLSearchParams({ ...(params.after ? { after: params.after } : {}), ...(params.limit ? { limit: String(limit) } : {}) })}`;
      const nextUrl = `${this.links.baseUrl}/api/ocds/releases?${new URLSearchParams({ after: next, ...(params.limit ? { limit: String(limit) } : {}) })}`;
      if (!releases.length) return { next: nextUrl, package: null };
      const releasePackage = {
        ...this.packageMeta(self.replace(/\?$/, ''), releases[releases.length - 1].date),
        links: { next: nextUrl },
        releases,
      };
      return { next: nextUrl, package: releasePackage };
    }
  }

  async recordPackage(ocid: string) {
    if (!ocid.startsWith(this.links.ocidPrefix)) throw notFound('OCDS 记录');
    const project = await this.reads.projectByDealCode(ocid.slice(this.links.ocidPrefix.length));
    // A record holds one project's releases: only its own log entries change it.
    currentRender()?.onlyProject(project.id);
    const notices = await this.reads.noticesOfProject(project.id);
    const releases = this.releasesOfProject(project, notices);
    const compiledRelease = compileReleases(releases);
    const uri = `${this.links.baseUrl}/api/ocds/records/${encodeURIComponent(ocid)}`;
    return { ...this.packageMeta(uri, compiledRelease.date), records: [{ ocid, releases, compiledRelease }] };
  }

  /** Releases of the given changes' notices, in that order, each with its context. */
  private async releasesFor(changes: LoggedChange[]): Promise<Release[]> {
    const targets = await this.reads.noticesByIds(
      changes.map((c) => c.notice.targetNoticeId).filter((x): x is string => !!x),
    );
    const releases: Release[] = [];
    // A project's notices, read once per page for the evaluations in it that judge bids (few: most releases need none).
    const projectNotices = new Map<string, Promise<Notice[]>>();
    for (const { notice: n, project } of changes) {
      const contract = n.type === 'performance' ? await this.reads.contractBefore(n.projectId, n.logSeq!) : null;
      const target = n.targetNoticeId ? targets.get(n.targetNoticeId) : null;
      let earlier: Notice[] | undefined;
      if (needsEarlierNotices(n, target)) {
        if (!projectNotices.has(n.projectId)) projectNotices.set(n.projectId, this.reads.noticesOfProject(n.projectId));
        earlier = (await projectNotices.get(n.projectId)!).filter((x) => x.logSeq! < n.logSeq!);
      }
      releases.push(releaseOf(n, { project, target, contract, earlier }, this.links));
    }
    return releases;
  }

  private releasesOfProject(project: Project, notices: Notice[]): Release[] {
    const byId = new Map(notices.map((n) => [n.id, n]));
    let contract: Notice | null = null;
    return notices.map((n, i) => {
      const release = releaseOf(
        n,
        {
          project,
          target: n.targetNoticeId ? byId.get(n.targetNoticeId) : null,
          contract,
          earlier: notices.slice(0, i),
        },
        this.links,
      );
      if (n.type === 'contract') contract = n;
      return release;
    });
  }
}
