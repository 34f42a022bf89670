import { chinaDate } from './china-time.js';
import { WorkingDayCalendar } from './working-days.js';

/**
 * Statutory timing rules, checked before a notice is published. The rules are data (an administrator adjusts
 * them without a code change); this is their pure evaluation against one notice's dates.
 */
export type DayUnit = 'calendar-days' | 'working-days';

export interface TimingRule {
  code: string;
  /** Chinese, shown in the refusal. */
  label: string;
  /** Legal basis, shown in the refusal. */
  basis: string;
  /** Empty = every family. */
  families: string[];
  /** Empty = every category of those families. */
  categories: string[];
  /** Empty = every notice type. */
  noticeTypes: string[];
  /** Empty = any method, including none. */
  methods: string[];
  /** Fact naming the event the period runs from. */
  from: string;
  /** Fact checked against the period's end. */
  to: string;
  /** at-least: `to` on or after the period's end; within: `to` on or before it. */
  comparison: 'at-least' | 'within';
  amount: number;
  unit: DayUnit;
  enabled: boolean;
}

export interface TimingFacts {
  family: string;
  category: string;
  noticeType: string;
  method?: string;
  dates: Record<string, Date | undefined>;
}

export interface TimingViolation {
  ruleCode: string;
  label: string;
  basis: string;
  from: { fact: string; date: string };
  to: { fact: string; date: string };
  requiredDate: string;
  message: string;
}

/** Chinese names of the facts (the date fields of notice details). */
export const FACT_LABELS: Record<string, string> = {
  publishedAt: '公告发布时间',
  documentsFrom: '招标文件发出时间',
  documentsTo: '文件获取截止时间',
  bidDeadline: '投标截止时间',
  openingTime: '开标时间',
  evaluationReportDate: '评标报告提交时间',
  publicityStart: '公示开始时间',
  publicityEnd: '公示结束时间',
  decisionDate: '中标（成交）结果确定时间',
  signedDate: '合同签订时间',
  listingStart: '挂牌开始时间',
  listingEnd: '挂牌截止时间',
  auctionStart: '拍卖开始时间',
  effectiveBidDeadline: '更正后的投标截止时间',
};

const matches = (allowed: string[], value: string | undefined) =>
  allowed.length === 0 || (value !== undefined && allowed.includes(value));

export function evaluateTimingRules(
  rules: TimingRule[],
  facts: TimingFacts,
  calendar: WorkingDayCalendar,
): TimingViolation[] {
  const violations: TimingViolation[] = [];
  for (const rule of rules) {
    const applies =
      rule.enabled &&
      matches(rule.families, facts.family) &&
      matches(rule.categories, facts.category) &&
      matches(rule.noticeTypes, facts.noticeType) &&
      matches(rule.methods, facts.method);
    const fromInstant = facts.dates[rule.from];
    const toInstant = facts.dates[rule.to];
    if (!applies || !fromInstant || !toInstant) continue;

    // The law counts whole days, so compare China dates, not instants.
    const from = chinaDate(fromInstant);
    const to = chinaDate(toInstant);
    const requiredDate = calendar.periodEnd(from, rule.amount, rule.unit);
    const ok = rule.comparison === 'at-least' ? to >= requiredDate : to <= requiredDate;
    if (ok) continue;

    const fromLabel = FACT_LABELS[rule.from] ?? rule.from;
    const toLabel = FACT_LABELS[rule.to] ?? rule.to;
    const bound = rule.comparison === 'at-least' ? '应不早于' : '应不晚于';
    violations.push({
      ruleCode: rule.code,
      label: rule.label,
      basis: rule.basis,
      from: { fact: rule.from, date: from },
      to: { fact: rule.to, date: to },
      requiredDate,
      message:
        `不符合时限规则「${rule.label}」（${rule.basis}）：` +
        `${fromLabel} ${from}，${toLabel} ${to}，${bound} ${requiredDate}`,
    });
  }
  return violations;
}

type RuleDefaults = Pick<TimingRule, 'families' | 'categories' | 'noticeTypes' | 'methods' | 'enabled'>;
const rule = (r: Omit<TimingRule, keyof RuleDefaults> & Partial<RuleDefaults>): TimingRule => ({
  families: [],
  categories: [],
  noticeTypes: [],
  methods: [],
  enabled: true,
  ...r,
});

/** Defaults from DOMAIN.md; '(待确认)' marks a basis taken from general knowledge, not a retrieved text. */
export const DEFAULT_TIMING_RULES: TimingRule[] = [
  rule({
    code: 'candidates.publicity-start',
    label: '收到评标报告之日起3日内公示中标候选人',
    basis: '《招标投标法实施条例》第五十四条',
    families: ['construction'],
    noticeTypes: ['candidates'],
    from: 'evaluationReportDate',
    to: 'publicityStart',
    comparison: 'within',
    amount: 3,
    unit: 'calendar-days',
  }),
  rule({
    code: 'candidates.publicity-length',
    label: '中标候选人公示期不得少于3日',
    basis: '《招标投标法实施条例》第五十四条',
    noticeTypes: ['candidates'],
    from: 'publicityStart',
    to: 'publicityEnd',
    comparison: 'at-least',
    amount: 3,
    unit: 'calendar-days',
  }),
  rule({
    code: 'construction.tender.documents-to-deadline',
    label: '招标文件发出之日至投标截止之日不少于20日',
    basis: '《招标投标法》第二十四条(待确认)',
    families: ['construction'],
    noticeTypes: ['tender'],
    from: 'documentsFrom',
    to: 'bidDeadline',
    comparison: 'at-least',
    amount: 20,
    unit: 'calendar-days',
  }),
  rule({
    code: 'correction.bid-affecting',
    label: '影响投标文件编制的澄清或修改应在投标截止时间至少15日前发出',
    basis: '《招标投标法》第二十三条(待确认)',
    noticeTypes: ['correction'],
    from: 'publishedAt',
    to: 'effectiveBidDeadline',
    comparison: 'at-least',
    amount: 15,
    unit: 'calendar-days',
  }),
  rule({
    code: 'construction.documents-on-sale',
    label: '资格预审文件或招标文件的发售期不得少于5日',
    basis: '《招标投标法实施条例》第十六条(待确认)',
    families: ['construction'],
    noticeTypes: ['tender', 'prequalification'],
    from: 'documentsFrom',
    to: 'documentsTo',
    comparison: 'at-least',
    amount: 5,
    unit: 'calendar-days',
  }),
  rule({
    code: 'procurement.open-tender.documents-to-deadline',
    label: '采购招标文件发出之日至投标截止之日不少于20日',
    basis: '《政府采购法》第三十五条(待确认)',
    families: ['procurement'],
    noticeTypes: ['procurement'],
    methods: ['open-tender'],
    from: 'documentsFrom',
    to: 'bidDeadline',
    comparison: 'at-least',
    amount: 20,
    unit: 'calendar-days',
  }),
  rule({
    code: 'procurement.notice-period',
    label: '采购招标文件提供期限不少于5个工作日',
    basis: '财政部令第87号(待确认)',
    families: ['procurement'],
    noticeTypes: ['procurement'],
    methods: ['open-tender', 'invited-tender'],
    from: 'documentsFrom',
    to: 'documentsTo',
    comparison: 'at-least',
    amount: 5,
    unit: 'working-days',
  }),
  rule({
    code: 'procurement.negotiation-inquiry',
    label: '谈判文件或询价通知书发出之日至响应文件提交截止之日不少于3个工作日',
    basis: '财政部令第74号(待确认)',
    families: ['procurement'],
    noticeTypes: ['procurement'],
    methods: ['competitive-negotiation', 'inquiry'],
    from: 'documentsFrom',
    to: 'bidDeadline',
    comparison: 'at-least',
    amount: 3,
    unit: 'working-days',
  }),
  rule({
    code: 'procurement.consultation',
    label: '磋商文件发出之日至响应文件提交截止之日不少于10日',
    basis: '财库〔2014〕214号(待确认)',
    families: ['procurement'],
    noticeTypes: ['procurement'],
    methods: ['competitive-consultation'],
    from: 'documentsFrom',
    to: 'bidDeadline',
    comparison: 'at-least',
    amount: 10,
    unit: 'calendar-days',
  }),
  rule({
    code: 'procurement.result-published',
    label: '中标、成交供应商确定之日起2个工作日内公告结果',
    basis: '《政府采购法实施条例》第四十三条',
    families: ['procurement'],
    noticeTypes: ['result'],
    from: 'decisionDate',
    to: 'publishedAt',
    comparison: 'within',
    amount: 2,
    unit: 'working-days',
  }),
  rule({
    code: 'procurement.contract-published',
    label: '政府采购合同签订之日起2个工作日内公告',
    basis: '《政府采购法实施条例》第五十条(待确认)',
    families: ['procurement'],
    noticeTypes: ['contract'],
    from: 'signedDate',
    to: 'publishedAt',
    comparison: 'within',
    amount: 2,
    unit: 'working-days',
  }),
  rule({
    code: 'land.notice-before-start',
    label: '出让公告应至少在挂牌开始日前20日发布',
    basis: '国土资源部令第39号(待确认)',
    families: ['transfer'],
    categories: ['land-mining'],
    noticeTypes: ['transfer'],
    from: 'publishedAt',
    to: 'listingStart',
    comparison: 'at-least',
    amount: 20,
    unit: 'calendar-days',
  }),
  rule({
    code: 'land.listing-period',
    label: '挂牌期限不少于10个工作日',
    basis: '国土资源部令第39号(待确认)',
    families: ['transfer'],
    categories: ['land-mining'],
    noticeTypes: ['transfer'],
    from: 'listingStart',
    to: 'listingEnd',
    comparison: 'at-least',
    amount: 10,
    unit: 'working-days',
  }),
  rule({
    code: 'property-rights.disclosure-period',
    label: '国有产权转让信息正式披露期不少于20个工作日',
    basis: '国务院国资委 财政部令第32号(待确认)',
    families: ['transfer'],
    categories: ['property-rights'],
    noticeTypes: ['transfer'],
    from: 'publishedAt',
    to: 'listingEnd',
    comparison: 'at-least',
    amount: 20,
    unit: 'working-days',
  }),
];
