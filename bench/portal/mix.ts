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
 * - 4 keyword searches and deep pages by cursor, which are never cached and count against the rate.
 * Meanwhile the public version moves every BENCH_MIX_INVALIDATE_S (5) seconds, as a publication does (a province
 * publishes about one notice every 7 working seconds): the bench bumps the settings version, which invalidates
 * every stored response exactly as a publication does, without writing a notice. Requests are sent at
 * BENCH_MIX_RATE (200) per second from 10 connections for BENCH_MIX_SECONDS (30).
 */
export interface MixResult {
  requests: number;
  seconds: number;
  rate: number;
  invalidateEverySeconds: number;
  invalidations: number;
  hits: number;
  notModified: number;
  misses: number;
  passes: number;
  hitRate: number;
  p50: number;
  p99: number;
}

export async function mixRound(base: string, db: Database): Promise<MixResult> {
  const { default: autocannon } = await import('autocannon');
  const seconds = Number(process.env.BENCH_MIX_SECONDS ?? 30);
  const rate = Number(process.env.BENCH_MIX_RATE ?? 200);
  const invalidateEvery = Number(process.env.BENCH_MIX_INVALIDATE_S ?? 5);
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
  const next = (): { path: string; headers?: Record<string, string> } => {
    const r = Math.random() * 100;
    if (r < 20) return { path: '/' };
    if (r < 28) return { path: '/notices' };
    if (r < 34) return { path: `/notices?category=${pick(categories)}` };
    if (r < 37) return { path: `/notices?region=${pick(regions)}` };
    if (r < 40) return { path: `/notices?category=${pick(categories)}&region=${pick(regions)}` };
    if (r < 70) return { path: `/notices/${encodeURIComponent(zipf().id)}` };
    if (r < 76) return { path: `/projects/${encodeURIComponent(zipf().project_id)}` };
    if (r < 90) {
      const path = pick([
        '/feeds/notices.rss',
        '/feeds/notices.atom',
        ...categories.slice(0, 5).map((c) => `/feeds/notices.rss?category=${c}`),
      ]);
      const etag = feedEtags.get(path);
      return { path, headers: etag ? { 'if-none-match': etag } : {} };
    }
    if (r < 96) return { path: pick(['/api/v1/notices', `/api/v1/notices?category=${pick(categories)}`]) };
    if (r < 98) return { path: `/notices?q=${encodeURIComponent(pick(WORDS))}` };
    return { path: `/notices?after=${after}` };
  };
  const before = await cacheCounters(base);
  let invalidations = 0;
  const timer = setInterval(() => {
    invalidations++;
    void db.manager.query('UPDATE settings_version SET version = version + 1 WHERE id = 1');
  }, invalidateEvery * 1000);
  const started = Date.now();
  let result;
  try {
    result = await autocannon({
      url: base,
      connections: 10,
      duration: seconds,
      overallRate: rate,
      requests: [
        {
          setupRequest: (req, context) => {
            const n = next();
            context.path = n.path;
            return { ...req, path: n.path, headers: { ...req.headers, ...n.headers } };
          },
          // A feed reader keeps the ETag of its last full answer.
          onResponse: (status, _body, context, headers) => {
            const etag = headers?.etag ?? headers?.ETag;
            if (status === 200 && etag && String(context.path).startsWith('/feeds/'))
              feedEtags.set(String(context.path), etag);
          },
        },
      ],
    });
  } finally {
    clearInterval(timer);
  }
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
    hits: d('hits'),
    notModified: d('notModified'),
    misses: d('misses'),
    passes: d('passes'),
    hitRate: served ? d('hits') / served : 0,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

async function cacheCounters(base: string) {
  const health = JSON.parse((await get(`${base}/health`, { keepBody: true })).body!.toString('utf8'));
  const c = health.cache as { hits: number; notModified: number; misses: number; passes: number };
  return { hits: c.hits, notModified: c.notModified, misses: c.misses, passes: c.passes };
}
