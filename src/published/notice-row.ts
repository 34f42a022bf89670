import { dateFromDb } from '../database/columns.js';
import type { Notice } from '../trading/notice.entity.js';

/** The notice columns its public JSON prints (open-data/public-json.ts), by property and database name. */
const PUBLIC_NOTICE_COLUMNS = [
  ['id', 'id'],
  ['projectId', 'project_id'],
  ['sourcePlatform', 'source_platform'],
  ['sourceId', 'source_id'],
  ['type', 'type'],
  ['category', 'category'],
  ['regionCode', 'region_code'],
  ['title', 'title'],
  ['body', 'body'],
  ['details', 'details'],
  ['publishedAt', 'published_at'],
  ['targetNoticeId', 'target_notice_id'],
  ['withdrawnAt', 'withdrawn_at'],
  ['withdrawnBy', 'withdrawn_by'],
  ['contentHash', 'content_hash'],
  ['logSeq', 'log_seq'],
] as const;

/** A published notice as its public JSON needs it. */
export type PublicNoticeFields = Pick<Notice, (typeof PUBLIC_NOTICE_COLUMNS)[number][0]>;

/** PUBLIC_NOTICE_COLUMNS as a SELECT list. */
export const PUBLIC_NOTICE_SELECT = PUBLIC_NOTICE_COLUMNS.map(([, c]) => c).join(', ');

/**
 * A raw notice row as the fields its public JSON reads (the change feed reads PUBLIC_NOTICE_COLUMNS; an export a
 * subset, without the body or without the details: those are then '' and {}). Dates, the JSON text of the details
 * and BIGINTs are turned as the entities turn them, on either database.
 */
export function noticeFromRow(r: Record<string, unknown>): PublicNoticeFields {
  return {
    id: r.id as string,
    projectId: r.project_id as string,
    sourcePlatform: r.source_platform as string,
    sourceId: r.source_id as string,
    type: r.type as string,
    category: r.category as string,
    regionCode: r.region_code as string,
    title: r.title as string,
    body: (r.body as string | undefined) ?? '',
    details:
      r.details === undefined
        ? {}
        : typeof r.details === 'string'
          ? JSON.parse(r.details)
          : (r.details as Notice['details']),
    publishedAt: dateFromDb(r.published_at),
    targetNoticeId: (r.target_notice_id as string | null) ?? null,
    withdrawnAt: dateFromDb(r.withdrawn_at),
    withdrawnBy: (r.withdrawn_by as string | null) ?? null,
    contentHash: (r.content_hash as string | null) ?? null,
    logSeq: r.log_seq === null || r.log_seq === undefined ? null : Number(r.log_seq),
  };
}
