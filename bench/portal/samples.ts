import { encodeChangeCursor } from '../../src/open-data/api/change-cursor.js';
import { Database } from '../../src/database/database.js';
import { CATEGORIES, NOTICE_TYPES } from '../../src/domain/catalog.js';
import { DISTRICTS } from '../../src/demo/tables.js';
import { ANNOUNCEMENT_TYPES, encodeCursor } from '../../src/trading/notice-query.service.js';
import { countRanges } from '../../src/trading/notice-counts.js';
import { parseNoticeFilter } from '../../src/trading/notice-filter.js';
import { FEED_ITEMS } from '../../src/open-data/feeds/feed-document.js';
import { rng } from '../search/corpus.js';

/** Notices of an export's first batch (NoticeQueryService.rawBatches reads 100 first). */
const EXPORT_FIRST_BATCH = 100;

/**
 * The URLs each endpoint is timed over: at least `count` distinct ids, cursors or filter values, spread over
 * the whole database (ids and cursors are taken at evenly spaced positions of the publication log), the same
 * for a given database so runs compare.
 */
export interface EndpointGroup {
  name: string;
  urls: string[];
  /** Read only this much of each answer (the first batch of an export), then hang up. */
  firstBytes?: number;
}

/** A list page of /notices holds this many notices. */
const LIST_PAGE = 20;

/**
 * `probe`: GETs a path from the app serving `db` (cache off) and returns its text — for samples that can only be
 * chosen by their answer (searches whose page is full).
 */
export async function endpointGroups(
  db: Database,
  count: number,
  probe?: (path: string) => Promise<string>,
): Promise<EndpointGroup[]> {
  const r = rng(11);
  const q = <T>(sql: string, params: unknown[] = []) => db.manager.query(sql, params) as Promise<T[]>;
  const [{ head }] = await q<{ head: number | string }>('SELECT seq AS head FROM publication_log_head WHERE id = 1');
  const last = Number(head);
  const spread = (n: number) => [
    ...new Set(Array.from({ length: n }, (_, i) => 1 + Math.floor(((i + 0.5) * last) / n))),
  ];
  const positions = spread(count);
  const sampled = await inChunks(positions, (chunk) =>
    q<{ id: string; project_id: string; published_at: unknown; title: string; type: string }>(
      `SELECT n.id, n.project_id, n.published_at, n.title, n.type FROM publication_log l JOIN notice n ON n.id = l.notice_id WHERE l.seq IN (${chunk.map(() => '?').join(', ')})`,
      chunk,
    ),
  );
  const ids = sampled.map((n) => n.id);
  // Projects hold several notices: twice the positions, so that `count` distinct ones are found.
  const projectRows = await inChunks(spread(count * 2), (chunk) =>
    q<{ project_id: string }>(
      `SELECT project_id FROM publication_log WHERE seq IN (${chunk.map(() => '?').join(', ')})`,
      chunk,
    ),
  );
  const projects = [...new Set(projectRows.map((n) => n.project_id))].slice(0, count);
  const toDate = (v: unknown) => (v instanceof Date ? v : new Date(`${String(v).replace(' ', 'T')}Z`));
  const cursors = sampled.map((n) => encodeCursor('published', toDate(n.published_at), n.id));

  // Filters: one or two of category, region, type, dates, open, deadline order — `count` distinct ones.
  const filters = new Set<string>();
  const days = (from: Date, span: number) => [
    from.toISOString().slice(0, 10),
    new Date(from.getTime() + span * 86_400_000).toISOString().slice(0, 10),
  ];
  const randomFilter = (g: typeof r) => {
    const f = new URLSearchParams();
    const pick = g.int(0, 5);
    if (pick !== 1) f.set('category', g.pick(CATEGORIES).slug);
    if (pick === 1 || pick === 2 || pick === 4) f.set('region', g.pick(DISTRICTS).code);
    if (pick === 3) f.set('type', g.pick(NOTICE_TYPES).slug);
    if (pick === 4 || pick === 5) {
      const [from, to] = days(toDate(g.pick(sampled).published_at), g.int(7, 180));
      f.set('from', from);
      f.set('to', to);
    }
    if (pick === 0 && g.next() < 0.5) f.set('open', '1');
    if (pick === 2 && g.next() < 0.5) f.set('sort', 'deadline');
    return f.toString();
  };
  // Twice as many as needed: exports take only those that fit them.
  while (filters.size < count * 2) filters.add(randomFilter(r));
  const allFilters = [...filters];
  const filterList = allFilters.slice(0, count);

  // Searches: words of the notices' own titles (two to four characters), alone and with a filter.
  const titleWords = (g: typeof r, n: number) => {
    const words = new Set<string>();
    for (let i = 0; words.size < n && i < n * 50; i++) {
      const title = g.pick(sampled).title.replace(/[^\u4e00-\u9fff]/g, '');
      const length = g.int(2, 4);
      if (title.length < length) continue;
      const at = g.int(0, title.length - length);
      words.add(title.slice(at, at + length));
    }
    return [...words];
  };
  const searchOf = (w: string, filter: string) => {
    const f = new URLSearchParams(filter);
    f.delete('sort');
    f.set('q', w);
    return f.toString();
  };
  const searches = titleWords(r, count).map((w, i) => searchOf(w, i % 3 === 0 ? filterList[i] : ''));

  const changesStart = Array.from({ length: Math.min(count, last) }, (_, i) => encodeChangeCursor(i));
  const changesEnd = Array.from({ length: Math.min(count, last) }, (_, i) =>
    encodeChangeCursor(Math.max(0, last - 1 - i)),
  );
  const logCursors = positions.map((s) => encodeChangeCursor(s - 1));
  const withFilters = (path: string, list: string[]) => list.map((f) => (f ? `${path}?${f}` : path));
  // Every other one from a cursor (cursors are of the publication order, so those drop sort=deadline).
  const fromCursors = (list: string[]) =>
    list.map((f, i) => {
      if (i % 2 === 0) return f;
      const p = new URLSearchParams(f);
      p.delete('sort');
      p.set('after', cursors[i % cursors.length]);
      return p.toString();
    });
  const exportFilters = (types?: string[]) =>
    allFilters.filter((f) => !/type=|sort=/.test(f) || (types && types.some((t) => f.includes(`type=${t}`))));
  // An export is timed to its first 64 kB: only filters whose export fills a first batch (FIRST_BATCH notices of
  // its types, from the kept counts) at this size, so that both sizes time the same work — at 10,000 notices most
  // filtered exports are smaller than that (there, a few broad filters are cycled).
  const fillingBatch = async (filters: string[], types?: string[], least = EXPORT_FIRST_BATCH) => {
    const out: string[] = [];
    for (const f of filters) {
      const filter = parseNoticeFilter(Object.fromEntries(new URLSearchParams(f)));
      const ranges = countRanges({ ...filter, ...(types ? { types } : {}) }, ANNOUNCEMENT_TYPES);
      if (!ranges?.length) continue;
      const where = ranges.map(() => 'count_key BETWEEN ? AND ?').join(' OR ');
      const [{ total }] = await q<{ total: unknown }>(
        `SELECT SUM(notices) AS total FROM notice_count WHERE ${where}`,
        ranges.flat(),
      );
      if (Number(total ?? 0) >= least) out.push(f);
    }
    return out.length ? cycle(out) : [];
  };
  const enc = encodeURIComponent;

  // Organisations: the busiest bidders (the largest pages), and flags.
  const busiest = await q<{ credit_code: string }>(
    `SELECT credit_code FROM org_fact WHERE section = 'bid' GROUP BY credit_code ORDER BY COUNT(*) DESC LIMIT ${Math.max(1, Math.min(count, 20))}`,
  );
  const orgCodes = busiest.map((b) => b.credit_code);
  const cycle = (list: string[]) => Array.from({ length: count }, (_, i) => list[i % list.length]);
  // Feeds are in publication order whatever the sort: filters that name none. Candidates from a generator of
  // their own (the draws above stay those of earlier runs): at 10,000 notices one filter in five fills a feed.
  const more = rng(12);
  const feedCandidates = new Set(allFilters);
  for (let i = 0; feedCandidates.size < count * 10 && i < count * 100; i++) feedCandidates.add(randomFilter(more));
  const fullFeeds = [
    '',
    ...(await fillingBatch(
      [...feedCandidates].filter((f) => !/sort=/.test(f)),
      undefined,
      FEED_ITEMS,
    )),
  ].slice(0, count);
  // At 10,000 notices a third of those searches find nothing and others less than a page (most of them with a
  // filter), at 1,000,000 nearly all fill one: their ratio compares an empty page with a full one. These are
  // searches, a third with a filter that fills a feed, whose first page is full at this size (asked of the app
  // once before the rounds).
  const fullSearches: string[] = [];
  if (probe) {
    const g = rng(13);
    const fullFilters = fullFeeds.filter((f) => f);
    for (const [i, w] of titleWords(g, count * 4).entries()) {
      if (fullSearches.length === count) break;
      const search = searchOf(w, i % 3 === 0 && fullFilters.length ? fullFilters[i % fullFilters.length] : '');
      const page = await probe(`/notices?${search}`);
      if ((page.match(/<li class="notice-row">/g) ?? []).length === LIST_PAGE) fullSearches.push(search);
    }
  }

  return [
    { name: '/health (baseline)', urls: Array(count).fill('/health') },
    ...(orgCodes.length
      ? [
          { name: '/organizations/{busiest bidders}', urls: cycle(orgCodes.map((c) => `/organizations/${c}`)) },
          {
            name: '/api/v1/organizations/{busiest}/bids',
            urls: cycle(orgCodes.map((c) => `/api/v1/organizations/${c}/bids`)),
          },
        ]
      : []),
    { name: '/integrity', urls: Array(count).fill('/integrity') },
    {
      // 20 a page, so that both sizes print as many flags (at 10,000 notices an indicator or a category holds
      // fewer than the default 100: the ratio would compare a short page with a full one).
      name: '/api/v1/flags',
      urls: cycle([
        '/api/v1/flags?limit=20',
        '/api/v1/flags?indicator=single-bid&limit=20',
        '/api/v1/flags?category=construction&limit=20',
      ]),
    },
    { name: '/', urls: Array(count).fill('/') },
    { name: '/notices', urls: Array(count).fill('/notices') },
    { name: '/notices?filters', urls: withFilters('/notices', filterList) },
    { name: '/notices?q', urls: withFilters('/notices', searches) },
    ...(fullSearches.length
      ? [{ name: '/notices?q (full pages)', urls: withFilters('/notices', cycle(fullSearches)) }]
      : []),
    { name: '/notices?after (deep pages)', urls: cursors.map((c) => `/notices?after=${c}`) },
    { name: '/notices/{id}', urls: ids.map((id) => `/notices/${enc(id)}`) },
    { name: '/projects/{id}', urls: projects.map((id) => `/projects/${enc(id)}`) },
    { name: '/feeds/notices.rss?filters', urls: withFilters('/feeds/notices.rss', ['', ...filterList.slice(1)]) },
    { name: '/feeds/notices.atom?filters', urls: withFilters('/feeds/notices.atom', ['', ...filterList.slice(1)]) },
    // The rows above take any filter: at 10,000 notices the median one fills 20 of a feed's 50 items, at
    // 1,000,000 all 50, so their ratio compares a short feed with a full one. These take filters that fill a
    // feed at this size, as the API's rows below fill two pages: the same work at both sizes.
    { name: '/feeds/notices.rss?filters (full feeds)', urls: withFilters('/feeds/notices.rss', fullFeeds) },
    { name: '/feeds/notices.atom?filters (full feeds)', urls: withFilters('/feeds/notices.atom', fullFeeds) },
    {
      // Filters holding at least two pages of 50 (the API's default) at this size, so that both sizes print full
      // pages: at 10,000 notices the median filter of the list above holds 8 (a few broad ones are cycled there).
      name: '/api/v1/notices?filters',
      urls: withFilters('/api/v1/notices', fromCursors(await fillingBatch(allFilters, undefined, 2 * 50))).slice(
        0,
        count,
      ),
    },
    { name: '/api/v1/notices/{id}', urls: ids.map((id) => `/api/v1/notices/${enc(id)}`) },
    { name: '/api/v1/projects/{id}', urls: projects.map((id) => `/api/v1/projects/${enc(id)}`) },
    {
      name: '/api/v1/changes (start)',
      urls: changesStart.map((c, i) => (i ? `/api/v1/changes?after=${c}` : '/api/v1/changes')),
    },
    { name: '/api/v1/changes (end)', urls: changesEnd.map((c) => `/api/v1/changes?after=${c}`) },
    {
      name: '/api/ocds/releases',
      urls: logCursors.map((c, i) => (i ? `/api/ocds/releases?after=${c}` : '/api/ocds/releases')),
    },
    {
      name: '/exports/notices.csv (first batch)',
      urls: withFilters('/exports/notices.csv', await fillingBatch(['', ...exportFilters()])).slice(0, count),
      firstBytes: 64 * 1024,
    },
    {
      name: '/exports/bids.csv (first batch)',
      urls: withFilters(
        '/exports/bids.csv',
        await fillingBatch(['', ...exportFilters(['bid-opening'])], ['bid-opening']),
      ).slice(0, count),
      firstBytes: 64 * 1024,
    },
    {
      name: '/exports/awards.csv (first batch)',
      urls: withFilters(
        '/exports/awards.csv',
        await fillingBatch(['', ...exportFilters(['result', 'deal', 'contract'])], ['result', 'deal', 'contract']),
      ).slice(0, count),
      firstBytes: 64 * 1024,
    },
  ];
}

async function inChunks<T, R>(items: T[], read: (chunk: T[]) => Promise<R[]>, size = 500): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await read(items.slice(i, i + size))));
  return out;
}
