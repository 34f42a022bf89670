import { Injectable } from '@nestjs/common';
import type { NoticeFilter } from '../../trading/notice-filter.js';
import { noticeFromRow, PublishedReads } from '../../published/published-reads.js';
import type { Notice } from '../../trading/notice.entity.js';

/** The columns every export reads, by database name; besides, each reads either the body or the details. */
const COLUMNS = [
  'id',
  'project_id',
  'type',
  'category',
  'region_code',
  'title',
  'target_notice_id',
  'published_at',
  'content_hash',
  'log_seq',
  'withdrawn_at',
  'withdrawn_by',
];

/** A notice as an export reads it: `body` is '' unless the export reads the body, `details` {} unless the details. */
export type ExportNotice = Pick<
  Notice,
  | 'id'
  | 'projectId'
  | 'type'
  | 'category'
  | 'regionCode'
  | 'title'
  | 'body'
  | 'details'
  | 'targetNoticeId'
  | 'publishedAt'
  | 'contentHash'
  | 'logSeq'
  | 'withdrawnAt'
  | 'withdrawnBy'
>;

/**
 * Published notices of a filter, newest first, in keyset batches of raw rows: the filter is the shared one
 * (PublishedReads.listedAfter), but rows skip ORM hydration, which costs several times the query itself, and
 * carry only the large column the export prints (a notice's body is most of its bytes; bids.csv never prints
 * it). Only one batch is held at a time.
 */
@Injectable()
export class ExportReader {
  constructor(private readonly reads: PublishedReads) {}

  async *batches(filter: NoticeFilter, size: number, large: 'body' | 'details'): AsyncGenerator<ExportNotice[]> {
    let cursor: { at: unknown; id: string } | undefined;
    for (;;) {
      // The raw key is passed back as the driver gave it, so it compares exactly on either database; the range
      // starts at it on the list's index, so each batch reads its own rows (not every row above it again).
      const qb = await this.reads.listedAfter(filter, cursor);
      qb.select(`n.${COLUMNS[0]}`, COLUMNS[0]);
      for (const column of [...COLUMNS.slice(1), large]) qb.addSelect(`n.${column}`, column);
      const [sql, params] = qb.limit(size).getQueryAndParameters();
      const rows: Record<string, unknown>[] = await qb.connection.query(sql, params);
      if (!rows.length) return;
      yield rows.map(noticeFromRow);
      if (rows.length < size) return;
      const last = rows[rows.length - 1];
      cursor = { at: last.published_at, id: last.id as string };
    }
  }
}
