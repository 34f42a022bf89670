import { Injectable } from '@nestjs/common';
import type { NoticeFilter } from '../../trading/notice-filter.js';
import { PublishedReads } from '../../published/published-reads.js';
import type { Notice } from '../../trading/notice.entity.js';

/** The columns an export reads, by database name and property. */
const COLUMNS: [string, keyof Notice][] = [
  ['id', 'id'],
  ['project_id', 'projectId'],
  ['type', 'type'],
  ['category', 'category'],
  ['region_code', 'regionCode'],
  ['title', 'title'],
  ['body', 'body'],
  ['details', 'details'],
  ['target_notice_id', 'targetNoticeId'],
  ['published_at', 'publishedAt'],
  ['content_hash', 'contentHash'],
  ['log_seq', 'logSeq'],
  ['withdrawn_at', 'withdrawnAt'],
  ['withdrawn_by', 'withdrawnBy'],
];

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
 * (PublishedReads.filtered), but rows skip ORM hydration, which costs several times the query itself and
 * would make a 200,000-row export take minutes. Only one batch is held at a time.
 */
@Injectable()
export class ExportReader {
  constructor(private readonly reads: PublishedReads) {}

  async *batches(filter: NoticeFilter, size: number): AsyncGenerator<ExportNotice[]> {
    let cursor: { at: unknown; id: string } | undefined;
    for (;;) {
      // The raw key is passed back as the driver gave it, so it compares exactly on either database; the range
      // starts at it on the list's index, so each batch reads its own rows (not every row above it again).
      const qb = await this.reads.listedAfter(filter, cursor);
      qb.select(`n.${COLUMNS[0][0]}`, COLUMNS[0][0]);
      for (const [column] of COLUMNS.slice(1)) qb.addSelect(`n.${column}`, column);
      const [sql, params] = qb.limit(size).getQueryAndParameters();
      const rows: Record<string, unknown>[] = await qb.connection.query(sql, params);
      if (!rows.length) return;
      yield rows.map(toNotice);
      if (rows.length < size) return;
      const last = rows[rows.length - 1];
      cursor = { at: last.published_at, id: last.id as string };
    }
  }
}

const toDate = (v: unknown): Date | null => {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  // SQLite keeps DATETIME as 'YYYY-MM-DD HH:MM:SS.SSS' in UTC.
  return new Date(`${String(v).replace(' ', 'T')}Z`);
};

function toNotice(r: Record<string, unknown>): ExportNotice {
  return {
    id: r.id as string,
    projectId: r.project_id as string,
    type: r.type as string,
    category: r.category as string,
    regionCode: r.region_code as string,
    title: r.title as string,
    body: r.body as string,
    details: typeof r.details === 'string' ? JSON.parse(r.details) : (r.details as Record<string, unknown>),
    targetNoticeId: (r.target_notice_id as string | null) ?? null,
    publishedAt: toDate(r.published_at),
    contentHash: (r.content_hash as string | null) ?? null,
    logSeq: r.log_seq === null || r.log_seq === undefined ? null : Number(r.log_seq),
    withdrawnAt: toDate(r.withdrawn_at),
    withdrawnBy: (r.withdrawn_by as string | null) ?? null,
  };
}
