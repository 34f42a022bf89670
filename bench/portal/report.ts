import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/config/project-root.js';
import { ms, type BenchSection } from '../harness.js';
import type { FillReport } from './fill.js';
import type { MixResult } from './mix.js';

/**
 * The portal benchmark's figures, one run per database kind and size, kept in bench/portal-results.json so a
 * run at 1,000,000 notices can be set beside one at 10,000 (the issue's target: every endpoint's median at
 * 1M within 1.5× of its median at 10k). bench/results.md is rendered from this file.
 */
export interface PortalRun {
  kind: string;
  notices: number;
  date: string;
  machine: string;
  server: string;
  settings: string;
  fill: FillReport & { reused?: boolean };
  samples: number;
  rounds: number;
  latency: {
    name: string;
    urls: number;
    medianMs: number;
    p90Ms: number;
    statuses: Record<string, number>;
    /** The median of each round (absent in older runs). */
    roundMs?: number[];
  }[];
  /**
   * The latency rounds timed on this size and on a smaller one (`against`) in the same run, alternating
   * (BENCH_AGAINST): the ratios the scale target is read from. Absent when the sizes were timed in separate runs.
   */
  paired?: {
    against: number;
    date: string;
    rounds: number;
    rows: { name: string; otherMs: number; ms: number; roundRatios: number[] }[];
  } | null;
  hot: {
    name: string;
    status: string;
    bytes: number;
    rps: number;
    p50: number;
    p99: number;
    bareRps: number;
    bareP50: number;
    bareP99: number;
    /** Express with the portal's per-request middleware sending the same bytes (absent in older runs). */
    frameworkRps?: number;
    problems: number;
  }[];
  csv: {
    rows: number;
    seconds: number;
    rowsPerSecond: number;
    clientTool: string;
    clientSeconds: number;
    clientRowsPerSecond: number;
    peakMbBefore: number;
    peakMb: number;
  } | null;
  crawl: {
    items: number;
    pages: number;
    seconds: number;
    itemsPerSecond: number;
    /** The same crawl taking the cursor from each page's head, without parsing the entries (absent in older runs). */
    servedSeconds?: number;
    servedItemsPerSecond?: number;
    rawSeconds: number;
    rawItemsPerSecond: number;
    /**
     * CPU per page (median of the rounds; absent in older runs): the app's process and the local database server's
     * during the crawl at the server's pace; the driver's (the benchmark's process) and the server's during the raw
     * reads. The database's is null on SQLite (its reads run in the app's process and, for the raw reads, in the
     * driver's, whose figures then include them) or without a local server.
     */
    cpuMsPerPage?: {
      servedApp: number;
      servedDatabase: number | null;
      rawDriver: number;
      rawDatabase: number | null;
    };
  } | null;
  /** The cache's hit rate under a realistic mix (mix.ts); absent in runs made before it was measured. */
  mix?: MixResult | null;
  coldStartMs: number[];
  /** Parts rerun later on the same kept database (BENCH_PARTS); the others are from `date`. */
  rerun?: { date: string; parts: string[]; settings?: string };
  verify: { ok: boolean; entries: number; seconds: number; first: string | null } | null;
}

const FILE = () => join(projectRoot(), 'bench', 'portal-results.json');

export function loadRuns(): PortalRun[] {
  return existsSync(FILE()) ? JSON.parse(readFileSync(FILE(), 'utf8')) : [];
}

export function saveRun(run: PortalRun) {
  const runs = loadRuns().filter((r) => !(r.kind === run.kind && r.notices === run.notices));
  runs.push(run);
  runs.sort((a, b) => a.kind.localeCompare(b.kind) || a.notices - b.notices);
  writeFileSync(FILE(), `${JSON.stringify(runs, null, 2)}\n`);
}

const n = (x: number) => Math.round(x).toLocaleString('en');
const x2 = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One section per run, and one per database kind that has runs at two sizes. */
export function renderSections(runs: PortalRun[]): BenchSection[] {
  const sections = runs.map((r) => ({ key: `portal/${r.kind}/${r.notices}`, markdown: renderRun(r) }));
  for (const kind of [...new Set(runs.map((r) => r.kind))]) {
    const sizes = runs.filter((r) => r.kind === kind).sort((a, b) => a.notices - b.notices);
    if (sizes.length >= 2)
      sections.push({ key: `portal/${kind}/scale`, markdown: renderScale(sizes[0], sizes[sizes.length - 1]) });
  }
  return sections;
}

function renderRun(r: PortalRun): string {
  const base = r.latency.find((l) => l.name.includes('baseline'))!;
  const f = r.fill;
  const lines = [
    `## Portal — ${r.server}, ${n(r.notices)} notices`,
    '',
    `Run ${r.date.slice(0, 16).replace('T', ' ')} UTC on ${r.machine}. Database: ${r.server}; ${r.settings}.${r.rerun ? ` Rerun ${r.rerun.date.slice(0, 16).replace('T', ' ')} UTC on the same database with the code of that day (BENCH_PARTS): ${r.rerun.parts.join(', ')}${r.rerun.settings && r.rerun.settings !== r.settings ? `, with ${r.rerun.settings}` : ''}; the rest is from the first run.` : ''}`,
    f.reused
      ? `Database reused from an earlier fill (BENCH_KEEP=1): ${n(f.notices)} notices, filled in ${n(f.seconds)} s.${exportLinesNote(f)}`
      : `Filled in ${n(f.seconds)} s (${n(f.notices / f.seconds)} notices/s), of which the search index ${n(f.indexSeconds)} s: ${n(f.notices)} published notices of ${n(f.projects)} projects, ${n(f.drafts)} drafts, ${n(f.bids)} bids, ${n(f.postings)} search postings (${n(f.postings / f.notices)} a notice).${f.sizes ? ` On disk (MB): ${f.sizes}.` : ''}${
          f.orgIndexSeconds !== undefined
            ? ` Organisation index built in ${n(f.orgIndexSeconds)} s; every integrity indicator computed in ${n(f.integritySeconds ?? 0)} s (${
                Object.entries(f.flags ?? {})
                  .map(([k, v]) => `${k} ${n(v)}`)
                  .join(', ') || 'no flags'
              }).`
            : ''
        }${exportLinesNote(f)}`,
    r.verify
      ? `\`verify-log\` on the filled database: ${r.verify.ok ? 'passed' : `FAILED (${r.verify.first})`}, ${n(r.verify.entries)} entries in ${r.verify.seconds.toFixed(1)} s.`
      : '',
    '',
    '### Latency of each public endpoint (cache off)',
    '',
    `One client, one request at a time; median over ${r.samples} distinct URLs per endpoint (ids, cursors, filter values), then the median of ${r.rounds} alternating rounds. Baseline: \`/health\`. 90th percentile over every request.`,
    '',
    '| endpoint | distinct URLs | median ms | × baseline | p90 ms | answers |',
    '|---|---:|---:|---:|---:|---|',
    ...r.latency.map(
      (l) =>
        `| ${l.name} | ${l.urls} | ${ms(l.medianMs)} | ${x2(l.medianMs, base.medianMs)} | ${ms(l.p90Ms)} | ${Object.entries(
          l.statuses,
        )
          .map(([s, c]) => `${s}: ${c}`)
          .join(', ')} |`,
    ),
    '',
  ];
  if (r.hot.length) {
    lines.push(
      '### Hot pages under autocannon',
      '',
      "autocannon, 10 connections, alternating rounds (portal, then a bare `node:http` server sending the bytes and headers the portal sent, then the framework ceiling: Express with the portal's per-request middleware — access log, request id, helmet — sending them, `bench/portal/express-server.ts`); medians of the rounds. Target: ≥ 0.5× the bare server, p99 ≤ 10× p50; the last column is the portal against the ceiling of its own framework.",
      '',
      '| page | answer | bytes | portal req/s | p50 ms | p99 ms | bare req/s | bare p50 | bare p99 | ratio | Express ceiling req/s | portal ÷ ceiling |',
      '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...r.hot.map(
        (h) =>
          `| ${h.name} | ${h.status} | ${n(h.bytes)} | ${n(h.rps)} | ${h.p50} | ${h.p99} | ${n(h.bareRps)} | ${h.bareP50} | ${h.bareP99} | **${(h.rps / h.bareRps).toFixed(3)}** | ${h.frameworkRps === undefined ? '–' : n(h.frameworkRps)} | ${h.frameworkRps === undefined ? '–' : (h.rps / h.frameworkRps).toFixed(2)} |${h.problems ? ` ${h.problems} errors` : ''}`,
      ),
      '',
    );
  }
  if (r.mix) {
    const m = r.mix;
    lines.push(
      '### The cache under a realistic mix',
      '',
      `After ${m.warmedEachPage ? 'every page the mix can ask for asked once (searches and the page by cursor twice), then ' : ''}${m.warmupSeconds ? `${m.warmupSeconds} s of the same mix${m.warmedUntilSettled ? ' (run until first requests of a page were under 1 % of a 10-second slice: a portal that has run for a while)' : ''}` : 'a warm-up'}, ${n(m.requests)} requests in ${m.seconds.toFixed(0)} s at ${m.rate} req/s (10 connections) of the mix in bench/portal/mix.ts: home, first list pages and common filters, notice and project pages by a Zipf law over the newest 2,000, feeds polled with their ETags, first API pages, 2 % keyword searches and 2 % ${m.secondPagesKept ? 'second pages of the list by cursor (each kept once asked for again)' : 'deep pages by cursor (never kept)'}; a clarification published through the staff API every ${m.invalidateEverySeconds} s (${m.invalidations} publications${m.publishFailures ? `, ${m.publishFailures} refused: ${m.firstFailure}` : ''}). Of the requests to cacheable routes: ${n(m.hits)} answered from memory (${n(m.notModified)} of them 304), ${n(m.misses)} rendered${m.staleMisses !== undefined ? ` (${n(m.staleMisses)} of them because a publication or the clock had made the stored copy stale, ${n(m.misses - m.staleMisses)} first requests of a page)` : ''}, ${n(m.passes)} not cacheable${m.evictions !== undefined ? `; ${n(m.evictions)} entries evicted by the byte budget, ${n(m.unkeptNewerVersion!)} renders not kept because a publication came during them, ${n(m.unkeptExpired!)} because their content had changed with the clock by their end` : ''}. Hit rate **${(m.hitRate * 100).toFixed(1)} %** (target ≥ 95 %)${m.warmHitRate !== undefined ? `; without the first requests of a page (a portal that has run for a while asks for each page's first copy once in its life, and for a stale one after every publication that touches it): **${(m.warmHitRate * 100).toFixed(1)} %**` : ''}${
        m.missesByKind
          ? `. Rendered by kind of page (of them asked for before): ${Object.entries(m.missesByKind)
              .sort((a, b) => b[1].misses - a[1].misses)
              .map(([kind, k]) => `${kind} ${n(k.misses)} (${n(k.askedBefore)})`)
              .join(', ')}`
          : ''
      }; latency p50 ${m.p50} ms, p99 ${m.p99} ms.`,
      '',
    );
  }
  if (r.csv) {
    const c = r.csv;
    lines.push(
      '### `/exports/bids.csv` in full',
      '',
      `Portal: ${n(c.rows)} rows in ${c.seconds.toFixed(2)} s, **${n(c.rowsPerSecond)} rows/s**; peak memory of the app (VmHWM) ${n(c.peakMbBefore)} MB after start, ${n(c.peakMb)} MB after the exports.`,
      `Baseline: \`${c.clientTool}\` running the export's SQL in one statement (${r.fill.exportLines !== undefined ? "the bid-opening notices' ids, newest first, on the list's index, joined to the lines kept at publication" : "the bid-opening notices with their projects, newest first, on the list's index: the export before its lines were kept"}): ${c.clientSeconds.toFixed(2)} s, ${n(c.clientRowsPerSecond)} rows/s (rows = the bids those notices hold). Ratio **${x2(c.rowsPerSecond, c.clientRowsPerSecond)}** (target ≥ 0.7×, memory ≤ 256 MB).`,
      '',
    );
  }
  if (r.crawl) {
    const c = r.crawl;
    lines.push(
      '### Change-feed crawl',
      '',
      `\`/api/v1/changes?limit=1000\`, following \`next\` to the end: ${n(c.items)} entries in ${c.pages} pages, ${c.seconds.toFixed(2)} s, **${n(c.itemsPerSecond)} entries/s** with the crawler parsing every page${c.servedSeconds !== undefined ? `; ${c.servedSeconds.toFixed(2)} s, **${n(c.servedItemsPerSecond!)} entries/s** when it takes the cursor from each page's head and counts the entries in the bytes (the server's pace)` : ''}. Baseline: its queries (log page, notices, project keys) through the driver: ${c.rawSeconds.toFixed(2)} s, ${n(c.rawItemsPerSecond)} entries/s. Ratio **${x2(c.itemsPerSecond, c.rawItemsPerSecond)}** parsed${c.servedItemsPerSecond !== undefined ? `, **${x2(c.servedItemsPerSecond, c.rawItemsPerSecond)}** at the server's pace` : ''} (target ≥ 0.5×).`,
      '',
    );
    const u = c.cpuMsPerPage;
    if (u) {
      const ms = (v: number | null) => (v === null ? 'not counted' : `${v.toFixed(1)} ms`);
      lines.push(
        `CPU a page (median of the rounds): at the server's pace the app ${ms(u.servedApp)}, the database server ${ms(u.servedDatabase)}; the raw reads' driver ${ms(u.rawDriver)}, the database server ${ms(u.rawDatabase)}.`,
        '',
      );
    }
  }
  lines.push(
    '### Cold start',
    '',
    `Spawn of \`node dist/src/main.js\` to the first 200 of \`GET /\`: ${r.coldStartMs.map((m) => n(m)).join(', ')} ms, median **${n(median(r.coldStartMs))} ms** (target ≤ 3 s).`,
  );
  return lines.filter((l, i, all) => !(l === '' && all[i - 1] === '')).join('\n');
}

function renderScale(small: PortalRun, large: PortalRun): string {
  const bold = (ratio: number) => (ratio <= 1.5 ? `${ratio.toFixed(2)}×` : `**${ratio.toFixed(2)}×**`);
  const paired = large.paired?.against === small.notices ? large.paired : null;
  if (paired) {
    const rows = paired.rows.map((r) => {
      const spread = r.roundRatios.length
        ? `${Math.min(...r.roundRatios).toFixed(2)}–${Math.max(...r.roundRatios).toFixed(2)}`
        : '–';
      return `| ${r.name} | ${ms(r.otherMs)} | ${ms(r.ms)} | ${bold(r.ms / r.otherMs)} | ${spread} |`;
    });
    return [
      `## Portal — ${large.server}: ${n(large.notices)} against ${n(small.notices)} notices`,
      '',
      `Both sizes timed in one run (${paired.date.slice(0, 16).replace('T', ' ')} UTC, \`BENCH_AGAINST=${paired.against}\`): two apps (cache off), one on each database of the same server; each of ${paired.rounds} rounds times every endpoint on both, one after the other, the endpoints' order rotated and the apps' order reversed every round. Median latency per endpoint over its distinct URLs, then the median of the rounds; the last column is the lowest and highest ratio of a single round. Target: ≤ 1.5× (over it in bold).`,
      '',
      `| endpoint | ${n(small.notices)} ms | ${n(large.notices)} ms | ratio | one round's ratio |`,
      '|---|---:|---:|---:|---:|',
      ...rows,
    ].join('\n');
  }
  const rows = large.latency.map((l) => {
    const s = small.latency.find((x) => x.name === l.name);
    if (!s) return `| ${l.name} | – | ${ms(l.medianMs)} | – |`;
    return `| ${l.name} | ${ms(s.medianMs)} | ${ms(l.medianMs)} | ${bold(l.medianMs / s.medianMs)} |`;
  });
  return [
    `## Portal — ${large.server}: ${n(large.notices)} against ${n(small.notices)} notices`,
    '',
    `Median latency per endpoint (cache off) from the runs of ${small.date.slice(0, 10)} and ${large.date.slice(0, 10)}. Target: ≤ 1.5× (over it in bold).`,
    '',
    `| endpoint | ${n(small.notices)} ms | ${n(large.notices)} ms | ratio |`,
    '|---|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

/** The export lines kept by the fill, or kept on a reused database that had none yet. */
function exportLinesNote(f: PortalRun['fill']): string {
  return f.exportLines
    ? ` The bids.csv and awards.csv lines of ${n(f.exportLines)} notices kept in ${n(f.exportLinesSeconds ?? 0)} s (ExportLines.rebuild, as \`npm run reindex\` after an upgrade).`
    : '';
}
