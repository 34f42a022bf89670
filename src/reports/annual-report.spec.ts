import { yearFigures, type YearFigures } from '../statistics/figures.js';
import { canonicalJson, sha256Hex } from '../transparency/canonical.js';
import { changePhrase, computeAnnualReport, freeze, type RequestFact, type ReviewFact } from './annual-report.js';
import { reportCsv } from './report-view.js';
import { parseForm } from './reports.service.js';

const req = (
  applicantType: string,
  receivedOn: string,
  outcome: string | null = null,
  outcomeReason: string | null = null,
  answeredOn: string | null = null,
): RequestFact => ({ applicantType, receivedOn, outcome, outcomeReason, answeredOn });

/** A handful of requests around the year 2026, each annotated with where it counts (hand-computed). */
const REQUESTS: RequestFact[] = [
  req('natural-person', '2025-12-20', 'disclosed', null, '2026-01-10'), // 上年结转 NP; 予以公开 NP
  req('natural-person', '2025-11-01', 'partly-disclosed', null, '2025-12-01'), // 2025 only
  req('natural-person', '2026-03-01', 'withheld', 'state-secret', '2026-03-20'), // 新收 NP; 不予公开 1 NP
  req('commercial-enterprise', '2026-05-05', 'unavailable', 'not-held', '2026-05-30'), // 新收 CE; 无法提供 1 CE
  req('commercial-enterprise', '2026-12-20'), // 新收 CE; 结转下年 CE
  req('legal-service-body', '2026-12-28', 'disclosed', null, '2027-01-05'), // 新收 LS; 结转下年 LS
  req('research-institution', '2026-02-01', 'other', 'no-clarification', '2026-03-01'), // 新收 RI; 其他处理 1 RI
  req('social-organisation', '2025-06-01', 'not-handled', 'repeated', '2026-02-02'), // 上年结转 SO; 不予处理 2 SO
  req('other-organisation', '2026-07-01', 'partly-disclosed', null, '2026-07-15'), // 新收 OO; 部分公开 OO
  req('natural-person', '2027-01-03'), // not in 2026
  req('natural-person', '2025-04-04', 'disclosed', null, '2025-04-20'), // 2025 only
];

const rev = (
  kind: string,
  lawsuitRoute: string | null,
  filedOn: string,
  outcome: string,
  decidedOn: string | null,
): ReviewFact => ({ kind, lawsuitRoute, filedOn, outcome, decidedOn });

const REVIEWS: ReviewFact[] = [
  rev('reconsideration', null, '2026-02-01', 'upheld', '2026-04-01'), // 复议 维持
  rev('reconsideration', null, '2025-11-01', 'corrected', '2026-01-15'), // carried in, decided: 复议 纠正
  rev('reconsideration', null, '2025-03-01', 'upheld', '2025-06-01'), // decided before the year: not counted
  rev('lawsuit', 'direct', '2026-06-01', 'pending', null), // 直接起诉 尚未审结
  rev('lawsuit', 'after-reconsideration', '2026-09-01', 'other', '2027-02-01'), // decided after: 复议后起诉 尚未审结
  rev('lawsuit', 'direct', '2026-10-01', 'corrected', '2026-12-31'), // 直接起诉 纠正
  rev('lawsuit', 'direct', '2027-01-10', 'upheld', '2027-03-01'), // filed after: not counted
  rev('reconsideration', null, '2024-05-01', 'pending', null), // carried in, open: 复议 尚未审结
];

const empty = yearFigures({ noticesByType: [], completed: [] });
const CURRENT: YearFigures = {
  ...empty,
  items: { announcement: 8000n, process: 2000n, result: 3715n, performance: 1000n },
  itemsTotal: 14715n,
  completed: 5257n,
  amountFen: 4_670_000_000_000n,
};

const report = () =>
  computeAnnualReport({
    year: 2026,
    organisation: '大连市公共资源交易中心',
    current: CURRENT,
    previous: { ...empty, completed: 5000n },
    requests: REQUESTS,
    reviews: REVIEWS,
    baseline: { itemsTotal: 12397, amountFen: '4000000000000' },
    texts: { overview: '概述文字。', problems: '问题一。\n问题二。', other: '' },
  });

describe('the yearly report, from a hand-computed fixture', () => {
  const r = report();

  it('table 三: every cell, by applicant type (自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计)', () => {
    const cells = Object.fromEntries(r.requests.rows.map((row) => [row.key, row.cells]));
    const zero = [0, 0, 0, 0, 0, 0, 0];
    const only = (col: number, n = 1) => zero.map((_, i) => (i === col ? n : i === 6 ? n : 0));
    expect(r.requests.columns.map((c) => c.label)).toEqual([
      '自然人',
      '商业企业',
      '科研机构',
      '社会公益组织',
      '法律服务机构',
      '其他',
      '总计',
    ]);
    expect(cells).toEqual({
      received: [1, 2, 1, 0, 1, 1, 6],
      'carried-over': [1, 0, 0, 1, 0, 0, 2],
      results: null,
      'outcome:disclosed': only(0),
      'outcome:partly-disclosed': only(5),
      'outcome:withheld': null,
      'outcome:withheld:state-secret': only(0),
      'outcome:withheld:law-forbids': zero,
      'outcome:withheld:three-safeties': zero,
      'outcome:withheld:third-party': zero,
      'outcome:withheld:internal-affairs': zero,
      'outcome:withheld:process-info': zero,
      'outcome:withheld:enforcement-file': zero,
      'outcome:withheld:administrative-inquiry': zero,
      'outcome:unavailable': null,
      'outcome:unavailable:not-held': only(1),
      'outcome:unavailable:needs-creation': zero,
      'outcome:unavailable:unclear': zero,
      'outcome:not-handled': null,
      'outcome:not-handled:petition': zero,
      'outcome:not-handled:repeated': only(3),
      'outcome:not-handled:publication': zero,
      'outcome:not-handled:voluminous': zero,
      'outcome:not-handled:confirm-or-reissue': zero,
      'outcome:other': null,
      'outcome:other:no-clarification': only(2),
      'outcome:other:fee-unpaid': zero,
      'outcome:other:other': zero,
      'answered-total': [2, 1, 1, 1, 0, 1, 6],
      'carried-forward': [0, 1, 0, 0, 1, 0, 2],
    });
    // The template's check: 一 + 二 = 三（七）总计 + 四, column by column.
    for (let i = 0; i < 7; i++)
      expect(cells.received![i] + cells['carried-over']![i]).toBe(
        cells['answered-total']![i] + cells['carried-forward']![i],
      );
    expect(r.requests.rows.map((row) => row.label).slice(0, 5)).toEqual([
      '一、本年新收政府信息公开申请数量',
      '二、上年结转政府信息公开申请数量',
      '三、本年度办理结果',
      '（一）予以公开',
      '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
    ]);
    expect(r.requests.rows.at(-2)!.label).toBe('（七）总计');
    expect(r.requests.rows.at(-1)!.label).toBe('四、结转下年度继续办理');
  });

  it('table 四: every cell (维持, 纠正, 其他, 尚未审结, 总计) of 行政复议 and both kinds of 行政诉讼', () => {
    expect(r.reviews.columns.map((c) => c.label)).toEqual(['结果维持', '结果纠正', '其他结果', '尚未审结', '总计']);
    expect(r.reviews.groups).toEqual([
      { key: 'reconsideration', label: '行政复议', cells: { upheld: 1, corrected: 1, other: 0, pending: 1, total: 3 } },
      {
        key: 'direct',
        label: '行政诉讼·未经复议直接起诉',
        cells: { upheld: 0, corrected: 1, other: 0, pending: 1, total: 2 },
      },
      {
        key: 'after-reconsideration',
        label: '行政诉讼·复议后起诉',
        cells: { upheld: 0, corrected: 0, other: 0, pending: 1, total: 1 },
      },
    ]);
  });

  it('part 一: the key figures with their change on the year, entered previous-year figures marked', () => {
    expect(r.overview.figures.map((f) => [f.item, f.current, f.previous, f.change, !!f.entered])).toEqual([
      ['公开公共资源交易信息', '14715', '12397', '18.7', true],
      ['完成交易项目', '5257', '5000', '5.1', false],
      ['交易金额', '4670000000000', '4000000000000', '16.8', true],
      ['节约资金', '0', '0', null, false],
      ['增值金额', '0', '0', null, false],
      ['新收政府信息公开申请', '6', '4', '50.0', false],
    ]);
    expect(r.overview.summary).toBe(
      '2026年，全年公开公共资源交易信息14,715条，同比增长18.7%；完成交易项目5,257个，同比增长5.1%；' +
        '交易金额46,700,000,000.00元，同比增长16.8%；节约资金0.00元，国有资产和土地增值0.00元；' +
        '新收政府信息公开申请6件，同比增长50.0%；涉及政府信息公开的行政复议、行政诉讼6件。',
    );
    expect(r.overview.text).toBe('概述文字。');
    expect(r.title).toBe('大连市公共资源交易中心2026年政府信息公开工作年度报告');
  });

  it('part 二: the statistics tables with the previous year (the entered total replaces the computed one)', () => {
    const items = r.proactive.tables.find((t) => t.key === 'items')!;
    expect(items.rows.map((x) => [x.item, x.current, x.previous, x.change])).toEqual([
      ['交易公告（含更正、撤回）', '8000', '0', null],
      ['交易过程（开标记录、竞价过程等）', '2000', '0', null],
      ['交易结果（候选人、中标成交结果、终止）', '3715', '0', null],
      ['合同履约（合同、履约信息）', '1000', '0', null],
      ['合计', '14715', '12397', '18.7'],
    ]);
    expect(items.rows.at(-1)!.entered).toBe(true);
    expect(r.proactive.tables.map((t) => t.key)).toEqual([
      'items',
      'completed',
      'amount',
      'savings',
      'premium',
      'online',
    ]);
  });

  it('parts 五 and 六 are the staff texts; the report freezes to canonical JSON with its SHA-256', () => {
    expect(r.problems).toBe('问题一。\n问题二。');
    expect(r.other).toBe('');
    const { json, hash } = freeze(r);
    expect(json).toBe(canonicalJson(JSON.parse(json)));
    expect(hash).toBe(sha256Hex(json));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    // The same input gives the same bytes.
    expect(freeze(report()).hash).toBe(hash);
  });

  it('the CSV carries every cell of tables 三 and 四', () => {
    const csv = reportCsv(r);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).split('\r\n').filter(Boolean);
    const requestLines = lines.filter((l) => l.includes('三、收到和处理'));
    // 28 counted rows × 7 columns
    expect(requestLines).toHaveLength(r.requests.rows.filter((x) => x.cells).length * 7);
    expect(lines.filter((l) => l.includes('四、政府信息公开行政复议'))).toHaveLength(15);
  });
});

describe('changePhrase', () => {
  it.each([
    ['18.7', '同比增长18.7%'],
    ['-5.0', '同比下降5.0%'],
    ['0.0', '与上年持平'],
    [null, ''],
  ])('%s → %s', (change, phrase) => expect(changePhrase(change)).toBe(phrase));
});

describe('the staff form', () => {
  it('names every bad field in Chinese', () => {
    expect.assertions(2);
    try {
      parseForm({
        itemsTotal: '-3',
        completed: '1.5',
        amountYuan: '12.345',
        requestsReceived: 'abc',
        overview: 'x'.repeat(20_001),
      });
    } catch (e) {
      const fields = (e as { fields: { field: string; message: string }[] }).fields;
      expect(fields.map((f) => f.field)).toEqual([
        'overview',
        'itemsTotal',
        'completed',
        'amountYuan',
        'requestsReceived',
      ]);
      expect(fields.every((f) => /[\u4e00-\u9fff]/.test(f.message))).toBe(true);
    }
  });

  it('reads empty figures as not entered and amounts in yuan as fen', () => {
    expect(parseForm({ overview: ' 文字 ', itemsTotal: '', amountYuan: '1,234.5', completed: '0' })).toEqual({
      overview: '文字',
      problems: '',
      other: '',
      baseline: { amountFen: '123450', completed: 0 },
    });
  });
});
