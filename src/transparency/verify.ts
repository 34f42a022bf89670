import {
  ANNUAL_REPORT_KIND,
  annualReportContentPath,
  canonicalJson,
  checkpointStatement,
  GENESIS_HASH,
  publicContentHash,
  publicEntryHash,
  sha256Hex,
} from './canonical.js';
import { verifyStatement } from '../config/signing-key.js';

/**
 * The independent verifier of the publication log (`npm run verify-log`). It reads only what anyone can read —
 * the log API, each notice's public JSON (from the change feed, or one by one), each yearly report's frozen JSON
 * and the signed checkpoints — and recomputes every hash. No framework
 * imports: it runs from a command line or in a test against a running portal.
 */
export interface SavedCheckpoint {
  seq: number;
  hash: string;
}

export interface PublishedCheckpoint extends SavedCheckpoint {
  time: string;
  platform: string;
  keyFingerprint: string;
  signature: string;
}

export interface Mismatch {
  /** The log position concerned; null for a problem of the log as a whole. */
  seq: number | null;
  noticeId?: string;
  /** The year of an annual-report entry concerned. */
  reportYear?: number;
  problem: string;
}

export interface VerifyReport {
  ok: boolean;
  entries: number;
  head: SavedCheckpoint;
  checkpoints: number;
  latestCheckpoint: PublishedCheckpoint | null;
  /** Every mismatch found, in log order; `first` is the one to look at. */
  mismatches: Mismatch[];
  first: Mismatch | null;
}

export interface VerifyOptions {
  baseUrl: string;
  /** A checkpoint saved earlier (from this verifier or the API): today's log must still contain it. */
  checkpoint?: SavedCheckpoint;
  fetch?: typeof fetch;
  /**
   * Read each notice from /api/v1/notices/{id} instead of from the change feed, which carries the same public JSON
   * of up to 1000 notices per request (and so stays within the portal's rate limit on a large log).
   */
  perNotice?: boolean;
  /** Notices fetched at once when read one by one. */
  concurrency?: number;
  progress?: (line: string) => void;
}

interface LogEntry {
  seq: number;
  kind: string;
  noticeId: string | null;
  reportYear?: number;
  recordedAt: string;
  contentHash: string;
  prevHash: string;
  entryHash: string;
}

const PAGE = 1000;

export class VerifyError extends Error {}

export async function verifyLog(options: VerifyOptions): Promise<VerifyReport> {
  const base = options.baseUrl.replace(/\/+$/, '');
  const get = jsonGetter(options.fetch ?? fetch);
  const mismatches: Mismatch[] = [];
  const note = (m: Mismatch) => mismatches.push(m);

  // Checkpoints first: while the log streams past, only the hashes at their positions are kept.
  const checkpoints: PublishedCheckpoint[] = [];
  let keys: { fingerprint: string; publicKeyPem: string }[];
  for (let after = 0; ;) {
    const page = await get(`${base}/api/v1/transparency/checkpoints?after=${after}&limit=${PAGE}`);
    if (page.status !== 200) throw new VerifyError(`检查点接口返回 HTTP ${page.status}`);
    keys = page.body.keys ?? [];
    checkpoints.push(...(page.body.items as PublishedCheckpoint[]));
    if (!page.body.items.length || page.body.next === after) break;
    after = Number(page.body.next);
  }
  const wanted = new Map<number, string | null>(checkpoints.map((c) => [c.seq, null]));
  if (options.checkpoint) wanted.set(options.checkpoint.seq, null);

  const feed = new ChangeFeedReader(base, get);
  let previous = { seq: 0, entryHash: GENESIS_HASH };
  let head: SavedCheckpoint;
  for (let after = 0; ;) {
    const page = await get(`${base}/api/v1/transparency/log?after=${after}&limit=${PAGE}`);
    if (page.status !== 200) throw new VerifyError(`日志接口返回 HTTP ${page.status}`);
    head = page.body.head;
    const entries = page.body.items as LogEntry[];
    for (const e of entries) {
      const at = subjectOf(e);
      if (e.seq !== previous.seq + 1) note({ ...at, problem: `序号不连续：上一条是第 ${previous.seq} 条` });
      if (e.prevHash !== previous.entryHash) note({ ...at, problem: 'prevHash 与上一条的 entryHash 不一致（链断开）' });
      if (publicEntryHash(e) !== e.entryHash) note({ ...at, problem: 'entryHash 与按定义重算的结果不一致' });
      if (wanted.has(e.seq)) wanted.set(e.seq, e.entryHash);
      previous = e;
    }
    if (entries.length && !options.perNotice) await feed.readThrough(entries[entries.length - 1].seq);
    await mapLimit(entries, options.concurrency ?? 8, async (e) => {
      if (e.kind === ANNUAL_REPORT_KIND) return checkAnnualReport(base, get, e, note);
      if (e.noticeId === null)
        return note({ seq: e.seq, problem: `类型为 ${e.kind} 的条目缺少 noticeId，无法核对内容` });
      const change = feed.take(e.seq);
      if (change && change.entryHash !== e.entryHash)
        note({ seq: e.seq, noticeId: e.noticeId, problem: '变更流中的该条与日志接口不一致' });
      const res = change?.notice
        ? { status: 200, body: change.notice }
        : await get(`${base}/api/v1/notices/${encodeURIComponent(e.noticeId)}`);
      if (res.status !== 200)
        return note({ seq: e.seq, noticeId: e.noticeId, problem: `公告数据无法读取（HTTP ${res.status}）` });
      const recomputed = publicContentHash(res.body);
      if (recomputed !== e.contentHash) {
        note({
          seq: e.seq,
          noticeId: e.noticeId,
          problem: `公告内容与记录的内容哈希不符：记录 ${e.contentHash}，按公开内容重算为 ${recomputed}（公告在发布后被改动）`,
        });
      } else if (res.body.contentHash !== e.contentHash || res.body.logSeq !== e.seq) {
        note({ seq: e.seq, noticeId: e.noticeId, problem: '公告数据中的 contentHash 或 logSeq 与日志记录不一致' });
      }
    });
    if (!entries.length || page.body.next === after) break;
    options.progress?.(`已核验至第 ${previous.seq} 条`);
    after = Number(page.body.next);
  }
  if (previous.seq !== head.seq || previous.entryHash !== head.hash) {
    note({
      seq: null,
      problem: `日志头（第 ${head.seq} 条，${head.hash}）与读到的最后一条（第 ${previous.seq} 条）不一致`,
    });
  }

  const keyByFingerprint = new Map(keys.map((k) => [k.fingerprint, k.publicKeyPem]));
  for (const c of checkpoints) {
    const pem = keyByFingerprint.get(c.keyFingerprint);
    if (!pem || !verifyStatement(pem, checkpointStatement(c), c.signature)) {
      note({ seq: c.seq, problem: `第 ${c.seq} 条处的签名检查点签名无效${pem ? '' : '（找不到指纹对应的公钥）'}` });
    }
    checkAgainstLog(c, '已发布的签名检查点', wanted, note);
  }
  if (options.checkpoint) checkAgainstLog(options.checkpoint, '您保存的检查点', wanted, note);

  mismatches.sort((a, b) => (a.seq ?? Number.MAX_SAFE_INTEGER) - (b.seq ?? Number.MAX_SAFE_INTEGER));
  return {
    ok: mismatches.length === 0,
    entries: previous.seq,
    head,
    checkpoints: checkpoints.length,
    latestCheckpoint: checkpoints[checkpoints.length - 1] ?? null,
    mismatches,
    first: mismatches[0] ?? null,
  };
}

const subjectOf = (e: LogEntry): Pick<Mismatch, 'seq' | 'noticeId' | 'reportYear'> => ({
  seq: e.seq,
  ...(e.noticeId === null ? {} : { noticeId: e.noticeId }),
  ...(e.reportYear === undefined ? {} : { reportYear: e.reportYear }),
});

/**
 * An annual-report entry: the report's frozen JSON, written canonically, must hash to the entry's contentHash and
 * be the report of the entry's year. The entry names no notice (a notice entry's checks do not apply).
 */
async function checkAnnualReport(base: string, get: Getter, e: LogEntry, note: (m: Mismatch) => void) {
  const at = subjectOf(e);
  if (e.noticeId !== null || !Number.isSafeInteger(e.reportYear))
    return note({ ...at, problem: '年度报告条目应不带 noticeId 并带有报告年度 reportYear' });
  const year = e.reportYear!;
  const res = await get(`${base}${annualReportContentPath(year)}`);
  if (res.status !== 200) return note({ ...at, problem: `${year}年度报告数据无法读取（HTTP ${res.status}）` });
  const recomputed = sha256Hex(canonicalJson(res.body));
  if (recomputed !== e.contentHash)
    return note({
      ...at,
      problem: `${year}年度报告内容与记录的内容哈希不符：记录 ${e.contentHash}，按公开内容重算为 ${recomputed}（报告在发布后被改动）`,
    });
  if (res.body.year !== year)
    note({ ...at, problem: `报告中的年度（${String(res.body.year)}）与日志记录的 ${year} 不一致` });
}

/** The fields of the portal's JSON answers that the verifier reads (pages of checkpoints and log entries, a notice). */
interface ApiBody {
  items: unknown[];
  /** A number on the transparency pages, an opaque string on the change feed. */
  next: number | string;
  keys?: { fingerprint: string; publicKeyPem: string }[];
  head: SavedCheckpoint;
  contentHash?: string;
  logSeq?: number;
  [field: string]: unknown;
}
type Getter = (url: string) => Promise<{ status: number; body: ApiBody }>;

/** One change of /api/v1/changes: the log entry's hash and the notice's public JSON. */
interface ChangeItem {
  seq: number;
  entryHash: string;
  notice: Record<string, unknown>;
}

/**
 * Follows /api/v1/changes alongside the log, keeping the entries (each with its notice's public JSON) not yet
 * checked. An entry the feed does not have (it stopped, or the entry came later) is read from /api/v1/notices/{id}.
 */
class ChangeFeedReader {
  private cursor: string | undefined;
  private done = false;
  private last = 0;
  private readonly buffer = new Map<number, { entryHash: string; notice: Record<string, unknown> }>();

  constructor(
    private readonly base: string,
    private readonly get: Getter,
  ) {}

  async readThrough(seq: number) {
    while (!this.done && this.last < seq) {
      const page = await this.get(
        `${this.base}/api/v1/changes?limit=${PAGE}${this.cursor ? `&after=${encodeURIComponent(this.cursor)}` : ''}`,
      );
      if (page.status !== 200 || !page.body.items?.length) {
        this.done = true;
        break;
      }
      const items = page.body.items as ChangeItem[];
      for (const item of items) this.buffer.set(item.seq, item);
      this.last = items[items.length - 1].seq;
      this.cursor = String(page.body.next);
    }
  }

  take(seq: number) {
    const item = this.buffer.get(seq);
    this.buffer.delete(seq);
    return item;
  }
}

function checkAgainstLog(
  c: SavedCheckpoint,
  what: string,
  hashes: Map<number, string | null>,
  note: (m: Mismatch) => void,
) {
  const actual = hashes.get(c.seq);
  if (!actual) note({ seq: c.seq, problem: `${what}（第 ${c.seq} 条）超出了今天的日志：日志被截短或回滚` });
  else if (actual !== c.hash)
    note({
      seq: c.seq,
      problem: `${what}（第 ${c.seq} 条，${c.hash}）与今天日志中该条的哈希 ${actual} 不同：历史被改写`,
    });
}

/** GET as JSON, waiting as told when the portal answers 429. */
function jsonGetter(doFetch: typeof fetch): Getter {
  return async (url) => {
    for (let attempt = 0; ; attempt++) {
      const res = await doFetch(url, { headers: { accept: 'application/json' } });
      if (res.status === 429 && attempt < 5) {
        await res.body?.cancel();
        const wait = Number(res.headers.get('retry-after'));
        await new Promise((r) => setTimeout(r, (Number.isFinite(wait) && wait > 0 ? Math.min(wait, 60) : 1) * 1000));
        continue;
      }
      if (res.status !== 200) {
        await res.body?.cancel();
        return { status: res.status, body: { items: [], next: 0, head: { seq: 0, hash: GENESIS_HASH } } };
      }
      return { status: 200, body: (await res.json()) as ApiBody };
    }
  };
}

async function mapLimit<T>(items: T[], limit: number, work: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/** A checkpoint file as saved by `--save-checkpoint` or copied from the API; throws on anything else. */
export function parseSavedCheckpoint(text: string): SavedCheckpoint {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new VerifyError('检查点文件不是有效的 JSON');
  }
  const c = value as Record<string, unknown>;
  if (
    !c ||
    !Number.isSafeInteger(c.seq) ||
    (c.seq as number) < 1 ||
    typeof c.hash !== 'string' ||
    !/^[0-9a-f]{64}$/.test(c.hash)
  ) {
    throw new VerifyError('检查点文件应包含 seq（正整数）和 hash（64 位十六进制）');
  }
  return { seq: c.seq as number, hash: c.hash };
}
