import type { EvaluationMethod } from '../domain/catalog.js';
import { evaluationMethodName } from '../domain/catalog.js';
import { addDays, daysBetween } from '../domain/china-time.js';
import { formatAmountIn } from '../domain/money.js';
import type { DemoContext, DemoProject } from './demo-project.js';
import { Trail } from './demo-project.js';
import { laterBy, officeTime, type DemoDays } from './days.js';
import { companies, contactParty, partyRef, personName, type Org } from './parties.js';
import type { Random } from './random.js';
import { localName } from './tables.js';
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
import { WORKS_TRADE, worksAgency, type WorksCategory, type WorksSubject } from './works-subjects.js';

/**
 * Works projects (工程建设, 市政, 公路, 水利, 港口): tender or pre-qualification notice, corrections, bid-opening
 * records, candidate publicity, result, contract and performance, with the twists a demo should show.
 */
export interface WorksSlot {
  category: WorksCategory;
  /** The bid opening, in days from today (negative: already held). */
  opening: number;
  lots?: boolean;
  prequalification?: boolean;
  /** deadline: a correction moves the bid deadline; deadline-withdrawn: its first version had an error. */
  correction?: 'deadline' | 'deadline-withdrawn' | 'clarification';
  ending?: 'terminated' | 'abnormal';
  offline?: boolean;
}

const CATEGORY_CODE: Record<WorksCategory, string> = {
  construction: 'JS',
  municipal: 'SZ',
  highway: 'GL',
  water: 'SL',
  port: 'GK',
};
const SUPERVISING_BODY: Record<WorksCategory, string> = {
  construction: '住房和城乡建设局',
  municipal: '住房和城乡建设局',
  highway: '交通运输局',
  water: '水务局',
  port: '海洋发展局',
};

interface Bid {
  bidder: Org;
  price: { form: string; value: string; unit: string };
  /** Lower is better: the amount, or minus the rate. */
  rank: number;
  projectManager: string;
  certificateNo: string;
  duration: string;
  quality: string;
}

/** A lot (标段), or the whole project when it has none. */
interface Section {
  code?: string;
  name?: string;
  budgetFen: number;
  /** Priced as a down rate (下浮率) on the budget rather than as an amount. */
  rated: boolean;
  supervision: boolean;
  bids: Bid[];
  /** Bids the evaluation committee rejected (否决投标), with the reason published with the candidates. */
  rejected: { bid: Bid; reason: string }[];
}

/** The dates a works project's notices follow, worked out backwards from its bid opening. */
interface WorksDates {
  announced: string;
  announcedAt: string;
  documentsTo: string;
  /** The deadline as first announced; a correction may move it to `opening`. */
  announcedDeadline: string;
  opening: string;
  openingTime: string;
  applicationDeadline?: string;
  corrections: string[];
}

/** What the steps of one project share; the later steps read what the earlier ones decided. */
interface Works {
  slot: WorksSlot;
  subject: WorksSubject;
  days: DemoDays;
  rng: Random;
  trail: Trail;
  dates: WorksDates;
  parts: Section[];
  agency: Org;
  tenderCode: string;
  budgetFen: number;
  openingPlace: string;
  /** 行政监督部门, where objections and complaints go. */
  supervisor: string;
  /** Working days from the bid opening to the evaluation report. */
  evaluationDays: number;
  winners: { section: Section; bid: Bid }[];
  /** 评标办法 as the tender notice names it; absent on some, as on notices from before it was recorded. */
  evaluationMethod?: EvaluationMethod;
  /** Whether the candidate publicity records the rejected bids (an empty list when there were none). */
  rejectionsRecorded: boolean;
  resultDay?: string;
  signed?: string;
}

/** One stage of a project's life; false when the life stops there (today is reached, or the project ended). */
type Step = (w: Works) => boolean;

const STEPS: Step[] = [
  announce,
  correct,
  openBids,
  handleIrregularity,
  publishCandidates,
  award,
  signContracts,
  reportPerformance,
];

export function worksProject(slot: WorksSlot, subject: WorksSubject, ctx: DemoContext): DemoProject {
  const { days, rng } = ctx;
  const dates = worksDates(slot, days, rng);
  const year = Number(dates.announced.slice(0, 4));
  const d = subject.district;
  const tenderCode = `E${d.code}${year}${String(ctx.serial).padStart(4, '0')}`;
  const budgetFen = wanToFen(rng.int(subject.budgetWan[0], subject.budgetWan[1]) + rng.int(0, 99) / 100);
  const agency = worksAgency(rng);
  const parts = worksSections(slot, subject, tenderCode, budgetFen, rng);
  const w: Works = {
    slot,
    subject,
    days,
    rng,
    trail: new Trail(days),
    dates,
    parts,
    agency,
    tenderCode,
    budgetFen,
    openingPlace: slot.offline ? `${CENTER_ADDRESS}第${rng.int(1, 6)}开标室` : `${PLATFORM_NAME}不见面开标大厅（线上）`,
    supervisor: localName(d, SUPERVISING_BODY[slot.category]),
    evaluationDays: 1,
    winners: [],
    rejectionsRecorded: false,
  };
  planEvaluation(w, rng.fork('evaluation'));
  const dto = {
    dealCode: `2102-${CATEGORY_CODE[slot.category]}-${year}-${String(ctx.serial).padStart(4, '0')}`,
    tenderCode,
    investmentCode: `${year}-${d.code}-${rng.pick(['47', '48', '78'])}-01-${rng.digits(6)}`,
    category: slot.category,
    regionCode: d.code,
    name: subject.name,
    summary: `${subject.scale}。`,
    price: { kind: 'budget' as const, ...amount(budgetFen, '万元') },
    fundingSource: subject.fundingSource,
    fullyOnline: !slot.offline,
    parties: [
      { role: 'tenderer', ...contactParty(subject.tenderer) },
      { role: 'agency', ...contactParty(agency) },
    ],
    lots: parts
      .filter((s) => s.code)
      .map((s) => ({ code: s.code!, name: s.name!, budget: amount(s.budgetFen, '万元') })),
  };
  for (const step of STEPS) if (!step(w)) break;
  return { dto, notices: w.trail.notices };
}

// ---- the steps ----------------------------------------------------------------------------------------

function announce(w: Works): boolean {
  const { slot, subject, dates, days, parts } = w;
  const iso = (date: string, t: string) => days.iso(date, t);
  const common = {
    content: `${subject.name}：${subject.scope}`,
    qualifications: qualificationText(slot, parts),
    consortiumAccepted: w.budgetFen > wanToFen(10000),
    documentsFrom: iso(dates.announced, dates.announcedAt),
    documentsTo: iso(dates.documentsTo, '17:00'),
    documentsMethod: `登录${PLATFORM_NAME}（${PLATFORM_URL}），使用CA数字证书免费下载电子${slot.prequalification ? '资格预审文件' : '招标文件'}`,
    submissionMethod: slot.offline
      ? `纸质投标文件密封后递交至${CENTER_ADDRESS}开标室，同时递交电子投标文件光盘`
      : `通过${PLATFORM_NAME}递交加密的电子投标文件，逾期上传的系统将拒收`,
    platformUrl: PLATFORM_URL,
    agency: contactParty(w.agency),
  };
  const details = slot.prequalification
    ? {
        ...common,
        scope: subject.scope,
        applicationDeadline: iso(dates.applicationDeadline!, '09:30'),
        tenderer: contactParty(subject.tenderer),
      }
    : {
        ...common,
        scope: subject.scope,
        scale: subject.scale,
        fundingSource: subject.fundingSource,
        bidDeadline: iso(dates.announcedDeadline, dates.openingTime),
        openingTime: iso(dates.announcedDeadline, dates.openingTime),
        openingPlace: w.openingPlace,
        ...(parts.length === 1 && !parts[0].rated ? { controlPrice: amount(controlFen(parts[0]), '元') } : {}),
        ...(w.evaluationMethod ? { evaluationMethod: w.evaluationMethod } : {}),
        tenderer: contactParty(subject.tenderer),
      };
  return w.trail.add({
    key: 'announcement',
    type: slot.prequalification ? 'prequalification' : 'tender',
    title: `${subject.name}${slot.prequalification ? '资格预审公告' : '招标公告'}`,
    body: announcementBody(w, common),
    details,
    publishedAt: days.at(dates.announced, dates.announcedAt),
  });
}

function correct(w: Works): boolean {
  const { slot, subject, dates, days, rng, trail } = w;
  const original = trail.notices[0].title;
  if (slot.correction === 'clarification') {
    return trail.add({
      key: 'correction-1',
      type: 'correction',
      title: `${subject.name}澄清公告`,
      target: 'announcement',
      publishedAt: days.at(dates.corrections[0], officeTime(rng, 'afternoon')),
      body: numbered([
        ['原公告名称', original],
        [
          '澄清内容',
          `招标文件第三章“评标办法”第2.2.4项中“近三年类似工程业绩”的时间起点统一为${cnDate(addDays(dates.announced, -3 * 365))}；招标代理机构联系人变更为${personName(rng)}，电话${w.agency.contactPhone}。`,
        ],
        [
          '其他事项',
          '本澄清不影响投标文件的编制，投标截止时间及开标时间不变。本澄清为招标文件的组成部分，与招标文件具有同等效力。',
        ],
      ]),
      details: { reason: '明确类似工程业绩时间起点并更正代理机构联系人', affectsBids: false, changes: {} },
    });
  }
  if (slot.correction !== 'deadline' && slot.correction !== 'deadline-withdrawn') return true;

  const announcedDeadline = days.iso(dates.announcedDeadline, dates.openingTime);
  const deadline = days.iso(dates.opening, dates.openingTime);
  const change = (key: string, newDeadline: string, second: boolean, at: Date) => ({
    key,
    type: 'correction' as const,
    title: `${subject.name}变更公告${second ? '（第二次）' : ''}`,
    target: 'announcement',
    publishedAt: at,
    body: numbered([
      ['原公告名称', original],
      [
        '变更原因',
        '因招标文件第五章“工程量清单”部分项目特征描述调整，招标人发出澄清与修改文件，投标人需据此调整投标报价。',
      ],
      [
        '变更内容',
        `投标截止时间及开标时间由${cnDateTime(announcedDeadline)}变更为${cnDateTime(newDeadline)}；开标地点不变。`,
      ],
      ['其他事项', '投标人应登录交易平台下载澄清与修改文件及更新后的工程量清单。其他内容不变。'],
    ]),
    details: {
      reason: '工程量清单调整，投标截止时间相应顺延',
      affectsBids: true,
      changes: { bidDeadline: newDeadline, openingTime: newDeadline },
    },
  });
  if (slot.correction === 'deadline')
    return trail.add(change('correction-1', deadline, false, days.at(dates.corrections[0], officeTime(rng))));

  // The first version named the wrong day: it is withdrawn, and issued again, the next working day.
  const [first, second] = dates.corrections;
  const wrong = days.iso(addDays(dates.opening, 7), dates.openingTime);
  return (
    trail.add(change('correction-1', wrong, false, days.at(first, officeTime(rng, 'afternoon')))) &&
    trail.withdraw(
      'withdrawal-1',
      'correction-1',
      `变更公告中的开标时间录入有误（应为${cnDateTime(deadline)}），撤回后重新发布。`,
      days.at(second, '09:05'),
    ) &&
    trail.add(change('correction-2', deadline, true, days.at(second, '09:20')))
  );
}

function openBids(w: Works): boolean {
  const { subject, dates, days } = w;
  const openingIso = days.iso(dates.opening, dates.openingTime);
  return w.parts.every((s, i) =>
    w.trail.add({
      key: `bid-opening-${i}`,
      type: 'bid-opening',
      title: `${subject.name}${lotLabel(s)}开标记录`,
      publishedAt: days.at(dates.opening, laterBy(dates.openingTime, 80 + 15 * i)),
      body: bidOpeningBody(subject.name, s, openingIso, w.openingPlace),
      details: {
        openingTime: openingIso,
        openingPlace: w.openingPlace,
        ...(s.code ? { lotCode: s.code } : {}),
        ...(s.rated ? {} : { controlPrice: amount(controlFen(s), '元') }),
        bids: s.bids.map((b) => ({
          bidder: b.bidder.name,
          creditCode: b.bidder.creditCode,
          price: b.price,
          duration: b.duration,
          quality: b.quality,
          projectManager: b.projectManager,
        })),
      },
    }),
  );
}

/** A failed tender ends here; collusion found in evaluation is reported and the evaluation goes on. */
function handleIrregularity(w: Works): boolean {
  const { slot, subject, dates, days, rng, trail } = w;
  const name = subject.name;
  if (slot.ending === 'terminated') {
    trail.add({
      key: 'termination',
      type: 'termination',
      title: `${name}招标终止公告`,
      publishedAt: days.at(days.addWorkingDays(dates.opening, 2), officeTime(rng)),
      body: numbered([
        ['项目名称', name],
        [
          '终止原因',
          `本项目于${cnDateTime(days.iso(dates.opening, dates.openingTime))}开标，共${w.parts[0].bids.length}家投标人递交投标文件。经评标委员会评审，仅有2家投标人的投标文件通过资格审查，有效投标不足3家，明显缺乏竞争，评标委员会否决全部投标。根据《中华人民共和国招标投标法》第四十二条，本次招标失败。`,
        ],
        ['后续安排', '招标人将在修改招标文件后依法重新招标，具体安排以届时发布的招标公告为准。'],
      ]),
      details: { reason: '有效投标不足3家，评标委员会否决全部投标，本次招标失败，招标人将依法重新招标' },
    });
    return false;
  }
  if (slot.ending !== 'abnormal') return true;
  const [a, b] = w.parts[0].bids;
  const ok = trail.add({
    key: 'abnormal',
    type: 'abnormal',
    title: `${name}交易异常情况公告`,
    publishedAt: days.at(days.addWorkingDays(dates.opening, 1), officeTime(rng)),
    body: numbered([
      ['项目名称', name],
      [
        '异常情况',
        `评标过程中，评标委员会发现${a.bidder.name}与${b.bidder.name}的电子投标文件由同一台计算机编制（机器码一致），且投标报价呈规律性差异。`,
      ],
      [
        '处理措施',
        `依据《中华人民共和国招标投标法实施条例》第四十条，上述两家投标人的投标视为相互串通投标，评标委员会否决其投标。本中心已将有关情况移交${w.supervisor}依法处理，评标工作继续进行。`,
      ],
    ]),
    details: {
      reason: `${a.bidder.name}与${b.bidder.name}的投标文件由同一台计算机编制，视为相互串通投标，其投标被否决`,
      measures: `移交${w.supervisor}依法处理；其余投标继续评审`,
    },
  });
  w.parts[0].bids = w.parts[0].bids.filter((x) => x !== a && x !== b);
  // The candidate publicity repeats the rejection, as the rules on its contents ask.
  const collusion =
    '与其他投标人的投标文件由同一台计算机编制，依据《中华人民共和国招标投标法实施条例》第四十条视为相互串通投标';
  w.parts[0].rejected = [
    { bid: a, reason: collusion },
    { bid: b, reason: collusion },
  ];
  w.rejectionsRecorded = true;
  w.evaluationDays = 3;
  return ok;
}

function publishCandidates(w: Works): boolean {
  const { slot, subject, dates, days, rng } = w;
  const trade = WORKS_TRADE[slot.category];
  const report = days.addWorkingDays(dates.opening, w.evaluationDays + rng.int(0, 1));
  // Published within 3 days of the evaluation report, open for at least 3 days.
  const start = rng.chance(0.5) ? report : days.addWorkingDays(report, 1);
  const end = days.periodEnd(start, 3, 'calendar-days');
  const t = subject.tenderer;
  const objectionChannel = `投标人或者其他利害关系人对评标结果有异议的，应当在中标候选人公示期间以书面形式向招标人提出（联系人：${t.contactName}，电话：${t.contactPhone}，地址：${t.address}），招标人自收到异议之日起3日内作出答复；对答复不满意的，可依法向${w.supervisor}投诉。`;
  const grade = (threshold: number) => (w.budgetFen > wanToFen(threshold) ? '一' : '二');
  return w.parts.every((s, i) => {
    const ranked = rankCandidates(s, rng, w.evaluationMethod === 'lowest-price');
    w.winners.push({ section: s, bid: ranked[0] });
    const at = laterBy('09:00', 10 * i);
    return w.trail.add({
      key: `candidates-${i}`,
      type: 'candidates',
      title: `${subject.name}${lotLabel(s)}中标候选人公示`,
      publishedAt: days.at(start, at),
      body: candidatesBody(subject.name, s, ranked, start, end, objectionChannel, w.rejectionsRecorded),
      details: {
        evaluationReportDate: report,
        publicityStart: days.iso(start, at),
        publicityEnd: days.iso(end, '17:00'),
        objectionChannel,
        publisher: w.agency.contactName,
        checker: t.contactName,
        ...(s.code ? { lotCode: s.code } : {}),
        ...(w.rejectionsRecorded
          ? { rejectedBids: s.rejected.map((r) => ({ ...bidderOf(r.bid), reason: r.reason })) }
          : {}),
        candidates: ranked.map((b, k) => ({
          rank: k + 1,
          name: b.bidder.name,
          creditCode: b.bidder.creditCode,
          price: b.price,
          quality: b.quality,
          duration: b.duration,
          projectManager: b.projectManager,
          certificateName: s.supervision
            ? `注册监理工程师（${trade.speciality}）`
            : `${grade(5000)}级注册建造师（${trade.speciality}）`,
          certificateNo: b.certificateNo,
          qualification: s.supervision
            ? `具备${trade.speciality}监理乙级及以上资质；总监理工程师具备注册监理工程师执业资格`
            : `具备${trade.licence}${grade(10000)}级资质及有效的安全生产许可证；项目经理无在建项目；近三年完成类似工程${rng.int(2, 6)}项`,
        })),
      },
    });
  });
}

function award(w: Works): boolean {
  const { subject, days, rng } = w;
  const publicity = w.trail.notices.find((n) => n.type === 'candidates')!.details as {
    publicityStart: string;
    publicityEnd: string;
  };
  const decision = days.addWorkingDays(publicity.publicityEnd.slice(0, 10), rng.int(1, 3));
  w.resultDay = rng.chance(0.5) ? decision : days.addWorkingDays(decision, 1);
  return w.trail.add({
    key: 'result',
    type: 'result',
    title: `${subject.name}中标结果公告`,
    publishedAt: days.at(w.resultDay, officeTime(rng)),
    body: numbered([
      ['项目名称', `${subject.name}（招标项目编号：${w.tenderCode}）`],
      [
        '中标人',
        w.winners
          .map(
            ({ section: s, bid: b }) =>
              `${s.name ? `${s.name}：` : ''}${b.bidder.name}，中标价：${showPrice(b.price)}，${terms(s).term}：${b.duration}，${terms(s).lead}：${b.projectManager}`,
          )
          .join('\n'),
      ],
      [
        '其他',
        `中标候选人公示期（${cnDate(publicity.publicityStart)}至${cnDate(publicity.publicityEnd)}）内未收到异议。招标人已于${cnDate(decision)}确定中标人并发出中标通知书。`,
      ],
    ]),
    details: {
      decisionDate: decision,
      winners: w.winners.map(({ section: s, bid: b }) => ({
        ...partyRef(b.bidder),
        price: b.price,
        ...(s.code ? { lotCode: s.code } : {}),
      })),
      remark: '中标通知书已发出，招标人与中标人应自中标通知书发出之日起30日内订立书面合同。',
    },
  });
}

function signContracts(w: Works): boolean {
  const { subject, days, rng } = w;
  const signed = (w.signed = days.addWorkingDays(w.resultDay!, rng.int(5, 18)));
  const day = days.addWorkingDays(signed, 1);
  const at = officeTime(rng, 'afternoon');
  return w.winners.every(({ section: s, bid: b }, i) => {
    const fen = contractFen(s, b);
    return w.trail.add({
      key: `contract-${i}`,
      type: 'contract',
      title: `${subject.name}${lotLabel(s)}合同公告`,
      publishedAt: days.at(day, laterBy(at, 10 * i)),
      body: numbered([
        ['合同名称', `${subject.name.replace(/施工$/, '')}${s.name ?? ''}${s.supervision ? '监理' : '施工'}合同`],
        [
          '合同当事人',
          `发包人：${subject.tenderer.name}\n承包人：${b.bidder.name}（统一社会信用代码：${b.bidder.creditCode}）`,
        ],
        [
          '合同主要内容',
          `签约合同价：${showAmount(fen, '元')}；${terms(s).term}：${b.duration}；质量标准：${b.quality}；签订日期：${cnDate(signed)}。`,
        ],
      ]),
      details: {
        signedDate: signed,
        contractNo: `${w.tenderCode}-HT${String(i + 1).padStart(2, '0')}`,
        supplier: partyRef(b.bidder),
        amount: amount(fen, '元'),
        duration: b.duration,
        content: s.supervision ? '施工监理' : subject.scope,
      },
    });
  });
}

/** A progress report a few months in, then the acceptance once the works are done (if that day has come). */
function reportPerformance(w: Works): boolean {
  const { subject, days, rng } = w;
  const builders = w.winners.map((x) => x.bid.bidder.name).join('、');
  const progressDay = days.onOrAfter(addDays(w.signed!, rng.int(60, 100)));
  const accepted = days.onOrAfter(addDays(w.signed!, subject.durationDays));
  if (progressDay < addDays(accepted, -30)) {
    const share = Math.min(
      90,
      Math.round((100 * (subject.durationDays - daysBetween(progressDay, accepted))) / subject.durationDays / 5) * 5 +
        5,
    );
    const ok = w.trail.add({
      key: 'performance-progress',
      type: 'performance',
      title: `${subject.name}合同履约信息公告`,
      publishedAt: days.at(progressDay, officeTime(rng)),
      body: numbered([
        ['项目名称', subject.name],
        [
          '履约情况',
          `${builders}按合同约定组织${w.parts.some((s) => s.supervision) ? '施工及监理' : '施工'}，截至${cnDate(progressDay)}，累计完成合同工程量约${share}%，工程质量、安全生产及农民工工资支付情况良好，未发生合同变更。`,
        ],
      ]),
      details: { status: 'in-progress', summary: `合同履行正常，已完成工程量约${share}%` },
    });
    if (!ok) return false;
  }
  return w.trail.add({
    key: 'performance',
    type: 'performance',
    title: `${subject.name}竣工验收信息公告`,
    publishedAt: days.at(days.addWorkingDays(accepted, rng.int(3, 10)), officeTime(rng)),
    body: numbered([
      ['项目名称', subject.name],
      ['履约情况', `${builders}已按合同约定完成全部工程内容。`],
      ['验收情况', `工程于${cnDate(accepted)}通过竣工验收，参建各方一致同意验收合格，质量等级：合格。`],
    ]),
    details: { status: 'accepted', acceptanceDate: accepted, summary: '工程已竣工验收合格' },
  });
}

// ---- dates, lots and bids -----------------------------------------------------------------------------

function worksDates(slot: WorksSlot, days: DemoDays, rng: Random): WorksDates {
  // Openings in the coming week stay on their exact day (the home page lists every day); past ones fall on working days.
  const opening = slot.opening >= 0 ? days.day(slot.opening) : days.onOrBefore(days.day(slot.opening));
  const openingTime = rng.pick(['09:00', '09:30', '10:00', '13:30', '14:30']);
  let announcedDeadline = opening;
  const corrections: string[] = [];
  if (slot.correction === 'deadline' || slot.correction === 'deadline-withdrawn') {
    // A change that affects the bids must come at least 15 days before the (new) deadline.
    const last = days.onOrBefore(addDays(days.latestStart(opening, 15, 'calendar-days'), -rng.int(0, 3)));
    if (slot.correction === 'deadline-withdrawn') corrections.push(days.onOrBefore(addDays(last, -1)));
    corrections.push(last);
    announcedDeadline = days.onOrAfter(addDays(corrections[0], rng.int(4, 9)));
  }
  let announced: string;
  let documentsTo: string;
  let applicationDeadline: string | undefined;
  if (slot.prequalification) {
    // Documents on sale for at least 5 days.
    applicationDeadline = days.onOrBefore(addDays(opening, -rng.int(20, 30)));
    documentsTo = days.onOrBefore(addDays(applicationDeadline, -rng.int(1, 3)));
    announced = days.clampToPast(
      days.onOrBefore(addDays(days.latestStart(documentsTo, 5, 'calendar-days'), -rng.int(0, 2))),
    );
  } else {
    // At least 20 days from the documents to the deadline, documents on sale for at least 5.
    announced = days.clampToPast(
      days.onOrBefore(addDays(days.latestStart(announcedDeadline, 20, 'calendar-days'), -rng.int(0, 5))),
    );
    documentsTo = days.onOrAfter(addDays(days.periodEnd(announced, 5, 'calendar-days'), rng.int(0, 2)));
  }
  if (slot.correction === 'clarification') corrections.push(days.addWorkingDays(announced, rng.int(3, 6)));
  return {
    announced,
    announcedAt: officeTime(rng),
    documentsTo,
    announcedDeadline,
    opening,
    openingTime,
    applicationDeadline,
    corrections,
  };
}

function worksSections(
  slot: WorksSlot,
  subject: WorksSubject,
  tenderCode: string,
  budgetFen: number,
  rng: Random,
): Section[] {
  const trade = WORKS_TRADE[slot.category].trade;
  const section = (
    code: string | undefined,
    name: string | undefined,
    fen: number,
    rated: boolean,
    supervision: boolean,
  ): Section => {
    const s: Section = { code, name, budgetFen: fen, rated, supervision, bids: [], rejected: [] };
    // Enough bids that two can be thrown out for collusion and three candidates remain.
    const count = rng.int(slot.ending ? 5 : 3, supervision ? 6 : 9);
    s.bids = companies(rng, supervision ? 'supervision' : trade, count).map((bidder) =>
      makeBid(s, bidder, subject, rng),
    );
    return s;
  };
  if (!slot.lots) return [section(undefined, undefined, budgetFen, !!subject.rated, false)];
  // Lot budgets in 万元 with two decimals, as budgets are written.
  const supervisionFen = Math.round((budgetFen * 0.025) / 10000) * 10000;
  const first = Math.round(((budgetFen - supervisionFen) * (0.45 + rng.int(0, 10) / 100)) / 10000) * 10000;
  return [
    section(`${tenderCode}001`, '施工一标段', first, false, false),
    section(`${tenderCode}002`, '施工二标段', budgetFen - supervisionFen - first, false, false),
    section(`${tenderCode}003`, '监理标段', supervisionFen, true, true),
  ];
}

/** The control price (最高投标限价): just under the budget. */
const controlFen = (s: Section) => Math.round((s.budgetFen * 0.97) / 100) * 100 + 37;

function makeBid(s: Section, bidder: Org, subject: WorksSubject, rng: Random): Bid {
  const r = rng.fork(`${bidder.name}/${s.code ?? ''}`);
  let price: Bid['price'];
  let rank: number;
  if (s.rated) {
    const rate = r.int(450, 1800) / 100;
    price = { form: 'down-rate', value: String(rate), unit: '%' };
    rank = -rate;
  } else {
    const fen = Math.round(controlFen(s) * (0.86 + r.next() * 0.135));
    price = { form: 'amount', value: formatAmountIn(BigInt(fen), '元'), unit: '元' };
    rank = fen;
  }
  return {
    bidder,
    price,
    rank,
    projectManager: personName(r),
    certificateNo: `辽${r.pick(['1', '2'])}21${r.digits(10)}`,
    duration: `${s.supervision ? subject.durationDays + 30 : subject.durationDays - r.pick([0, 0, 10, 20])}日历天`,
    quality: '合格',
  };
}

/** The first three after evaluation: usually the best prices, but not always in price order. */
/** The three best bids not rejected; under a lowest-price method the lowest always ranks first. */
function rankCandidates(s: Section, rng: Random, lowestFirst: boolean): Bid[] {
  const ranked = s.bids
    .filter((b) => !s.rejected.some((r) => r.bid === b))
    .sort((a, b) => a.rank - b.rank)
    .slice(0, 3);
  // Scores (综合评估法) or evaluated prices can put the second-lowest price first.
  if (rng.chance(0.3) && !lowestFirst) [ranked[0], ranked[1]] = [ranked[1], ranked[0]];
  return ranked;
}

const REJECTION_REASONS = ['未按招标文件要求提交投标保证金', '投标文件未按招标文件要求加盖投标人电子签章'];
const WORKS_REJECTION_REASONS = [
  '拟派项目经理有在建工程，不满足招标文件规定的资格条件',
  '安全生产许可证已超过有效期，不满足招标文件规定的资格条件',
  '投标文件载明的工期超过招标文件规定的工期，未实质性响应招标文件',
];
const SUPERVISION_REJECTION_REASONS = ['拟派总监理工程师不具备注册监理工程师执业资格，不满足招标文件规定的资格条件'];

/**
 * The evaluation method most tender notices name (large works and supervision by scores, others by price), and the
 * bids a few evaluations reject: one that is not among the best three, for a reason the rules name — a price
 * above the control price (made so here) or a missing deposit, seal or qualification. Drawn from its own fork,
 * so the rest of the project is as it was.
 */
function planEvaluation(w: Works, rng: Random) {
  if (!rng.chance(0.15)) {
    w.evaluationMethod =
      w.parts.some((s) => s.supervision) || w.budgetFen > wanToFen(5000)
        ? 'comprehensive'
        : rng.pick([
            'comprehensive',
            'comprehensive',
            'lowest-evaluated-price',
            'lowest-evaluated-price',
            'lowest-price',
          ]);
  }
  w.rejectionsRecorded = rng.chance(0.85);
  if (!w.rejectionsRecorded || w.slot.ending) return;
  for (const s of w.parts) {
    const outside = [...s.bids].sort((a, b) => a.rank - b.rank).slice(3);
    if (!outside.length || !rng.chance(0.15)) continue;
    const bid = outside[outside.length - 1];
    if (!s.rated && rng.chance(0.4)) {
      const fen = controlFen(s) + rng.int(1, 30) * 1000_00 + rng.int(0, 99) * 100;
      bid.price = { form: 'amount', value: formatAmountIn(BigInt(fen), '元'), unit: '元' };
      bid.rank = fen;
      s.rejected.push({ bid, reason: '投标报价超过招标文件规定的最高投标限价（招标控制价）' });
    } else {
      const reasons = [
        ...REJECTION_REASONS,
        ...(s.supervision ? SUPERVISION_REJECTION_REASONS : WORKS_REJECTION_REASONS),
      ];
      s.rejected.push({ bid, reason: rng.pick(reasons) });
    }
  }
}

const bidderOf = (b: Bid) => ({ bidder: b.bidder.name, creditCode: b.bidder.creditCode });

/** The contract price: the bid amount, or the budget less the bid's down rate. */
function contractFen(s: Section, b: Bid): number {
  if (b.price.form === 'amount') return Math.round(Number(b.price.value) * 100);
  return Math.round((s.budgetFen * (1 - Number(b.price.value) / 100)) / 100) * 100;
}

// ---- text ---------------------------------------------------------------------------------------------

const lotLabel = (s: Section) => (s.name ? `（${s.name}）` : '');
const terms = (s: Section) =>
  s.supervision ? { term: '服务期', lead: '总监理工程师' } : { term: '工期', lead: '项目经理' };

function showPrice(p: Bid['price']): string {
  return p.form === 'down-rate' ? `下浮率${p.value}%` : showAmount(Math.round(Number(p.value) * 100), '元');
}

function qualificationText(slot: WorksSlot, parts: Section[]): string {
  const t = WORKS_TRADE[slot.category];
  const grade = parts.some((s) => s.budgetFen > wanToFen(10000)) ? '一级' : '二级';
  const works = `施工标段：投标人须具备${t.licence}${grade}及以上资质，具有有效的安全生产许可证；拟派项目经理须具备${t.speciality}专业${grade === '一级' ? '一级' : '二级及以上'}注册建造师执业资格和安全生产考核合格证书（B证），且无在建工程。`;
  const supervision = parts.some((s) => s.supervision)
    ? `\n监理标段：投标人须具备${t.speciality}监理乙级及以上资质；拟派总监理工程师须具备注册监理工程师执业资格。`
    : '';
  return `${works}${supervision}\n投标人未被列入失信被执行人名单及重大税收违法失信主体名单（以“信用中国”网站查询结果为准）。`;
}

function announcementBody(
  w: Works,
  common: { qualifications: string; consortiumAccepted: boolean; documentsFrom: string; documentsTo: string },
): string {
  const { subject, dates, parts, agency } = w;
  const prequalification = !!w.slot.prequalification;
  const d = subject.district;
  const t = subject.tenderer;
  const lawBasis = ['construction', 'municipal'].includes(w.slot.category)
    ? '《中华人民共和国招标投标法》'
    : '《中华人民共和国招标投标法》及行业主管部门的有关规定';
  const approval = `${localName(d, '发展和改革局')}以${d.name.slice(0, 1)}发改审批〔${dates.announced.slice(0, 4)}〕${((subject.name.length * 7) % 90) + 10}号文`;
  const lots =
    parts.length > 1
      ? parts.map((s) => `${s.name}（${s.code}）：预算${showAmount(s.budgetFen, '万元')}`).join('；')
      : '本项目划分为一个标段';
  const deadline = prequalification
    ? `资格预审申请文件递交的截止时间为${cnDateTime(w.days.iso(dates.applicationDeadline!, '09:30'))}。资格预审采用合格制，通过资格预审的申请人将收到投标邀请书。`
    : `投标文件递交的截止时间（投标截止时间，下同）为${cnDateTime(w.days.iso(dates.announcedDeadline, dates.openingTime))}，开标时间同投标截止时间。逾期送达的投标文件，电子交易系统将予以拒收。`;
  return numbered([
    [
      '招标条件',
      `本招标项目${subject.name}已由${approval}批准建设，项目业主为${t.name}，建设资金来自${subject.fundingSource}，出资比例为100%。项目已具备招标条件，现依据${lawBasis}对该项目的施工进行公开招标${prequalification ? '，采用资格预审方式' : ''}。`,
    ],
    [
      '项目概况与招标范围',
      `建设地点：${d.name}。\n建设规模：${subject.scale}。\n计划工期：${subject.durationDays}日历天。\n招标范围：${subject.scope}。\n标段划分：${lots}。`,
    ],
    [
      prequalification ? '申请人资格要求' : '投标人资格要求',
      `${common.qualifications}\n本次招标${common.consortiumAccepted ? '接受' : '不接受'}联合体投标。`,
    ],
    [
      prequalification ? '资格预审文件的获取' : '招标文件的获取',
      `凡有意参加者，请于${cnDateTime(common.documentsFrom)}至${cnDateTime(common.documentsTo)}，登录${PLATFORM_NAME}（${PLATFORM_URL}）下载电子文件，不收取费用。`,
    ],
    [prequalification ? '资格预审申请文件的递交' : '投标文件的递交', deadline],
    ...(w.evaluationMethod && !prequalification
      ? [
          [
            '评标办法',
            `本次招标采用${evaluationMethodName(w.evaluationMethod, 'construction')}，详见招标文件第三章。`,
          ] as [string, string],
        ]
      : []),
    ['发布公告的媒介', `本公告同时在中国招标投标公共服务平台、辽宁省公共资源交易平台和${PLATFORM_NAME}发布。`],
    [
      '联系方式',
      `招标人：${t.name}\n地址：${t.address}\n联系人：${t.contactName}  电话：${t.contactPhone}\n招标代理机构：${agency.name}\n地址：${agency.address}\n联系人：${agency.contactName}  电话：${agency.contactPhone}`,
    ],
  ]);
}

function bidOpeningBody(name: string, s: Section, openingIso: string, place: string): string {
  const { term, lead } = terms(s);
  const rows = s.bids.map(
    (b, i) =>
      `${i + 1}. ${b.bidder.name}  投标报价：${showPrice(b.price)}  ${term}：${b.duration}  ${lead}：${b.projectManager}`,
  );
  const control = s.rated
    ? `本标段以预算价${showAmount(s.budgetFen, '元')}为基数，以下浮率报价。`
    : `最高投标限价：${showAmount(controlFen(s), '元')}。`;
  return `${name}${lotLabel(s)}于${cnDateTime(openingIso)}在${place}开标，共有${s.bids.length}家投标人递交投标文件，全部解密成功。\n${control}\n开标记录如下：\n${rows.join('\n')}\n投标人对开标有异议的，应当在开标现场提出，招标人当场作出答复。开标全过程录音录像。`;
}

function candidatesBody(
  name: string,
  s: Section,
  ranked: Bid[],
  start: string,
  end: string,
  objection: string,
  withRejections: boolean,
): string {
  const { term, lead } = terms(s);
  const rows = ranked.map(
    (b, i) =>
      `第${['一', '二', '三'][i]}中标候选人：${b.bidder.name}，投标报价：${showPrice(b.price)}，${term}：${b.duration}，质量：${b.quality}，${lead}：${b.projectManager}（证书编号：${b.certificateNo}）`,
  );
  const rejected = !withRejections
    ? ''
    : s.rejected.length
      ? `否决投标情况：${s.rejected.map((r) => `${r.bid.bidder.name}，${r.reason}`).join('；')}。\n`
      : '否决投标情况：无。\n';
  return `${name}${lotLabel(s)}评标工作已经结束，根据评标委员会的评标报告，现将中标候选人公示如下：\n${rows.join('\n')}\n${rejected}公示期：${cnDate(start)}至${cnDate(end)}。\n${objection}`;
}
