import { Injectable } from '@nestjs/common';
import type { SelectQueryBuilder } from 'typeorm';
import type { NoticeFilter } from '../../trading/notice-filter.js';
import { IDS_ONLY, noticeFromRow, PublishedReads } from '../../published/published-reads.js';
import type { Notice } from '../../trading/notice.entity.js';
import { EXPORT_NOTICE_COLUMNS, type ExportNotice } from '../../published/export-rows.js';

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
      qb.select(`n.${EXPORT_NOTICE_COLUMNS[0]}`, EXPORT_NOTICE_COLUMNS[0]);
      for (const column of [...EXPORT_NOTICE_COLUMNS.slice(1), large]) qb.addSelect(`n.${column}`, column);
    };
    for await (const rows of this.reads.rawBatches(filter, size, select)) yield rows.map((r) => noticeFromRow(r));
  }

  /** The ids alone, in the same batches (an export whose lines are kept: ExportLines). */
  async *idBatches(filter: NoticeFilter, size: number): AsyncGenerator<string[]> {
    for await (const rows of this.reads.rawBatches(filter, size, IDS_ONLY)) yield rows.map((r) => String(r.id));
  }
}
