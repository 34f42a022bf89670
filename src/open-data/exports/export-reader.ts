import { Injectable } from '@nestjs/common';
import type { SelectQueryBuilder } from 'typeorm';
import type { NoticeFilter } from '../../trading/notice-filter.js';
import { Database } from '../../database/database.js';
import { noticeFromRow, PublishedReads } from '../../published/published-reads.js';
import type { Notice } from '../../trading/notice.entity.js';
import type { ExportNotice } from '../../published/export-rows.js';

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

/**
 * Published notices of a filter, newest first, in keyset batches of raw rows: the filter is the shared one
 * (PublishedReads.rawBatches), but rows skip ORM hydration, which costs several times the query itself, and
 * carry only the large column the export prints (a notice's body is most of its bytes; bids.csv never prints
 * it). Only one batch is held at a time.
 */
@Injectable()
export class ExportReader {
  constructor(
    private readonly reads: PublishedReads,
    private readonly db: Database,
  ) {}

  async *batches(filter: NoticeFilter, size: number, large: 'body' | 'details'): AsyncGenerator<ExportNotice[]> {
    const select = (qb: SelectQueryBuilder<Notice>) => {
      qb.select(`n.${COLUMNS[0]}`, COLUMNS[0]);
      for (const column of [...COLUMNS.slice(1), large]) qb.addSelect(`n.${column}`, column);
    };
    for await (const rows of this.reads.rawBatches(filter, size, select)) yield rows.map(noticeFromRow);
  }

  /** The ids alone, in the same batches (an export whose lines are kept: ExportLines). */
  async *idBatches(filter: NoticeFilter, size: number): AsyncGenerator<string[]> {
    const select = (qb: SelectQueryBuilder<Notice>) => {
      qb.select('n.id', 'id').addSelect('n.published_at', 'published_at');
    };
    for await (const rows of this.reads.rawBatches(filter, size, select)) yield rows.map((r) => r.id as string);
  }

  /** These published notices with their details, in no particular order (lines an export builds itself). */
  async byIds(ids: string[]): Promise<ExportNotice[]> {
    const out: ExportNotice[] = [];
    for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
      const chunk = ids.slice(i, i + IDS_PER_QUERY);
      const rows = (await this.db.manager.query(
        `SELECT ${[...COLUMNS, 'details'].join(', ')} FROM notice WHERE id IN (${chunk.map(() => '?').join(', ')}) AND status = 'published'`,
        chunk,
      )) as Record<string, unknown>[];
      out.push(...rows.map(noticeFromRow));
    }
    return out;
  }
}

/** Notice ids a statement in byIds. */
const IDS_PER_QUERY = 500;
