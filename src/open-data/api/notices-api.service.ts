import { currentRender } from '../../http/render-scope.js';
import { filterKeyOf } from '../../trading/search-grams.js';
import { Injectable } from '@nestjs/common';
import { parseNoticeFilter, filterToQuery } from '../../trading/notice-filter.js';
import { PublishedReads } from '../../published/published-reads.js';
import { parseLimit } from '../http.js';
import { OpenDataReadService } from '../open-data-read.service.js';
import { publicNotice, publicProject } from '../public-json.js';

export const NOTICE_LIST_LIMIT = { default: 50, max: 1000 };

/** /api/v1/notices and /api/v1/projects: the public JSON of published data, keyset-paged. */
@Injectable()
export class NoticesApiService {
  constructor(
    private readonly read: OpenDataReadService,
    private readonly reads: PublishedReads,
  ) {}

  async list(rawQuery: Record<string, unknown>) {
    const filter = parseNoticeFilter(rawQuery, ['limit', 'after']);
    const limit = parseLimit(rawQuery.limit, NOTICE_LIST_LIMIT.default, NOTICE_LIST_LIMIT.max);
    const after = typeof rawQuery.after === 'string' && rawQuery.after.trim() ? rawQuery.after.trim() : undefined;
    currentRender()?.onlyFilterKey(filterKeyOf(filter));
    const page = await this.reads.list(filter, { limit, after });
    const nextQuery = page.next
      ? new URLSearchParams({ ...filterToQuery(filter), limit: String(limit), after: page.next }).toString()
      : null;
    return {
      total: page.total,
      /** False when `total` is a lower bound: the search counts up to SEARCH_TOTAL_CAP. */
      totalExact: page.totalExact,
      limit,
      next: page.next,
      links: { next: nextQuery ? `${this.read.links.baseUrl}/api/v1/notices?${nextQuery}` : null },
      items: await this.read.publicNotices(page.items),
    };
  }

  async notice(id: string) {
    const n = await this.reads.publishedNotice(id);
    // Its JSON shows this notice as it is now (withdrawn or not): only its project's log entries change it.
    currentRender()?.onlyProject(n.projectId);
    return (await this.read.publicNotices([n]))[0];
  }

  async project(id: string) {
    const { project, trail } = await this.reads.publishedProject(id);
    currentRender()?.onlyProject(project.id);
    return {
      ...publicProject(project, this.read.links),
      notices: trail.map((n) => publicNotice(n, project, this.read.links)),
    };
  }
}
