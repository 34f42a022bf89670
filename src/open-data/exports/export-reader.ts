import { Injectable } from '@nestjs/common';
import type { SelectQueryBuilder } from 'typeorm';
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
 * (PublishedReads.rawBatches), but rows skip ORM hydration, which costs several times the query itself, and
 * carry only the large column the export prints (a notice's body is most of its bytes; bids.csv never prints
 * it). Only one batch is held at a time.
 */
@Injectable()
export class ExportReader {
  constructor(private readonly reads: PublishedReads) {}

  async *batches(filter: NoticeFilter, size: number, large: 'body' | 'details'): AsyncGenerator<ExportNotice[]> {
    const select = (qb: SelectQueryBuilder<Notice>) => {
      qb.select(`n.${COLUMNS[0]}`, COLUMNS[0]);
      for (const column of [...COLUMNS.slice(1), large]) qb.addSelect(`n.${column}`, column);
    };
    for await (const rows of this.reads.rawBatches(filter, size, select)) yield rows.map(noticeFromRow);
  }
}
