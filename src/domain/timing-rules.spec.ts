import { parseDateTimeInput } from './china-time.js';
import { DEFAULT_TIMING_RULES, evaluateTimingRules, TimingFacts, TimingRule } from './timing-rules.js';
import { CalendarDayKind, WorkingDayCalendar } from './working-days.js';

// Rows copied from data/cn-holidays.csv (国务院办公厅关于2026年部分节假日安排的通知): Mid-Autumn and National Day.
const ROWS_2026: [string, CalendarDayKind][] = [
  ['2026-09-20', 'workday'],
  ['2026-09-25', 'holiday'],
  ['2026-09-26', 'holiday'],
  ['2026-09-27', 'holiday'],
  ['2026-10-01', 'holiday'],
  ['2026-10-02', 'holiday'],
  ['2026-10-03', 'holiday'],
  ['2026-10-04', 'holiday'],
  ['2026-10-05', 'holiday'],
  ['2026-10-06', 'holiday'],
  ['2026-10-07', 'holiday'],
  ['2026-10-10', 'workday'],
];
const calendar = new WorkingDayCalendar(
  ROWS_2026.map(([date, kind]) => ({ date, kind })),
  [2026],
);

type Context = Omit<TimingFacts, 'dates'>;
const constructionTender: Context = { family: 'construction', category: 'construction', noticeType: 'tender' };
const prequalification: Context = { ...constructionTender, noticeType: 'prequalification' };
const candidates: Context = { family: 'construction', category: 'highway', noticeType: 'candidates' };
const correction: Context = { family: 'procurement', category: 'procurement', noticeType: 'correction' };
const procurement = (method: string): Context => ({
  family: 'procurement',
  category: 'procurement',
  noticeType: 'procurement',
  method,
});
const procurementResult: Context = { family: 'procurement', category: 'medical', noticeType: 'result' };
const procurementContract: Context = { family: 'procurement', category: 'procurement', noticeType: 'contract' };
const landTransfer: Context = { family: 'transfer', category: 'land-mining', noticeType: 'transfer' };
const propertyTransfer: Context = { family: 'transfer', category: 'property-rights', noticeType: 'transfer' };

/** Dates are typed as staff type them: CST wall-clock. */
function facts(context: Context, dates: Record<string, string>): TimingFacts {
  return {
    ...context,
    dates: Object.fromEntries(Object.entries(dates).map(([fact, s]) => [fact, parseDateTimeInput(s)])),
  };
}

describe('DEFAULT_TIMING_RULES', () => {
  // [context, from fact, from, to fact, to, 'ok' or the rule that fires and the date it requires]
  // Every row has the same length: jest would take a missing last argument for a `done` callback.
  it.each<[Context, string, string, string, string, 'ok' | [string, string]]>([
    // a. candidates publicity starts within 3 days of the evaluation report
    [candidates, 'evaluationReportDate', '2026-11-23', 'publicityStart', '2026-11-26 09:00', 'ok'],
    [
      candidates,
      'evaluationReportDate',
      '2026-11-23',
      'publicityStart',
      '2026-11-27',
      ['candidates.publicity-start', '2026-11-26'],
    ],
    [candidates, 'evaluationReportDate', '2026-11-25', 'publicityStart', '2026-11-30', 'ok'], // day 3 is a Saturday
    [candidates, 'evaluationReportDate', '2026-09-28', 'publicityStart', '2026-10-08', 'ok'], // day 3 is National Day
    [
      candidates,
      'evaluationReportDate',
      '2026-09-28',
      'publicityStart',
      '2026-10-09',
      ['candidates.publicity-start', '2026-10-08'],
    ],
    // b. candidates publicity lasts at least 3 days
    [candidates, 'publicityStart', '2026-11-30', 'publicityEnd', '2026-12-03', 'ok'],
    [
      candidates,
      'publicityStart',
      '2026-11-30',
      'publicityEnd',
      '2026-12-02',
      ['candidates.publicity-length', '2026-12-03'],
    ],
    [
      candidates,
      'publicityStart',
      '2026-11-25',
      'publicityEnd',
      '2026-11-29',
      ['candidates.publicity-length', '2026-11-30'],
    ],
    // c. construction tender: documents to bid deadline ≥ 20 days
    [constructionTender, 'documentsFrom', '2026-11-25', 'bidDeadline', '2026-12-15 09:30', 'ok'],
    [
      constructionTender,
      'documentsFrom',
      '2026-11-25',
      'bidDeadline',
      '2026-12-14 23:59',
      ['construction.tender.documents-to-deadline', '2026-12-15'],
    ],
    [
      constructionTender,
      'documentsFrom',
      '2026-09-11',
      'bidDeadline',
      '2026-10-07 09:00',
      ['construction.tender.documents-to-deadline', '2026-10-08'],
    ],
    [constructionTender, 'documentsFrom', '2026-09-11', 'bidDeadline', '2026-10-08 09:00', 'ok'],
    // d. bid-affecting correction ≥ 15 days before the (new) deadline, for every family
    [correction, 'publishedAt', '2026-11-25 17:00', 'effectiveBidDeadline', '2026-12-10 09:00', 'ok'],
    [
      correction,
      'publishedAt',
      '2026-11-25',
      'effectiveBidDeadline',
      '2026-12-09',
      ['correction.bid-affecting', '2026-12-10'],
    ],
    [
      { ...constructionTender, noticeType: 'correction' },
      'publishedAt',
      '2026-11-25',
      'effectiveBidDeadline',
      '2026-12-09',
      ['correction.bid-affecting', '2026-12-10'],
    ],
    // e. construction documents on sale ≥ 5 days
    [prequalification, 'documentsFrom', '2026-11-25', 'documentsTo', '2026-11-30', 'ok'],
    [
      prequalification,
      'documentsFrom',
      '2026-11-23',
      'documentsTo',
      '2026-11-28',
      ['construction.documents-on-sale', '2026-11-30'],
    ],
    [
      constructionTender,
      'documentsFrom',
      '2026-11-23',
      'documentsTo',
      '2026-11-27',
      ['construction.documents-on-sale', '2026-11-30'],
    ],
    // f. procurement open tender ≥ 20 days
    [procurement('open-tender'), 'documentsFrom', '2026-11-25', 'bidDeadline', '2026-12-15', 'ok'],
    [
      procurement('open-tender'),
      'documentsFrom',
      '2026-11-25',
      'bidDeadline',
      '2026-12-14',
      ['procurement.open-tender.documents-to-deadline', '2026-12-15'],
    ],
    [procurement('inquiry'), 'documentsFrom', '2026-11-25', 'bidDeadline', '2026-12-14', 'ok'], // method filter
    // g. procurement tender documents offered ≥ 5 working days, across National Day
    [procurement('open-tender'), 'documentsFrom', '2026-09-28', 'documentsTo', '2026-10-10', 'ok'],
    [
      procurement('open-tender'),
      'documentsFrom',
      '2026-09-28',
      'documentsTo',
      '2026-10-09',
      ['procurement.notice-period', '2026-10-10'],
    ],
    [
      procurement('invited-tender'),
      'documentsFrom',
      '2026-09-28',
      'documentsTo',
      '2026-10-09',
      ['procurement.notice-period', '2026-10-10'],
    ],
    [procurement('competitive-negotiation'), 'documentsFrom', '2026-09-28', 'documentsTo', '2026-10-09', 'ok'],
    // h. negotiation / inquiry ≥ 3 working days
    [procurement('competitive-negotiation'), 'documentsFrom', '2026-09-29', 'bidDeadline', '2026-10-09', 'ok'],
    [
      procurement('inquiry'),
      'documentsFrom',
      '2026-09-29',
      'bidDeadline',
      '2026-10-08',
      ['procurement.negotiation-inquiry', '2026-10-09'],
    ],
    // i. consultation ≥ 10 days
    [procurement('competitive-consultation'), 'documentsFrom', '2026-11-25', 'bidDeadline', '2026-12-07', 'ok'],
    [
      procurement('competitive-consultation'),
      'documentsFrom',
      '2026-11-25',
      'bidDeadline',
      '2026-12-05',
      ['procurement.consultation', '2026-12-07'],
    ],
    // j. procurement result published within 2 working days of the decision
    [procurementResult, 'decisionDate', '2026-09-30', 'publishedAt', '2026-10-09 10:00', 'ok'],
    [
      procurementResult,
      'decisionDate',
      '2026-09-30',
      'publishedAt',
      '2026-10-12',
      ['procurement.result-published', '2026-10-09'],
    ],
    [
      { ...procurementResult, family: 'construction', category: 'construction' },
      'decisionDate',
      '2026-09-30',
      'publishedAt',
      '2026-10-12',
      'ok',
    ],
    // k. procurement contract published within 2 working days of signing
    [procurementContract, 'signedDate', '2026-11-26', 'publishedAt', '2026-11-30', 'ok'],
    [
      procurementContract,
      'signedDate',
      '2026-11-26',
      'publishedAt',
      '2026-12-01',
      ['procurement.contract-published', '2026-11-30'],
    ],
    // l. land: notice ≥ 20 days before listing starts
    [landTransfer, 'publishedAt', '2026-11-02', 'listingStart', '2026-11-23', 'ok'],
    [
      landTransfer,
      'publishedAt',
      '2026-11-02',
      'listingStart',
      '2026-11-20',
      ['land.notice-before-start', '2026-11-23'],
    ],
    [{ ...landTransfer, category: 'state-assets' }, 'publishedAt', '2026-11-02', 'listingStart', '2026-11-20', 'ok'],
    // m. land: listing period ≥ 10 working days, across Mid-Autumn and National Day
    [landTransfer, 'listingStart', '2026-09-24', 'listingEnd', '2026-10-15', 'ok'],
    [landTransfer, 'listingStart', '2026-09-24', 'listingEnd', '2026-10-14', ['land.listing-period', '2026-10-15']],
    // n. SOE property rights: disclosure ≥ 20 working days
    [propertyTransfer, 'publishedAt', '2026-11-02', 'listingEnd', '2026-11-30', 'ok'],
    [
      propertyTransfer,
      'publishedAt',
      '2026-11-02',
      'listingEnd',
      '2026-11-27',
      ['property-rights.disclosure-period', '2026-11-30'],
    ],
  ])('%j %s %s → %s %s: %j', (context, fromFact, from, toFact, to, expected) => {
    const violations = evaluateTimingRules(
      DEFAULT_TIMING_RULES,
      facts(context, { [fromFact]: from, [toFact]: to }),
      calendar,
    );
    if (expected === 'ok') {
      expect(violations).toEqual([]);
    } else {
      const [ruleCode, requiredDate] = expected;
      expect(violations).toEqual([
        expect.objectContaining({
          ruleCode,
          from: { fact: fromFact, date: from.slice(0, 10) },
          to: { fact: toFact, date: to.slice(0, 10) },
          requiredDate,
        }),
      ]);
    }
  });

  it('has unique codes, and labels its unconfirmed bases', () => {
    const codes = DEFAULT_TIMING_RULES.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toHaveLength(14);
    const basis = (code: string) => DEFAULT_TIMING_RULES.find((r) => r.code === code)?.basis;
    expect(basis('candidates.publicity-start')).toBe('《招标投标法实施条例》第五十四条');
    expect(basis('construction.tender.documents-to-deadline')).toBe('《招标投标法》第二十四条(待确认)');
  });
});

describe('evaluateTimingRules', () => {
  const tenderRule = DEFAULT_TIMING_RULES.find((r) => r.code === 'construction.tender.documents-to-deadline')!;

  it('names the rule, its basis and the dates in the message', () => {
    const [violation] = evaluateTimingRules(
      [tenderRule],
      facts(constructionTender, { documentsFrom: '2026-11-25 09:00', bidDeadline: '2026-12-10 09:30' }),
      calendar,
    );
    expect(violation).toEqual({
      ruleCode: 'construction.tender.documents-to-deadline',
      label: '招标文件发出之日至投标截止之日不少于20日',
      basis: '《招标投标法》第二十四条(待确认)',
      from: { fact: 'documentsFrom', date: '2026-11-25' },
      to: { fact: 'bidDeadline', date: '2026-12-10' },
      requiredDate: '2026-12-15',
      message:
        '不符合时限规则「招标文件发出之日至投标截止之日不少于20日」（《招标投标法》第二十四条(待确认)）：' +
        '招标文件发出时间 2026-11-25，投标截止时间 2026-12-10，应不早于 2026-12-15',
    });
  });

  it('says 应不晚于 for a within rule', () => {
    const [violation] = evaluateTimingRules(
      DEFAULT_TIMING_RULES,
      facts(procurementContract, { signedDate: '2026-11-26', publishedAt: '2026-12-01' }),
      calendar,
    );
    expect(violation.message).toMatch(/合同签订时间 2026-11-26，公告发布时间 2026-12-01，应不晚于 2026-11-30$/);
  });

  it('compares China dates, not UTC dates', () => {
    // 2026-12-14T16:30Z is 2026-12-15 00:30 in Beijing: on time.
    const onTime: TimingFacts = {
      ...constructionTender,
      dates: { documentsFrom: new Date('2026-11-24T17:00:00Z'), bidDeadline: new Date('2026-12-14T16:30:00Z') },
    };
    expect(evaluateTimingRules([tenderRule], onTime, calendar)).toEqual([]);
    // 2026-11-25T16:30Z is already 2026-11-26 in Beijing: the period starts a day later.
    const late: TimingFacts = {
      ...constructionTender,
      dates: { documentsFrom: new Date('2026-11-25T16:30:00Z'), bidDeadline: new Date('2026-12-15T01:30:00Z') },
    };
    expect(evaluateTimingRules([tenderRule], late, calendar)).toEqual([
      expect.objectContaining({ from: { fact: 'documentsFrom', date: '2026-11-26' }, requiredDate: '2026-12-16' }),
    ]);
  });

  it('reports every broken rule, in rule order', () => {
    const violations = evaluateTimingRules(
      DEFAULT_TIMING_RULES,
      facts(constructionTender, { documentsFrom: '2026-11-25', documentsTo: '2026-11-27', bidDeadline: '2026-12-01' }),
      calendar,
    );
    expect(violations.map((v) => v.ruleCode)).toEqual([
      'construction.tender.documents-to-deadline',
      'construction.documents-on-sale',
    ]);
  });

  const late = facts(constructionTender, { documentsFrom: '2026-11-25', bidDeadline: '2026-12-01' });

  it.each<[string, TimingRule[], TimingFacts]>([
    ['a disabled rule', [{ ...tenderRule, enabled: false }], late],
    ['a missing fact', [tenderRule], facts(constructionTender, { documentsFrom: '2026-11-25' })],
    ['an undefined fact', [tenderRule], { ...late, dates: { ...late.dates, bidDeadline: undefined } }],
    ['another family', [tenderRule], { ...late, family: 'procurement' }],
    ['another notice type', [tenderRule], { ...late, noticeType: 'prequalification' }],
    ['a category outside the rule', [{ ...tenderRule, categories: ['highway'] }], late],
    ['no method when the rule needs one', [{ ...tenderRule, methods: ['open-tender'] }], late],
  ])('skips %s', (_, rules, timingFacts) => {
    expect(evaluateTimingRules(rules, timingFacts, calendar)).toEqual([]);
  });

  it.each<[string, TimingRule]>([
    ['empty lists match everything', { ...tenderRule, families: [], categories: [], noticeTypes: [], methods: [] }],
    ['a matching category', { ...tenderRule, categories: ['construction', 'highway'] }],
  ])('applies when %s', (_, rule) => {
    expect(evaluateTimingRules([rule], late, calendar)).toHaveLength(1);
  });

  it('lets the calendar refuse a period ending in a year not loaded', () => {
    const december = facts(constructionTender, { documentsFrom: '2026-12-20', bidDeadline: '2027-01-12' });
    expect(() => evaluateTimingRules(DEFAULT_TIMING_RULES, december, calendar)).toThrow(
      expect.objectContaining({ code: 'calendar.year-missing', details: { year: 2027 } }),
    );
  });

  it('falls back to the fact name when a custom rule uses an unlabelled fact', () => {
    const custom: TimingRule = { ...tenderRule, from: 'kickoff', to: 'bidDeadline' };
    const [violation] = evaluateTimingRules(
      [custom],
      {
        ...constructionTender,
        dates: { kickoff: parseDateTimeInput('2026-11-25'), bidDeadline: parseDateTimeInput('2026-12-01') },
      },
      calendar,
    );
    expect(violation.message).toContain('kickoff 2026-11-25，投标截止时间 2026-12-01');
  });
});
