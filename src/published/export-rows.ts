import { categoryBySlug, noticeTypeBySlug, regionName } from '../domain/catalog.js';
import { chinaDateTimeIso } from '../domain/china-time.js';
import { formatYuan, PRICE_FORMS, type PriceForm } from '../domain/money.js';
import { fenOf } from '../trading/notice-details.js';
import type { Notice as NoticeEntity } from '../trading/notice.entity.js';
import type { ExportProject as Project } from './published-reads.js';
import { csvCell, csvField, type CsvCellKind } from '../http/csv.js';

/** A notice as an export reads it: `body` is '' unless the export reads the body, `details` {} unless the details. */
export type ExportNotice = Pick<
  NoticeEntity,
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
type Notice = ExportNotice;

/** The notice columns every export reads, by database name; besides, each reads its large one (ExportKind.reads). */
export const EXPORT_NOTICE_COLUMNS = [
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
 * The row shapes of the CSV exports and their data dictionary. Each column says what it holds; `number`
 * columns carry plain decimals ("-1200.00"), everything else is text and is neutralised against formula
 * injection when written (see csvCell in src/http/csv.ts).
 */
export type ColumnKind = CsvCellKind;

export interface Column<R> {
  header: string;
  kind: ColumnKind;
  description: string;
  value: (row: R) => string | null | undefined;
  /**
   * The value is the same for every row of one notice (it reads only the notice, its project and its page's URL):
   * formatted once a notice rather than once a row (noticeLines).
   */
  perNotice?: true;
}

export interface ExportKind<R> {
  slug: 'notices' | 'bids' | 'awards';
  title: string;
  description: string;
  /** Notice types the export reads (undefined: all). */
  types?: readonly string[];
  /** The notice's one large column its rows print: the body (notices.csv) or the details (bids, awards). */
  reads: 'body' | 'details';
  /** Whether its rows need the project's lots (names, budgets). */
  lots: boolean;
  columns: Column<R>[];
  rows: (notice: Notice, project: Project, baseUrl: string) => R[];
}

type Details = Record<string, unknown>;
const iso = (d: Date | null | undefined) => (d ? chinaDateTimeIso(d) : '');
const yuanOf = (v: unknown) => {
  const fen = fenOf(v);
  return fen === undefined ? '' : formatYuan(fen);
};
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const priceFormLabel = (form: unknown) =>
  typeof form === 'string' && Object.hasOwn(PRICE_FORMS, form) ? PRICE_FORMS[form as PriceForm].label : '';
const pageUrl = (baseUrl: string, id: string) => `${baseUrl}/notices/${encodeURIComponent(id)}`;

// ---- shared columns -------------------------------------------------------------------------------
interface Base {
  notice: Notice;
  project: Project;
  url: string;
}

/** Marks columns that read only the notice, its project and its URL (Column.perNotice). */
const perNotice = <R>(columns: Column<R>[]): Column<R>[] => columns.map((c) => ({ ...c, perNotice: true }));

const baseColumns = <R extends Base>(): Column<R>[] =>
  perNotice<R>([
    {
      header: '公告编号',
      kind: 'text',
      description: '公告的唯一标识，永不复用；与网页地址和 JSON 接口中的 id 相同',
      value: (r) => r.notice.id,
    },
    {
      header: '项目编号',
      kind: 'text',
      description: '交易项目的唯一标识（平台标识码-统一交易标识码）',
      value: (r) => r.project.id,
    },
    {
      header: '统一交易标识码',
      kind: 'text',
      description: '项目全生命周期唯一的统一交易标识码',
      value: (r) => r.project.dealCode,
    },
    { header: '项目名称', kind: 'text', description: '交易项目名称', value: (r) => r.project.name },
    {
      header: '交易类别',
      kind: 'text',
      description: '十类交易之一的中文名称',
      value: (r) => categoryBySlug(r.notice.category)?.name ?? r.notice.category,
    },
    {
      header: '行政区划代码',
      kind: 'text',
      description: 'GB/T 2260 六位行政区划代码',
      value: (r) => r.notice.regionCode,
    },
    {
      header: '行政区划',
      kind: 'text',
      description: '行政区划名称',
      value: (r) => regionName(r.notice.regionCode) ?? '',
    },
  ]);

const tailColumns = <R extends Base>(): Column<R>[] =>
  perNotice<R>([
    {
      header: '发布时间',
      kind: 'time',
      description: '公告发布时间，ISO 8601 北京时间，带 +08:00 时区',
      value: (r) => iso(r.notice.publishedAt),
    },
    { header: '网页地址', kind: 'text', description: '公告网页的地址', value: (r) => r.url },
  ]);

// ---- notices.csv ----------------------------------------------------------------------------------
export const NOTICES_EXPORT: ExportKind<Base> = {
  slug: 'notices',
  reads: 'body',
  lots: false,
  title: '公告',
  description: '每行一条已发布的公告，包括更正公告和撤回声明。',
  columns: [
    {
      header: '公告编号',
      kind: 'text',
      description: '公告的唯一标识，永不复用；与网页地址和 JSON 接口中的 id 相同',
      value: (r) => r.notice.id,
    },
    {
      header: '公告类型',
      kind: 'text',
      description: '公告类型的中文名称（招标公告、开标记录、中标候选人公示等）',
      value: (r) => noticeTypeBySlug(r.notice.type)?.name ?? r.notice.type,
    },
    {
      header: '公告类型代码',
      kind: 'text',
      description: '公告类型的固定代码，与筛选参数 type 相同',
      value: (r) => r.notice.type,
    },
    { header: '标题', kind: 'text', description: '公告标题', value: (r) => r.notice.title },
    ...baseColumns<Base>().slice(1),
    {
      header: '被更正或撤回的公告编号',
      kind: 'text',
      description: '更正公告或撤回声明所针对的公告；其他公告为空',
      value: (r) => r.notice.targetNoticeId ?? '',
    },
    {
      header: '撤回时间',
      kind: 'time',
      description: '本公告被撤回的时间；未撤回为空',
      value: (r) => iso(r.notice.withdrawnAt),
    },
    {
      header: '撤回声明编号',
      kind: 'text',
      description: '撤回本公告的撤回声明；未撤回为空',
      value: (r) => r.notice.withdrawnBy ?? '',
    },
    {
      header: '内容哈希',
      kind: 'text',
      description: '公告规范化内容的 SHA-256（十六进制），可据公开数据复核',
      value: (r) => r.notice.contentHash ?? '',
    },
    {
      header: '发布日志序号',
      kind: 'number',
      description: '公告在发布日志中的序号，即变更流中的顺序',
      value: (r) => (r.notice.logSeq === null ? '' : String(r.notice.logSeq)),
    },
    { header: '正文', kind: 'text', description: '公告正文', value: (r) => r.notice.body },
    ...tailColumns<Base>(),
  ],
  rows: (notice, project, baseUrl) => [{ notice, project, url: pageUrl(baseUrl, notice.id) }],
};

// ---- bids.csv -------------------------------------------------------------------------------------
interface BidRow extends Base {
  bid: Details;
  details: Details;
  lotName: string;
}

export const BIDS_EXPORT: ExportKind<BidRow> = {
  slug: 'bids',
  reads: 'details',
  lots: true,
  title: '开标记录',
  description: '每行一个投标人在一次开标中的报价：每份已发布开标记录的每一条投标。',
  types: ['bid-opening'],
  columns: [
    ...baseColumns<BidRow>(),
    {
      perNotice: true,
      header: '标段编号',
      kind: 'text',
      description: '标段（包）编号；不分标段的项目为空',
      value: (r) => str(r.details.lotCode),
    },
    { header: '标段名称', kind: 'text', description: '标段（包）名称', value: (r) => r.lotName, perNotice: true },
    {
      perNotice: true,
      header: '开标时间',
      kind: 'time',
      description: '开标时间，ISO 8601 北京时间，带 +08:00 时区',
      value: (r) => str(r.details.openingTime),
    },
    { header: '投标人', kind: 'text', description: '投标人名称', value: (r) => str(r.bid.bidder) },
    {
      header: '统一社会信用代码',
      kind: 'text',
      description: '投标人的 18 位统一社会信用代码（GB 32100-2015）',
      value: (r) => str(r.bid.creditCode),
    },
    {
      header: '报价形式',
      kind: 'text',
      description: '报价金额、单价、下浮率、费率或折扣率',
      value: (r) => priceFormLabel((r.bid.price as Details)?.form),
    },
    {
      header: '报价',
      kind: 'number',
      description: '投标报价，按投标人填报的单位（见“报价单位”）',
      value: (r) => str((r.bid.price as Details)?.value),
    },
    {
      header: '报价单位',
      kind: 'text',
      description: '元、万元或 %（费率、下浮率、折扣率）',
      value: (r) => str((r.bid.price as Details)?.unit),
    },
    {
      header: '报价（元）',
      kind: 'number',
      description: '金额形式的报价折算为元，精确到分；费率类报价为空',
      value: (r) => yuanOf(r.bid.price),
    },
    {
      perNotice: true,
      header: '最高投标限价（元）',
      kind: 'number',
      description: '开标记录载明的最高投标限价（控制价），元；未载明为空',
      value: (r) => yuanOf(r.details.controlPrice),
    },
    { header: '工期', kind: 'text', description: '投标工期或交货期', value: (r) => str(r.bid.duration) },
    { header: '质量', kind: 'text', description: '投标质量标准', value: (r) => str(r.bid.quality) },
    ...tailColumns<BidRow>(),
  ],
  rows: (notice, project, baseUrl) => {
    const details = notice.details as Details;
    const lotCode = str(details.lotCode);
    const lotName = (project.lots ?? []).find((l) => l.code === lotCode)?.name ?? '';
    return ((details.bids as Details[] | undefined) ?? []).map((bid) => ({
      notice,
      project,
      url: pageUrl(baseUrl, notice.id),
      bid,
      details,
      lotName,
    }));
  },
};

// ---- awards.csv -----------------------------------------------------------------------------------
interface AwardRow extends Base {
  lotCode: string;
  winner: { name: string; creditCode: string };
  price: Details;
  date: string;
  budgetFen: bigint | null;
  reserveFen: bigint | null;
}

const fen = (price: Details) => fenOf(price) ?? null;

export const AWARDS_EXPORT: ExportKind<AwardRow> = {
  slug: 'awards',
  reads: 'details',
  lots: true,
  title: '中标成交',
  description:
    '每行一个中标人、成交人或合同供应商：来自中标/成交结果公告、成交公示和合同公告，附预算或底价及节约、溢价金额。',
  types: ['result', 'deal', 'contract'],
  columns: [
    {
      perNotice: true,
      header: '公告编号',
      kind: 'text',
      description: '中标/成交结果公告、成交公示或合同公告的编号',
      value: (r) => r.notice.id,
    },
    {
      perNotice: true,
      header: '公告类型',
      kind: 'text',
      description: '中标/成交结果公告、成交公示或合同公告',
      value: (r) => noticeTypeBySlug(r.notice.type)?.name ?? r.notice.type,
    },
    ...baseColumns<AwardRow>().slice(1),
    { header: '标段编号', kind: 'text', description: '标段（包）编号；不分标段或未载明为空', value: (r) => r.lotCode },
    {
      header: '中标人或成交人',
      kind: 'text',
      description: '中标人、成交人（受让方）或合同供应商名称',
      value: (r) => r.winner.name,
    },
    {
      header: '统一社会信用代码',
      kind: 'text',
      description: '其 18 位统一社会信用代码',
      value: (r) => r.winner.creditCode,
    },
    {
      header: '报价形式',
      kind: 'text',
      description: '报价金额、单价、下浮率、费率或折扣率',
      value: (r) => priceFormLabel(r.price.form ?? 'amount'),
    },
    {
      header: '中标或成交价',
      kind: 'number',
      description: '中标价、成交价或合同金额，按公告的单位（见“单位”）',
      value: (r) => str(r.price.value),
    },
    { header: '单位', kind: 'text', description: '元、万元或 %', value: (r) => str(r.price.unit) },
    {
      header: '中标或成交金额（元）',
      kind: 'number',
      description: '金额折算为元，精确到分；费率类报价为空',
      value: (r) => yuanOf(r.price),
    },
    {
      header: '预算（元）',
      kind: 'number',
      description: '招标、采购项目（或其标段）的预算，元；转让项目为空',
      value: (r) => (r.budgetFen === null ? '' : formatYuan(r.budgetFen)),
    },
    {
      header: '底价（元）',
      kind: 'number',
      description: '转让项目的底价（起始价），元；招标、采购项目为空',
      value: (r) => (r.reserveFen === null ? '' : formatYuan(r.reserveFen)),
    },
    {
      header: '节约资金（元）',
      kind: 'number',
      description: '预算 − 中标或成交金额；为负表示超出预算；无预算或非金额报价为空',
      value: (r) => diff(r.budgetFen, fen(r.price)),
    },
    {
      header: '溢价（元）',
      kind: 'number',
      description: '成交金额 − 底价（国有资产、土地、产权的增值额）；无底价为空',
      value: (r) => diff(fen(r.price), r.reserveFen),
    },
    {
      header: '决定或签约日期',
      kind: 'text',
      description: '定标日期、成交日期或合同签订日期（YYYY-MM-DD，北京时间）',
      value: (r) => r.date,
    },
    ...tailColumns<AwardRow>(),
  ],
  rows: (notice, project, baseUrl) => {
    const d = notice.details as Details;
    const base = { notice, project, url: pageUrl(baseUrl, notice.id) };
    const reserveFen = project.priceKind === 'reserve' ? project.priceFen : null;
    const budgetFor = (lotCode: string) => {
      if (project.priceKind !== 'budget') return null;
      const lot = lotCode ? (project.lots ?? []).find((l) => l.code === lotCode) : undefined;
      return lot?.priceFen ?? project.priceFen;
    };
    const party = (p: unknown) => ({ name: str((p as Details)?.name), creditCode: str((p as Details)?.creditCode) });
    if (notice.type === 'result') {
      return ((d.winners as Details[] | undefined) ?? []).map((w) => ({
        ...base,
        lotCode: str(w.lotCode),
        winner: party(w),
        price: (w.price as Details) ?? {},
        date: str(d.decisionDate),
        budgetFen: budgetFor(str(w.lotCode)),
        reserveFen,
      }));
    }
    if (notice.type === 'deal') {
      return [
        {
          ...base,
          lotCode: '',
          winner: party(d.buyer),
          price: (d.dealPrice as Details) ?? {},
          date: str(d.dealDate),
          budgetFen: budgetFor(''),
          reserveFen,
        },
      ];
    }
    if (notice.type === 'contract') {
      return [
        {
          ...base,
          lotCode: '',
          winner: party(d.supplier),
          price: (d.amount as Details) ?? {},
          date: str(d.signedDate),
          budgetFen: budgetFor(''),
          reserveFen,
        },
      ];
    }
    return [];
  },
};

function diff(a: bigint | null, b: bigint | null): string {
  return a === null || b === null ? '' : formatYuan(a - b);
}

export const EXPORTS = { notices: NOTICES_EXPORT, bids: BIDS_EXPORT, awards: AWARDS_EXPORT } as const;
export type ExportSlug = keyof typeof EXPORTS;

/**
 * The exports whose lines are kept at publication (ExportLines): those that read a notice's details, whose rows
 * depend only on what never changes once published — the notice, its project and its lots — and on the page
 * address. (notices.csv prints the withdrawal, which comes later, and the body, which would be stored twice.)
 * A notice type belongs to one of them at most.
 */
export const STORED_EXPORTS: readonly ExportKind<unknown>[] = [
  BIDS_EXPORT as ExportKind<unknown>,
  AWARDS_EXPORT as ExportKind<unknown>,
];

/** The stored export a notice of this type has lines in, if any. */
export const storedExportOf = (type: string): ExportKind<unknown> | undefined =>
  STORED_EXPORTS.find((k) => k.types!.includes(type));

/**
 * What kept lines were written under: the version of the stored exports' columns and formatting (raise it with any
 * change to them) and the public base URL their page addresses start with. Lines kept under another key are not
 * served; the export builds those notices' lines from their details, as before they were kept, and
 * `npm run reindex` rewrites them.
 */
export const EXPORT_LINES_VERSION = 1;
export const exportLinesKey = (baseUrl: string) => `${EXPORT_LINES_VERSION} ${baseUrl}`;

/**
 * The CSV lines of one notice's rows, appended to `out`: each cell neutralised (csvCell) and quoted (csvField); the
 * cells of perNotice columns are formatted for its first row and reused for the others (a bid-opening record's
 * bids share a dozen of them).
 */
export function noticeLines<R>(kind: ExportKind<R>, notice: Notice, project: Project, baseUrl: string, out: string[]) {
  const rows = kind.rows(notice, project, baseUrl);
  if (!rows.length) return;
  const columns = kind.columns;
  const shared: (string | undefined)[] = new Array(columns.length);
  for (const row of rows) {
    let line = '';
    for (let i = 0; i < columns.length; i++) {
      let cell = shared[i];
      if (cell === undefined) {
        const c = columns[i];
        cell = csvField(csvCell(c.kind, c.value(row)));
        if (c.perNotice) shared[i] = cell;
      }
      line += i === 0 ? cell : `,${cell}`;
    }
    out.push(`${line}\r\n`);
  }
}
