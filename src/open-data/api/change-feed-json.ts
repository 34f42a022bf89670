import { chinaTimeJsonSql, concatSql, jsonQuoteSql, asBytesSql, type DialectName } from '../../database/dialect.js';
import type { ChangeFeedRows } from '../../published/published-reads.js';
import { noticeCatalogFields, noticeLinks, type PublicLinks } from '../public-json.js';

/**
 * The change feed's pages written as bytes: the database writes the JSON of each entry's log fields and of its
 * notice's stored fields (its own JSON_QUOTE and time formatting, the details as stored), and the app puts between
 * them what only it knows (the catalog's names, once per combination of codes, and the links under its public
 * address). A page of a thousand entries is so never decoded into strings, built as objects and serialised again:
 * in the app that cost twice the database's reads (bench/results.md, session-2026-12-07c), and the page is what
 * crawlers and the platforms that follow the feed read most.
 *
 * The JSON is the one `changeEntry` and `publicNotice` (public-json.ts) make, field for field and in their order
 * (test/open-data-changes.e2e-spec.ts compares each entry with /api/v1/notices/{id} and with changeEntry).
 */
export function changeFeedColumns(dialect: DialectName): { log: string; notice: string } {
  const q = (expression: string) => jsonQuoteSql(dialect, expression);
  const json = (parts: string[]) => asBytesSql(dialect, concatSql(dialect, parts));
  // `{"seq":1,…,"entryHash":"…","notice":` (changeEntry's fields before its notice).
  const entry = json([
    `'{"seq":'`,
    'seq',
    `',"kind":'`,
    q('kind'),
    `',"recordedAt":'`,
    chinaTimeJsonSql(dialect, 'recorded_at'),
    `',"noticeId":'`,
    q('notice_id'),
    `',"projectId":'`,
    q('project_id'),
    `',"contentHash":'`,
    q('content_hash'),
    `',"prevHash":'`,
    q('prev_hash'),
    `',"entryHash":'`,
    q('entry_hash'),
    `',"notice":'`,
  ]);
  // `{"id":"…",…,"type":"…"` (publicNotice's fields before the catalog's).
  const head = json([
    `'{"id":'`,
    q('id'),
    `',"projectId":'`,
    q('project_id'),
    `',"sourcePlatform":'`,
    q('source_platform'),
    `',"sourceId":'`,
    q('source_id'),
    `',"type":'`,
    q('type'),
  ]);
  // `,"title":"…",…,"logSeq":12` (publicNotice's fields after the catalog's, before its links).
  const tail = json([
    `',"title":'`,
    q('title'),
    `',"body":'`,
    q('body'),
    `',"details":'`,
    `COALESCE(details, '{}')`,
    `',"publishedAt":'`,
    chinaTimeJsonSql(dialect, 'published_at'),
    `',"targetNoticeId":'`,
    q('target_notice_id'),
    `',"withdrawn":'`,
    `CASE WHEN withdrawn_at IS NULL THEN 'null' ELSE ${concatSql(dialect, [
      `'{"at":'`,
      chinaTimeJsonSql(dialect, 'withdrawn_at'),
      `',"byNoticeId":'`,
      q('withdrawn_by'),
      `'}'`,
    ])} END`,
    `',"contentHash":'`,
    q('content_hash'),
    `',"logSeq":'`,
    `COALESCE(${dialect === 'sqlite' ? 'log_seq' : 'CAST(log_seq AS CHAR)'}, 'null')`,
  ]);
  return {
    log: `seq, notice_id, project_id, ${entry} AS json`,
    notice: `id, project_id, type, category, region_code, ${head} AS head, ${tail} AS tail`,
  };
}

/** Catalog fields kept as bytes, by codes: a few hundred combinations in practice, the rest made each time. */
const CATALOG_KEPT = 10_000;

const COMMA = Buffer.from(',');
const PAGE_END = Buffer.from(']}');

/** Writes change-feed pages from the rows read with changeFeedColumns. */
export class ChangePageWriter {
  private readonly catalog = new Map<string, Buffer>();

  constructor(private readonly links: PublicLinks) {}

  /**
   * The page's JSON: `head` (what it says before its entries, written with `items` last and empty) with `items` the
   * entries of these log rows, in their order.
   */
  page(head: Record<string, unknown> & { items: [] }, rows: ChangeFeedRows): Buffer {
    const start = JSON.stringify(head);
    const parts: Buffer[] = [Buffer.from(start.slice(0, -2))];
    rows.log.forEach((e, i) => {
      const n = rows.notices.get(e.notice_id as string);
      const dealCode = rows.projects.get(e.project_id as string);
      // A log entry's notice is published for good (corrections and withdrawals are entries of their own).
      if (!n || dealCode === undefined) throw new Error(`change feed: entry ${String(e.seq)} has no published notice`);
      if (i) parts.push(COMMA);
      parts.push(
        e.json as Buffer,
        n.head as Buffer,
        this.catalogFields(n.type as string, n.category as string, n.region_code as string),
        n.tail as Buffer,
        // Its links, and the ends of the notice and of the entry.
        Buffer.from(
          `,"links":${JSON.stringify(noticeLinks(this.links, n.id as string, { id: e.project_id as string, dealCode }))}}}`,
        ),
      );
    });
    parts.push(PAGE_END);
    return Buffer.concat(parts);
  }

  /** `,"typeName":…,"region":{…}` for these codes. */
  private catalogFields(type: string, category: string, regionCode: string): Buffer {
    const key = `${type}\0${category}\0${regionCode}`;
    let bytes = this.catalog.get(key);
    if (!bytes) {
      bytes = Buffer.from(`,${JSON.stringify(noticeCatalogFields(type, category, regionCode)).slice(1, -1)}`);
      if (this.catalog.size < CATALOG_KEPT) this.catalog.set(key, bytes);
    }
    return bytes;
  }
}
