import { randomBytes } from 'node:crypto';
import { ApiKey } from '../../src/auth/api-key.entity.js';
import { StaffUser } from '../../src/auth/staff-user.entity.js';
import { randomToken, sha256 } from '../../src/auth/tokens.js';
import type { Database } from '../../src/database/database.js';
import { get } from './processes.js';

/**
 * The hit rate of the response cache under a realistic mix of public reads, measured from the app's own counters
 * (/health): what share of the requests to cacheable routes were answered from memory.
 *
 * The mix, per 100 requests (what a trading portal's visitors and machines read; PRODUCT.md's users):
 * - 20 home page, 20 first pages of /notices (no filter 8, a category 6, a region 3, category + region 3),
 * - 30 notice pages and 6 project pages, picked by a Zipf law (s = 1) over the newest 2,000 notices: bidders
 *   read what was just published,
 * - 14 feeds, as feed readers poll them: with the ETag of their last answer when they have one,
 * - 6 first pages of the API (no filter, a category),
 * - 2 keyword searches among a few popular words and 2 second pages of the list by its cursor (each kept once
 *   asked for again).
 * Meanwhile a notice is published every BENCH_MIX_INVALIDATE_S (5) seconds (a province publishes about one every
 * 7 working seconds): a clarification of one of the newest tender notices, through the staff API as a clerk and
 * a reviewer publish it (draft, submit, approve), so the publication log's head moves as it does in production.
 * Requests are sent at BENCH_MIX_RATE (200) per second from 10 connections for BENCH_MIX_SECONDS (30), after a
 * warm-up: every page the mix can ask for asked once (a portal that has run for days has been asked for each; the
 * mix alone takes tens of minutes to reach the Zipf law's tail of projects at 1,000,000 notices, where each of
 * the newest notices is of another project), then the same mix until the cache has settled (see mixRound).
 */
export interface MixResult {
  requests: number;
  seconds: number;
  rate: number;
  invalidateEverySeconds: number;
  /** Publications made during the mix (and attempts refused, which should be none). */
  invalidations: number;
  publishFailures: number;
  firstFailure: string | null;
  /** Set from the run when pages by cursor were kept once asked for again (before, never). */
  secondPagesKept?: boolean;
  /** Seconds of the same mix run first, not counted. */
  warmupSeconds?: number;
  /** Set when the warm-up ran until first requests of a page were under 1 % (before: a fixed warm-up). */
  warmedUntilSettled?: boolean;
  /** Set when the warm-up began by asking for every page the mix can ask for once (absent in older runs). */
  warmedEachPage?: boolean;
  hits: number;
  notModified: number;
  misses: number;
  /** Misses of a page whose stored copy had gone stale (the others: the page's first request, or evicted). */
  staleMisses?: number;
  passes: number;
  /** Entries the byte budget evicted, and renders not kept (a publication meanwhile; validity over): absent in older runs. */
  evictions?: number;
  unkeptNewerVersion?: number;
  unkeptExpired?: number;
  hitRate: number;
  /**
   * hits / (hits + stale misses + passes): the rate once every page of the mix has been asked for once, as in a
   * portal that has run for a while (a page's first request comes once in its life; a stale copy comes back with
   * every publication that touches it).
   */
  warmHitRate?: number;
  /**
   * Rendered requests of the counted window by the mix's kind of page (home, list, filter, notice, project, feed,
   * api, search, cursor), and of them those whose exact path the mix had asked for before (warm-up included): a
   * page asked again yet rendered again was stale or not kept. Absent in older runs.
   */
  missesByKind?: Record<string, { misses: number; askedBefore: number }>;
  p50: number;
  p99: number;
}

/** The warm-up runs in slices of this many seconds, the cache's counters read between them. */
const WARMUP_SLICE_S = 10;

export async function mixRound(base: string, db: Database): Promise<MixResult> {
  const { default: autocannon } = await import('autocannon');
  const seconds = Number(process.env.BENCH_MIX_SECONDS ?? 30);
  const rate = Number(process.env.BENCH_MIX_RATE ?? 200);
  const invalidateEvery = Number(process.env.BENCH_MIX_INVALIDATE_S ?? 5);
  const warmup = Number(process.env.BENCH_MIX_WARMUP_S ?? 60);
  const warmupMax = Number(process.env.BENCH_MIX_WARMUP_MAX_S ?? 600);
  let warmedSeconds: number;
  const newest: { id: string; project_id: string; category: string; region_code: string }[] = await db.manager.query(
    `SELECT id, project_id, category, region_code FROM notice WHERE status = 'published' ORDER BY published_at DESC, id DESC LIMIT 2000`,
  );
  const categories = [...new Set(newest.map((n) => n.category))];
  const regions = [...new Set(newest.map((n) => n.region_code))];
  // Zipf (s = 1) over ranks 1..n: the CDF, for inverse sampling.
  const harmonic = newest.map((_, i) => 1 / (i + 1));
  const total = harmonic.reduce((a, b) => a + b, 0);
  let acc = 0;
  const cdf = harmonic.map((h) => (acc += h / total));
  const zipf = () => {
    const u = Math.random();
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return newest[lo];
  };
  const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
  const cursor = (await get(`${base}/api/v1/notices?limit=20`, { keepBody: true })).body!;
  const after = encodeURIComponent(JSON.parse(cursor.toString('utf8')).next as string);
  const feedEtags = new Map<string, string>();
  const WORDS = ['道路', '采购', '医院', '改造工程', '监理', '设备'];
  // The mix's pages, written once: next() draws from them, pages() lists them all.
  const enc = encodeURIComponent;
  const byCategory = (c: string) => `/notices?category=${c}`;
  const byRegion = (r: string) => `/notices?region=${r}`;
  const byBoth = (c: string, r: string) => `/notices?category=${c}&region=${r}`;
  const noticePage = (n: (typeof newest)[number]) => `/notices/${enc(n.id)}`;
  const projectPage = (n: (typeof newest)[number]) => `/projects/${enc(n.project_id)}`;
  const feeds = [
    '/feeds/notices.rss',
    '/feeds/notices.atom',
    ...categories.slice(0, 5).map((c) => `/feeds/notices.rss?category=${c}`),
  ];
  const apiByCategory = (c: string) => `/api/v1/notices?category=${c}`;
  const search = (w: string) => `/notices?q=${enc(w)}`;
  const secondPage = `/notices?after=${after}`;
  const next = (): { path: string; kind: string; headers?: Record<string, string> } => {
    const r = Math.random() * 100;
    if (r < 20) return { path: '/', kind: 'home' };
    if (r < 28) return { path: '/notices', kind: 'list' };
    if (r < 34) return { path: byCategory(pick(categories)), kind: 'filter' };
    if (r < 37) return { path: byRegion(pick(regions)), kind: 'filter' };
    if (r < 40) return { path: byBoth(pick(categories), pick(regions)), kind: 'filter' };
    if (r < 70) return { path: noticePage(zipf()), kind: 'notice' };
    if (r < 76) return { path: projectPage(zipf()), kind: 'project' };
    if (r < 90) {
      const path = pick(feeds);
      const etag = feedEtags.get(path);
      return { path, kind: 'feed', headers: etag ? { 'if-none-match': etag } : {} };
    }
    if (r < 96) return { path: pick(['/api/v1/notices', apiByCategory(pick(categories))]), kind: 'api' };
    if (r < 98) return { path: search(pick(WORDS)), kind: 'search' };
    return { path: secondPage, kind: 'cursor' };
  };
  // Every path the mix can ask for (a search or a page by cursor twice: such a page is kept once asked again).
  const pages = () => {
    const lists = [
      '/',
      '/notices',
      ...categories.map(byCategory),
      ...regions.map(byRegion),
      ...categories.flatMap((c) => regions.map((r) => byBoth(c, r))),
      ...newest.map(noticePage),
      ...new Set(newest.map(projectPage)),
      ...feeds,
      '/api/v1/notices',
      ...categories.map(apiByCategory),
    ];
    const kept = [...WORDS.map(search), secondPage];
    return [...lists, ...kept, ...kept];
  };
  // Paths asked for so far, and the counted window's renders by kind (X-Cache: miss).
  const askedPaths = new Set<string>();
  const missesByKind: Record<string, { misses: number; askedBefore: number }> = {};
  let counting = false;
  const desk = await deskOf(base, db);
  const tenders: { id: string; project_id: string }[] = await db.manager.query(
    `SELECT id, project_id FROM notice WHERE status = 'published' AND type = 'tender' AND withdrawn_at IS NULL ORDER BY published_at DESC, id DESC LIMIT 200`,
  );
  let invalidations = 0;
  let publishFailures = 0;
  let firstFailure: string | null = null;
  const timer = setInterval(() => {
    const target = pick(tenders);
    desk
      .clarify(target)
      .then(() => invalidations++)
      .catch((e: Error) => {
        publishFailures++;
        firstFailure ??= e.message;
      });
  }, invalidateEvery * 1000);
  const cannon = (duration: number) =>
    autocannon({
      url: base,
      connections: 10,
      duration,
      overallRate: rate,
      requests: [
        {
          setupRequest: (req, context) => {
            const n = next();
            context.path = n.path;
            context.kind = n.kind;
            context.askedBefore = askedPaths.has(n.path);
            askedPaths.add(n.path);
            return { ...req, path: n.path, headers: { ...req.headers, ...n.headers } };
          },
          // A feed reader keeps the ETag of its last full answer.
          onResponse: (status, _body, context, headers) => {
            const etag = headers?.etag ?? headers?.ETag;
            if (status === 200 && etag && String(context.path).startsWith('/feeds/'))
              feedEtags.set(String(context.path), etag);
            if (counting && (headers?.['x-cache'] ?? headers?.['X-Cache']) === 'miss') {
              const k = (missesByKind[String(context.kind)] ??= { misses: 0, askedBefore: 0 });
              k.misses++;
              if (context.askedBefore) k.askedBefore++;
            }
          },
        },
      ],
    });
  let measured: { result: Awaited<ReturnType<typeof cannon>>; before: CacheCounters; started: number };
  try {
    // A running portal's cache is warm: the same mix runs first, uncounted, for at least BENCH_MIX_WARMUP_S (60)
    // seconds and on until first requests of a page are under 1 % of a 10-second slice (the mix's pages have
    // nearly all been asked for once, as in a portal that has run for a while), at most BENCH_MIX_WARMUP_MAX_S.
    const warming = Date.now();
    const everyPage = pages();
    for (const path of everyPage) askedPaths.add(path);
    await askEachOnce(base, everyPage);
    let before = await cacheCounters(base);
    for (;;) {
      await cannon(WARMUP_SLICE_S);
      const after = await cacheCounters(base);
      const first = after.misses - after.staleMisses - (before.misses - before.staleMisses);
      const served = after.hits + after.misses + after.passes - (before.hits + before.misses + before.passes);
      before = after;
      warmedSeconds = (Date.now() - warming) / 1000;
      if (warmedSeconds >= warmupMax || (warmedSeconds >= warmup && first < served * 0.01)) break;
    }
    invalidations = 0;
    publishFailures = 0;
    const started = Date.now();
    counting = true;
    measured = { before, started, result: await cannon(seconds) };
  } finally {
    clearInterval(timer);
  }
  const { result, before, started } = measured;
  const elapsed = (Date.now() - started) / 1000;
  const after2 = await cacheCounters(base);
  const d = (k: keyof typeof before) => after2[k] - before[k];
  const served = d('hits') + d('misses') + d('passes');
  return {
    requests: result.requests.total,
    seconds: elapsed,
    rate,
    invalidateEverySeconds: invalidateEvery,
    invalidations,
    publishFailures,
    firstFailure,
    hits: d('hits'),
    notModified: d('notModified'),
    misses: d('misses'),
    staleMisses: d('staleMisses'),
    passes: d('passes'),
    evictions: d('evictions'),
    unkeptNewerVersion: d('unkeptNewerVersion'),
    unkeptExpired: d('unkeptExpired'),
    warmupSeconds: Math.round(warmedSeconds),
    warmedUntilSettled: true,
    warmedEachPage: true,
    secondPagesKept: true,
    hitRate: served ? d('hits') / served : 0,
    warmHitRate: d('hits') / Math.max(1, d('hits') + d('staleMisses') + d('passes')),
    missesByKind,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

/**
 * Asks for each path once, four at a time: what a portal that has run for days has had asked of it (the Zipf law's
 * tail of 2,000 notices and their projects takes tens of minutes of the mix alone to reach).
 */
async function askEachOnce(base: string, paths: string[]) {
  let i = 0;
  const worker = async () => {
    while (i < paths.length) await get(`${base}${paths[i++]}`, { agent: false });
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

type CacheCounters = Awaited<ReturnType<typeof cacheCounters>>;

async function cacheCounters(base: string) {
  const health = JSON.parse((await get(`${base}/health`, { keepBody: true })).body!.toString('utf8'));
  const c = health.cache as Record<string, number>;
  return {
    hits: c.hits,
    notModified: c.notModified,
    misses: c.misses,
    staleMisses: c.staleMisses,
    passes: c.passes,
    evictions: c.evictions,
    unkeptNewerVersion: c.unkeptNewerVersion,
    unkeptExpired: c.unkeptExpired,
  };
}

/**
 * A clerk and a reviewer with API keys, written straight into the bench database (their passwords are never
 * used), publishing clarifications through the staff API: draft, submit, approve.
 */
async function deskOf(base: string, db: Database) {
  const now = new Date();
  const keyFor = async (role: 'clerk' | 'reviewer') => {
    const username = `bench-${role}-${randomBytes(4).toString('hex')}`;
    const user = await db.manager.save(
      db.manager.create(StaffUser, {
        username,
        displayName: `基准测试${role}`,
        role,
        passwordHash: '!',
        active: true,
        createdAt: now,
        updatedAt: now,
      }),
    );
    const key = `ggzy_${randomToken()}`;
    await db.manager.save(
      db.manager.create(ApiKey, {
        userId: user.id,
        name: 'bench',
        prefix: key.slice(0, 12),
        keyHash: sha256(key),
        createdAt: now,
        revokedAt: null,
        lastUsedAt: null,
      }),
    );
    return { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  };
  const clerk = await keyFor('clerk');
  const reviewer = await keyFor('reviewer');
  const post = async (path: string, headers: Record<string, string>, body: unknown, status: number) => {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (res.status !== status) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<{ id: string }>;
  };
  let n = 0;
  return {
    async clarify(target: { id: string; project_id: string }) {
      const draft = await post(
        '/api/admin/notices',
        clerk,
        {
          projectId: target.project_id,
          type: 'correction',
          targetNoticeId: target.id,
          title: `基准测试澄清公告${++n}`,
          body: '对招标文件的补充说明。',
          details: { reason: '补充说明', affectsBids: false, changes: {} },
        },
        201,
      );
      await post(`/api/admin/notices/${encodeURIComponent(draft.id)}/submit`, clerk, {}, 200);
      await post(`/api/admin/notices/${encodeURIComponent(draft.id)}/approve`, reviewer, {}, 200);
    },
  };
}
