import { PROCUREMENT_METHODS, type EvaluationMethod, type ProcurementMethod } from '../domain/catalog.js';
import { addDays } from '../domain/china-time.js';
import type { PeriodUnit } from '../domain/working-days.js';
import type { DemoContext, DemoProject } from './demo-project.js';
import { Trail } from './demo-project.js';
import { laterBy, officeTime, type DemoDays } from './days.js';
import { companies, company, contactParty, partyRef, type Org } from './parties.js';
import type { PurchaseCategory, PurchaseSubject } from './purchase-subjects.js';
import type { Random } from './random.js';
import {
  amount,
  cnDate,
  cnDateTime,
  CENTER_ADDRESS,
  numbered,
  PLATFORM_NAME,
  PLATFORM_URL,
  showAmount,
  wanToFen,
} from './text.js';

/**
 * Procurement projects (政府采购, 医疗器械和耗材): the notice of each method, a correction, the bid-opening record
 * of tenders, the award, the contract and its acceptance.
 */
export interface PurchaseSlot {
  category: PurchaseCategory;
  method: ProcurementMethod;
  /** The response deadline (and opening), in days from today. */
  deadline: number;
  correction?: boolean;
  ending?: 'terminated' | 'result-withdrawn';
  offline?: boolean;
}

/** The periods each method's notice must allow (see DEFAULT_TIMING_RULES), and what its notices are called. */
const METHODS: Record<
  ProcurementMethod,
  { toDeadline: [number, PeriodUnit]; documents: [number, PeriodUnit]; notice: string; award: '中标' | '成交' }
> = {
  'open-tender': {
    toDeadline: [20, 'calendar-days'],
    documents: [5, 'working-days'],
    notice: '公开招标公告',
    award: '中标',
  },
  'invited-tender': {
    toDeadline: [20, 'calendar-days'],
    documents: [5, 'working-days'],
    notice: '邀请招标资格预审公告',
    award: '中标',
  },
  'competitive-consultation': {
    toDeadline: [10, 'calendar-days'],
    documents: [5, 'working-days'],
    notice: '竞争性磋商公告',
    award: '成交',
  },
  'competitive-negotiation': {
    toDeadline: [4, 'working-days'],
    documents: [3, 'working-days'],
    notice: '竞争性谈判公告',
    award: '成交',
  },
  inquiry: { toDeadline: [4, 'working-days'], documents: [3, 'working-days'], notice: '询价公告', award: '成交' },
  'single-source': {
    toDeadline: [6, 'working-days'],
    documents: [5, 'working-days'],
    notice: '单一来源采购公示',
    award: '成交',
  },
};

/** Methods whose responses are opened in public, with a bid-opening record. */
const OPENED: ProcurementMethod[] = ['open-tender', 'invited-tender', 'competitive-consultation'];

interface Offer {
  supplier: Org;
  fen: number;
}

interface PurchaseDates {
  announced: string;
  announcedAt: string;
  documentsTo: string;
  /** The deadline as first announced; a correction may move it to `deadline`. */
  announcedDeadline: string;
  deadline: string;
  deadlineTime: string;
  correction?: string;
}

/** What the steps of one project share; the later steps read what the earlier ones decided. */
interface Purchase {
  slot: PurchaseSlot;
  subject: PurchaseSubject;
  days: DemoDays;
  rng: Random;
  trail: Trail;
  dates: PurchaseDates;
  code: string;
  budgetFen: number;
  unit: '元' | '万元';
  agency: Org | null;
  offers: Offer[];
  place: string;
  /** 评审方法; none for single source, and absent on a few notices, as on those from before it was recorded. */
  evaluationMethod?: EvaluationMethod;
  /** 否决投标情况 of the award: absent (not recorded), or the offers rejected (empty: none). */
  rejected?: { offer: Offer; reason: string }[];
  winner?: Offer;
  resultDay?: string;
  signed?: string;
}

type Step = (p: Purchase) => boolean;

const STEPS: Step[] = [announce, correct, openBids, terminate, award, signContract, accept];

export function purchaseProject(slot: PurchaseSlot, subject: PurchaseSubject, ctx: DemoContext): DemoProject {
  const { days, rng } = ctx;
  const dates = purchaseDates(slot, days, rng);
  const year = Number(dates.announced.slice(0, 4));
  const budgetFen = wanToFen(rng.int(subject.budgetWan[0], subject.budgetWan[1]) + rng.int(0, 99) / 100);
  // Small budgets are quoted in 元, larger ones in 万元, as purchasers write them.
  const unit = budgetFen < wanToFen(100) ? '元' : '万元';
  const agency = slot.method === 'single-source' && rng.chance(0.5) ? null : company(rng, 'agency');
  const p: Purchase = {
    slot,
    subject,
    days,
    rng,
    trail: new Trail(days),
    dates,
    budgetFen,
    unit,
    agency,
    code: `${slot.category === 'medical' ? 'DLYX' : 'DLZC'}${year}-${String(ctx.serial).padStart(4, '0')}`,
    offers: companies(rng, subject.trade, slot.method === 'single-source' ? 1 : rng.int(3, 7)).map((supplier) => ({
      supplier,
      fen: Math.round(budgetFen * (0.78 + rng.next() * 0.21)),
    })),
    place: slot.offline ? `${CENTER_ADDRESS}第${rng.int(1, 6)}开标室` : `${PLATFORM_NAME}（线上开标）`,
  };
  const dto = {
    dealCode: `2102-${slot.category === 'medical' ? 'YX' : 'ZC'}-${year}-${String(ctx.serial).padStart(4, '0')}`,
    tenderCode: p.code,
    category: slot.category,
    regionCode: subject.district.code,
    name: subject.name,
    summary: `${subject.need}。`,
    price: { kind: 'budget' as const, ...amount(budgetFen, unit) },
    procurementMethod: slot.method,
    fundingSource: slot.category === 'medical' ? '单位自有资金' : '财政资金',
    fullyOnline: !slot.offline,
    parties: [
      { role: 'purchaser', ...contactParty(subject.purchaser) },
      ...(agency ? [{ role: 'agency', ...contactParty(agency) }] : []),
    ],
  };
  planEvaluation(p, rng.fork('evaluation'));
  for (const step of STEPS) if (!step(p)) break;
  return { dto, notices: p.trail.notices };
}

// ---- the steps ----------------------------------------------------------------------------------------

function announce(p: Purchase): boolean {
  const { slot, subject, dates, days } = p;
  const deadline = days.iso(dates.announcedDeadline, dates.deadlineTime);
  return p.trail.add({
    key: 'announcement',
    type: 'procurement',
    title: `${subject.name}${METHODS[slot.method].notice}`,
    publishedAt: days.at(dates.announced, dates.announcedAt),
    body: noticeBody(p),
    details: {
      method: slot.method,
      content: subject.need,
      qualifications: qualifications(p),
      consortiumAccepted: false,
      budget: amount(p.budgetFen, p.unit),
      ...(slot.method === 'single-source' ? {} : { maxPrice: amount(p.budgetFen, p.unit) }),
      ...(p.evaluationMethod ? { evaluationMethod: p.evaluationMethod } : {}),
      documentsFrom: days.iso(dates.announced, dates.announcedAt),
      documentsTo: days.iso(dates.documentsTo, '17:00'),
      documentsMethod: slot.offline ? `于工作日到${CENTER_ADDRESS}领取纸质采购文件` : `登录${PLATFORM_NAME}免费下载`,
      submissionMethod: slot.offline
        ? `纸质响应文件密封后递交至${CENTER_ADDRESS}`
        : `通过${PLATFORM_NAME}上传加密电子文件`,
      platformUrl: PLATFORM_URL,
      ...(p.agency ? { agency: contactParty(p.agency) } : {}),
      bidDeadline: deadline,
      openingTime: deadline,
      purchaser: contactParty(subject.purchaser),
    },
  });
}

function correct(p: Purchase): boolean {
  const { dates, days, rng } = p;
  if (!dates.correction) return true;
  const before = days.iso(dates.announcedDeadline, dates.deadlineTime);
  const after = days.iso(dates.deadline, dates.deadlineTime);
  return p.trail.add({
    key: 'correction-1',
    type: 'correction',
    title: `${p.subject.name}更正公告`,
    target: 'announcement',
    publishedAt: days.at(dates.correction, officeTime(rng, 'afternoon')),
    body: numbered([
      ['原公告的采购项目编号及名称', `${p.code}  ${p.subject.name}`],
      ['更正事项', `采购需求第${rng.int(2, 6)}项技术参数修改，提交投标文件截止时间和开标时间相应顺延。`],
      ['更正内容', `提交投标文件截止时间及开标时间由${cnDateTime(before)}变更为${cnDateTime(after)}。`],
      ['其他补充事宜', '更正后的采购文件已在交易平台发布，已下载采购文件的供应商请重新下载。其他内容不变。'],
    ]),
    details: {
      reason: '采购需求技术参数修改，投标截止时间顺延',
      affectsBids: true,
      changes: { bidDeadline: after, openingTime: after },
    },
  });
}

function openBids(p: Purchase): boolean {
  const { slot, subject, dates, days } = p;
  if (!OPENED.includes(slot.method)) return true;
  const opening = days.iso(dates.deadline, dates.deadlineTime);
  return p.trail.add({
    key: 'bid-opening',
    type: 'bid-opening',
    title: `${subject.name}开标记录`,
    publishedAt: days.at(dates.deadline, laterBy(dates.deadlineTime, 70)),
    body: `${subject.name}（项目编号：${p.code}）于${cnDateTime(opening)}在${p.place}开标，共有${p.offers.length}家供应商递交投标文件。\n最高限价：${showAmount(p.budgetFen, p.unit)}。\n${p.offers.map((o, i) => `${i + 1}. ${o.supplier.name}  投标报价：${showAmount(o.fen, '元')}`).join('\n')}`,
    details: {
      openingTime: opening,
      openingPlace: p.place,
      controlPrice: amount(p.budgetFen, p.unit),
      bids: p.offers.map((o) => ({
        bidder: o.supplier.name,
        creditCode: o.supplier.creditCode,
        price: { form: 'amount', ...amount(o.fen, '元') },
        duration: subject.delivery.slice(0, 100),
      })),
    },
  });
}

function terminate(p: Purchase): boolean {
  const { slot, dates, days, rng } = p;
  if (slot.ending !== 'terminated') return true;
  const reason = OPENED.includes(slot.method)
    ? '经评审，实质性响应采购文件要求的供应商不足三家，依据《中华人民共和国政府采购法》第三十六条，本项目废标'
    : '截至响应文件提交截止时间，提交响应文件的供应商不足三家，本项目终止采购';
  p.trail.add({
    key: 'termination',
    type: 'termination',
    title: `${p.subject.name}废标（终止）公告`,
    publishedAt: days.at(days.addWorkingDays(dates.deadline, 1), officeTime(rng)),
    body: numbered([
      ['项目编号及名称', `${p.code}  ${p.subject.name}`],
      ['废标（终止）原因', `${reason}。`],
      ['后续安排', '采购人将重新组织采购，届时另行公告。'],
    ]),
    details: { reason },
  });
  return false;
}

/** The award, published within 2 working days of the decision. */
function award(p: Purchase): boolean {
  const { slot, subject, dates, days, rng } = p;
  const kind = METHODS[slot.method].award;
  const rejected = p.rejected ?? [];
  const valid = p.offers.filter((o) => !rejected.some((r) => r.offer === o));
  const winner = (p.winner = [...valid].sort((a, b) => a.fen - b.fen)[0]);
  const decision = days.addWorkingDays(dates.deadline, slot.method === 'single-source' ? 1 : rng.int(1, 3));
  p.resultDay = days.addWorkingDays(decision, 1);
  const result = (key: string, fen: number, at: Date, again: boolean) => ({
    key,
    type: 'result' as const,
    title: `${subject.name}${kind}结果公告${again ? '（更正后重新发布）' : ''}`,
    publishedAt: at,
    body: numbered([
      ['项目编号及名称', `${p.code}  ${subject.name}`],
      [
        `${kind}信息`,
        `供应商名称：${winner.supplier.name}\n统一社会信用代码：${winner.supplier.creditCode}\n供应商地址：${winner.supplier.address}\n${kind}金额：${showAmount(fen, '元')}`,
      ],
      ['主要标的信息', `${subject.need}；${subject.delivery}。`],
      ...(p.rejected
        ? [
            [
              '否决投标（无效响应）情况',
              rejected.length ? rejected.map((r) => `${r.offer.supplier.name}：${r.reason}`).join('\n') : '无',
            ] as [string, string],
          ]
        : []),
      ['评审专家名单', `${['王', '刘', '孙', '赵', '周'].map((s) => `${s}**`).join('、')}（另有采购人代表1名）`],
      ['公告期限', '自本公告发布之日起1个工作日。'],
      [
        '其他补充事宜',
        slot.method === 'single-source'
          ? `单一来源采购理由：${subject.soleReason}。公示期间未收到异议。`
          : `采购方式：${methodName(slot.method)}；确定${kind}供应商日期：${cnDate(decision)}。`,
      ],
    ]),
    details: {
      decisionDate: decision,
      winners: [{ ...partyRef(winner.supplier), price: { form: 'amount', ...amount(fen, '元') } }],
      ...(p.rejected ? { rejectedBids: rejected.map((r) => ({ ...bidderOf(r.offer), reason: r.reason })) } : {}),
    },
  });
  if (slot.ending !== 'result-withdrawn')
    return p.trail.add(result('result', winner.fen, days.at(p.resultDay, officeTime(rng)), false));
  // Published with a digit too many, withdrawn and published again: still within the 2 working days.
  const again = days.addWorkingDays(decision, 2);
  return (
    p.trail.add(result('result-1', winner.fen * 10, days.at(p.resultDay, '10:00'), false)) &&
    p.trail.withdraw(
      'withdrawal-1',
      'result-1',
      `公告中的${kind}金额录入有误（多录入一位数字），正确金额为${showAmount(winner.fen, '元')}，撤回后重新发布。`,
      days.at(again, '09:00'),
    ) &&
    p.trail.add(result('result-2', winner.fen, days.at(again, '09:30'), true))
  );
}

const REJECTION_REASONS = [
  '所投产品的技术参数不满足采购文件中标注“★”的实质性要求',
  '未按采购文件要求提供供应商资格证明文件',
  '投标有效期短于采购文件规定的期限，未实质性响应采购文件',
  '投标文件未按采购文件要求签字、盖章',
];

/**
 * The evaluation method by procurement method (consultation scores, negotiation and inquiry take the lowest
 * price, tenders either), and the rejections a few awards of opened procurements record: the highest offer, where
 * at least three remain (fewer would end the procurement, Government Procurement Law art. 36). Drawn from its own
 * fork, so the rest of the project is as it was.
 */
function planEvaluation(p: Purchase, rng: Random) {
  const method = p.slot.method;
  if (method !== 'single-source' && !rng.chance(0.1)) {
    p.evaluationMethod =
      method === 'competitive-consultation'
        ? 'comprehensive'
        : method === 'competitive-negotiation' || method === 'inquiry'
          ? 'lowest-price'
          : rng.pick(['comprehensive', 'comprehensive', 'lowest-price']);
  }
  if (!OPENED.includes(method) || !rng.chance(0.8)) return;
  p.rejected = [];
  if (p.offers.length >= 4 && rng.chance(0.4)) {
    const highest = [...p.offers].sort((a, b) => b.fen - a.fen)[0];
    p.rejected.push({ offer: highest, reason: rng.pick(REJECTION_REASONS) });
  }
}

const bidderOf = (o: Offer) => ({ bidder: o.supplier.name, creditCode: o.supplier.creditCode });

/** The contract, published within 2 working days of signing. */
function signContract(p: Purchase): boolean {
  const { subject, days, rng } = p;
  const offer = p.winner!;
  const signed = (p.signed = days.addWorkingDays(p.resultDay!, rng.int(3, 15)));
  return p.trail.add({
    key: 'contract',
    type: 'contract',
    title: `${subject.name}合同公告`,
    publishedAt: days.at(days.addWorkingDays(signed, rng.int(1, 2)), officeTime(rng)),
    body: numbered([
      ['合同编号', `${p.code}-HT01`],
      ['合同名称', `${subject.name}${subject.service ? '服务' : '采购'}合同`],
      ['项目编号及名称', `${p.code}  ${subject.name}`],
      [
        '合同主体',
        `采购人（甲方）：${subject.purchaser.name}\n地址：${subject.purchaser.address}\n供应商（乙方）：${offer.supplier.name}\n地址：${offer.supplier.address}`,
      ],
      [
        '合同主要信息',
        `主要标的：${subject.need}\n合同金额：${showAmount(offer.fen, '元')}\n履约期限：${subject.delivery}`,
      ],
      ['合同签订日期', cnDate(signed)],
    ]),
    details: {
      signedDate: signed,
      contractNo: `${p.code}-HT01`,
      supplier: partyRef(offer.supplier),
      amount: amount(offer.fen, '元'),
      duration: subject.delivery,
      content: subject.need,
    },
  });
}

/** Goods are accepted once delivered; services report how they are going. */
function accept(p: Purchase): boolean {
  const { subject, days, rng } = p;
  const supplier = p.winner!.supplier.name;
  const reportDay = days.onOrAfter(addDays(p.signed!, rng.int(35, 150)));
  const acceptance = days.onOrBefore(addDays(reportDay, -2));
  const goods = !subject.service;
  return p.trail.add({
    key: 'performance',
    type: 'performance',
    title: `${subject.name}${goods ? '验收结果公告' : '履约情况公告'}`,
    publishedAt: days.at(reportDay, officeTime(rng)),
    body: numbered([
      ['项目编号及名称', `${p.code}  ${subject.name}`],
      ['合同编号', `${p.code}-HT01`],
      [
        goods ? '验收情况' : '履约情况',
        goods
          ? `${supplier}已按合同约定完成供货及安装调试，采购人于${cnDate(acceptance)}组织验收，验收结论：合格。`
          : `${supplier}按合同约定提供服务，经采购人季度考核，服务质量达到合同要求。`,
      ],
    ]),
    details: goods
      ? { status: 'accepted', acceptanceDate: acceptance, summary: '已按合同约定完成供货及安装调试，验收合格' }
      : { status: 'in-progress', summary: '服务按合同履行中，季度考核合格' },
  });
}

// ---- dates and text -----------------------------------------------------------------------------------

function purchaseDates(slot: PurchaseSlot, days: DemoDays, rng: Random): PurchaseDates {
  const method = METHODS[slot.method];
  const deadline =
    slot.deadline >= 0 ? days.onOrAfter(days.day(slot.deadline)) : days.onOrBefore(days.day(slot.deadline));
  let announcedDeadline = deadline;
  let correction: string | undefined;
  if (slot.correction) {
    // A change that affects the bids must come at least 15 days before the (new) deadline.
    correction = days.onOrBefore(addDays(days.latestStart(deadline, 15, 'calendar-days'), -rng.int(0, 3)));
    announcedDeadline = days.onOrAfter(addDays(correction, rng.int(4, 9)));
  }
  const announced = days.clampToPast(
    days.onOrBefore(addDays(days.latestStart(announcedDeadline, ...method.toDeadline), -rng.int(0, 3))),
  );
  const documentsEnd = days.periodEnd(announced, ...method.documents);
  return {
    announced,
    announcedAt: officeTime(rng),
    documentsTo: documentsEnd < announcedDeadline ? documentsEnd : announcedDeadline,
    announcedDeadline,
    deadline,
    deadlineTime: rng.pick(['09:00', '09:30', '10:00', '14:00']),
    correction,
  };
}

const methodName = (method: ProcurementMethod) => PROCUREMENT_METHODS.find((m) => m.slug === method)!.name;

function qualifications(p: Purchase): string {
  const { subject } = p;
  const base =
    '满足《中华人民共和国政府采购法》第二十二条规定；未被列入“信用中国”网站失信被执行人、重大税收违法失信主体及中国政府采购网政府采购严重违法失信行为记录名单';
  const special =
    p.slot.category === 'medical'
      ? '具有有效的医疗器械经营许可证或备案凭证，所投产品具有有效的医疗器械注册证'
      : subject.trade === 'food'
        ? '具有有效的食品经营许可证，具备冷链配送能力'
        : subject.service
          ? '具有履行合同所必需的设备和专业技术能力'
          : '所投产品为国产或合法进口产品';
  return `${base}；${special}。本项目${p.budgetFen > wanToFen(400) ? '预留40%的份额' : '专门'}面向中小企业采购。`;
}

function noticeBody(p: Purchase): string {
  const { slot, subject, dates, days, agency } = p;
  const contacts =
    `采购人：${subject.purchaser.name}  地址：${subject.purchaser.address}  联系人：${subject.purchaser.contactName}  电话：${subject.purchaser.contactPhone}` +
    (agency
      ? `\n采购代理机构：${agency.name}  地址：${agency.address}  联系人：${agency.contactName}  电话：${agency.contactPhone}`
      : '');
  const budget = showAmount(p.budgetFen, p.unit);
  if (slot.method === 'single-source') {
    return numbered([
      [
        '项目信息',
        `采购项目编号：${p.code}\n采购项目名称：${subject.name}\n预算金额：${budget}\n采购需求：${subject.need}`,
      ],
      ['拟采购的货物或服务的说明', `${subject.need}；${subject.delivery}。`],
      ['采用单一来源采购方式的原因及说明', `${subject.soleReason}。`],
      [
        '公示期限',
        `${cnDate(dates.announced)}至${cnDate(dates.documentsTo)}（5个工作日）。任何供应商、单位或个人对采用单一来源采购方式有异议的，可在公示期内将书面意见反馈至采购人及本级财政部门。`,
      ],
      ['联系方式', contacts],
    ]);
  }
  return numbered([
    [
      '项目基本情况',
      `项目编号：${p.code}\n项目名称：${subject.name}\n采购方式：${methodName(slot.method)}\n预算金额：${budget}\n最高限价：${budget}\n采购需求：${subject.need}\n合同履行期限：${subject.delivery}\n本项目不接受联合体投标。`,
    ],
    ['申请人的资格要求', qualifications(p)],
    [
      '获取采购文件',
      `时间：${cnDate(dates.announced)}至${cnDate(dates.documentsTo)}，每天9:00至17:00（北京时间，法定节假日除外）\n地点及方式：${slot.offline ? CENTER_ADDRESS : `${PLATFORM_NAME}（${PLATFORM_URL}）网上获取`}\n售价：0元`,
    ],
    [
      '提交响应文件截止时间、开启时间和地点',
      `${cnDateTime(days.iso(dates.announcedDeadline, dates.deadlineTime))}（北京时间）\n地点：${p.place}`,
    ],
    ['公告期限', '自本公告发布之日起5个工作日。'],
    ['对本次采购提出询问，请按以下方式联系', contacts],
  ]);
}
