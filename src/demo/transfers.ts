import { TRANSFER_MODES } from '../domain/catalog.js';
import { addDays } from '../domain/china-time.js';
import type { DemoContext, DemoProject } from './demo-project.js';
import { Trail } from './demo-project.js';
import { laterBy, officeTime, type DemoDays } from './days.js';
import { companies, company, contactParty, partyRef, type Org } from './parties.js';
import type { Random } from './random.js';
import { amount, cnDate, cnDateTime, numbered, PLATFORM_NAME, PLATFORM_URL, showAmount, wanToFen } from './text.js';
import type { TransferCategory, TransferSubject } from './transfer-subjects.js';

/**
 * Transfer projects (国有资产, 土地使用权和矿业权, 国有产权): the transfer or listing notice, a correction,
 * the auction with its rounds, the deal publicity, the contract and its performance.
 */
export interface TransferSlot {
  category: TransferCategory;
  /** The end of the listing period, in days from today. */
  close: number;
  mining?: boolean;
  /** The listing period is extended by a correction. */
  correction?: boolean;
  /** The listing ends without a bidder. */
  unsold?: boolean;
  offline?: boolean;
}

const CATEGORY_CODE: Record<TransferCategory, { deal: string; code: string }> = {
  'state-assets': { deal: 'ZY', code: 'DLZY' },
  'land-mining': { deal: 'TD', code: 'DLTD' },
  'property-rights': { deal: 'CQ', code: 'DLCQ' },
};

interface TransferDates {
  announced: string;
  announcedAt: string;
  listingStart: string;
  /** Land listings open at 9:00 on a later day; the others run from the moment of publication. */
  listingFrom: string;
  /** The end as first announced; a correction may extend it to `listingEnd`. */
  announcedEnd: string;
  listingEnd: string;
  endTime: string;
  /** The auction as first announced, and as held. */
  announcedAuction: string;
  auction: string;
  auctionTime: string;
  correction?: string;
}

interface Round {
  round: number;
  bidder: string;
  fen: number;
  /** Minutes after the auction started. */
  minute: number;
}

/** What the steps of one project share; the later steps read what the earlier ones decided. */
interface Transfer {
  slot: TransferSlot;
  subject: TransferSubject;
  days: DemoDays;
  rng: Random;
  trail: Trail;
  dates: TransferDates;
  code: string;
  modeName: string;
  reserveFen: number;
  depositFen: number;
  incrementFen: number;
  agency: Org | null;
  winner?: Org;
  finalFen?: number;
  dealEnd?: string;
  signed?: string;
}

type Step = (t: Transfer) => boolean;

const STEPS: Step[] = [announce, extend, closeUnsold, auction, publishDeal, signContract, reportPerformance];

export function transferProject(slot: TransferSlot, subject: TransferSubject, ctx: DemoContext): DemoProject {
  const { days, rng } = ctx;
  const dates = transferDates(slot, subject, days, rng);
  const year = Number(dates.announced.slice(0, 4));
  const codes = CATEGORY_CODE[slot.category];
  const unit = subject.unit;
  // Reserve prices in whole 万元 (land, property rights) or whole hundreds of 元 (small state assets).
  const reserveFen =
    unit === '万元'
      ? wanToFen(rng.int(subject.reserve[0], subject.reserve[1]))
      : rng.int(subject.reserve[0] / 100, subject.reserve[1] / 100) * 10000;
  const t: Transfer = {
    slot,
    subject,
    days,
    rng,
    trail: new Trail(days),
    dates,
    reserveFen,
    code: `${codes.code}${year}-${String(ctx.serial).padStart(3, '0')}`,
    modeName: TRANSFER_MODES.find((m) => m.slug === subject.mode)!.name,
    depositFen:
      Math.round((reserveFen * (slot.category === 'land-mining' ? 0.2 : 0.1)) / 1_000_000) * 1_000_000 || 100_000,
    incrementFen:
      unit === '万元'
        ? wanToFen(Math.max(1, Math.round(reserveFen / 1_000_000 / 100)))
        : Math.max(Math.round(reserveFen / 50 / 10000) * 10000, 50000),
    agency: slot.category === 'land-mining' ? null : company(rng, 'agency'),
  };
  const dto = {
    dealCode: `2102-${codes.deal}-${year}-${String(ctx.serial).padStart(4, '0')}`,
    tenderCode: t.code,
    category: slot.category,
    regionCode: subject.district.code,
    name: subject.name,
    summary: `${subject.description}。`,
    price: { kind: 'reserve' as const, ...amount(reserveFen, unit) },
    transferMode: subject.mode,
    fullyOnline: !slot.offline,
    parties: [
      { role: 'transferor', ...contactParty(subject.transferor) },
      ...(t.agency ? [{ role: 'agency', ...contactParty(t.agency) }] : []),
    ],
  };
  for (const step of STEPS) if (!step(t)) break;
  return { dto, notices: t.trail.notices };
}

// ---- the steps ----------------------------------------------------------------------------------------

function announce(t: Transfer): boolean {
  const { subject, dates, days } = t;
  const unit = subject.unit;
  return t.trail.add({
    key: 'announcement',
    type: 'transfer',
    title: transferTitle(t),
    publishedAt: days.at(dates.announced, dates.announcedAt),
    body: transferBody(t),
    details: {
      mode: subject.mode,
      subject: subject.description,
      qualifications: subject.qualifications,
      reservePrice: amount(t.reserveFen, unit),
      deposit: amount(t.depositFen, unit),
      increment: amount(t.incrementFen, unit),
      listingStart: days.iso(dates.listingStart, dates.listingFrom),
      listingEnd: days.iso(dates.announcedEnd, dates.endTime),
      auctionStart: days.iso(dates.announcedAuction, dates.auctionTime),
      transferor: contactParty(subject.transferor),
      ...(t.agency ? { agency: contactParty(t.agency) } : {}),
    },
  });
}

/** The listing is extended, at least 15 days before its new end. */
function extend(t: Transfer): boolean {
  const { slot, dates, days, rng } = t;
  if (!dates.correction) return true;
  const newEnd = days.iso(dates.listingEnd, dates.endTime);
  return t.trail.add({
    key: 'correction-1',
    type: 'correction',
    title: `${t.subject.name}补充公告`,
    target: 'announcement',
    publishedAt: days.at(dates.correction, officeTime(rng, 'afternoon')),
    body: numbered([
      ['原公告', t.trail.notices[0].title],
      [
        '补充（更正）原因',
        slot.category === 'land-mining'
          ? '地块规划设计条件中的配套设施要求调整，需给予竞买人充分的准备时间。'
          : '应意向受让方要求延长信息披露期，以充分征集意向受让方。',
      ],
      [
        '补充（更正）内容',
        `挂牌截止时间由${cnDateTime(days.iso(dates.announcedEnd, dates.endTime))}延长至${cnDateTime(newEnd)}，竞价时间相应顺延至${cnDateTime(days.iso(dates.auction, dates.auctionTime))}。`,
      ],
      ['其他', '原公告其他内容不变。'],
    ]),
    details: { reason: '挂牌截止时间延长', affectsBids: true, changes: { listingEnd: newEnd } },
  });
}

function closeUnsold(t: Transfer): boolean {
  const { slot, dates, days, rng } = t;
  if (!slot.unsold) return true;
  t.trail.add({
    key: 'termination',
    type: 'termination',
    title: `${t.subject.name}终止公告`,
    publishedAt: days.at(days.addWorkingDays(dates.listingEnd, 1), officeTime(rng)),
    body: numbered([
      ['项目名称', `${t.subject.name}（项目编号：${t.code}）`],
      [
        '终止原因',
        `挂牌期满（${cnDateTime(days.iso(dates.listingEnd, dates.endTime))}），未征集到符合条件的意向受让方，本次${t.modeName}终止。`,
      ],
      ['后续安排', '转让方将调整转让条件后另行挂牌。'],
    ]),
    details: { reason: '挂牌期满未征集到符合条件的意向受让方，本次交易终止' },
  });
  return false;
}

function auction(t: Transfer): boolean {
  const { subject, dates, days, rng } = t;
  const unit = subject.unit;
  const bidders = companies(rng, subject.buyers, rng.int(1, 4));
  const rounds = auctionRounds(bidders, t.reserveFen, t.incrementFen, rng);
  const last = rounds[rounds.length - 1];
  t.winner = bidders.find((b) => b.name === last.bidder)!;
  t.finalFen = last.fen;
  const at = (minute: number) => days.iso(dates.auction, laterBy(dates.auctionTime, minute));
  const shown = rounds.slice(-12);
  return t.trail.add({
    key: 'auction',
    type: 'auction',
    title: `${subject.name}竞价结果`,
    publishedAt: days.at(dates.auction, laterBy(dates.auctionTime, last.minute + 60)),
    body:
      `${subject.name}（项目编号：${t.code}）于${cnDateTime(at(0))}在${PLATFORM_NAME}${rounds.length > 1 ? `进行网上竞价，共${bidders.length}家竞买人参与，经${rounds.length}轮报价` : '挂牌期满，仅有一家竞买人报价，按挂牌起始价成交'}。\n` +
      `起始价：${showAmount(t.reserveFen, unit)}，增价幅度：${showAmount(t.incrementFen, unit)}。\n${shown.length < rounds.length ? `（以下列出最后${shown.length}轮报价）\n` : ''}` +
      `${shown.map((x) => `第${x.round}轮  ${x.bidder}  ${showAmount(x.fen, unit)}  ${at(x.minute).slice(11, 19)}`).join('\n')}\n最高报价：${showAmount(last.fen, unit)}，竞得人：${t.winner.name}。`,
    details: {
      startTime: at(0),
      endTime: at(last.minute + 1),
      reservePrice: amount(t.reserveFen, unit),
      rounds: rounds.map((x) => ({ round: x.round, bidder: x.bidder, price: amount(x.fen, unit), time: at(x.minute) })),
      finalPrice: amount(last.fen, unit),
      winner: partyRef(t.winner),
    },
  });
}

function publishDeal(t: Transfer): boolean {
  const { subject, dates, days, rng } = t;
  const winner = t.winner!;
  const day = days.addWorkingDays(dates.auction, 1);
  const at = officeTime(rng);
  const end = (t.dealEnd = days.addWorkingDays(day, 5));
  const premium = (((t.finalFen! - t.reserveFen) / t.reserveFen) * 100).toFixed(2);
  return t.trail.add({
    key: 'deal',
    type: 'deal',
    title: `${subject.name}成交公示`,
    publishedAt: days.at(day, at),
    body: numbered([
      ['项目名称及编号', `${subject.name}（${t.code}）`],
      ['交易方式', t.modeName],
      [
        '成交结果',
        `受让方（竞得人）：${winner.name}\n统一社会信用代码：${winner.creditCode}\n成交价：${showAmount(t.finalFen!, subject.unit)}（起始价${showAmount(t.reserveFen, subject.unit)}，溢价率${premium}%）\n成交日期：${cnDate(dates.auction)}`,
      ],
      [
        '公示期',
        `${cnDate(day)}至${cnDate(end)}。对成交结果有异议的，请在公示期内以书面形式向${subject.transferor.name}及${PLATFORM_NAME}运营机构提出。`,
      ],
    ]),
    details: {
      dealDate: dates.auction,
      dealPrice: amount(t.finalFen!, subject.unit),
      buyer: partyRef(winner),
      publicityStart: days.iso(day, at),
      publicityEnd: days.iso(end, '17:00'),
    },
  });
}

function signContract(t: Transfer): boolean {
  const { slot, subject, days, rng } = t;
  const winner = t.winner!;
  const signed = (t.signed = days.addWorkingDays(t.dealEnd!, rng.int(2, 8)));
  const land = slot.category === 'land-mining';
  const contractName = land
    ? slot.mining
      ? '采矿权出让合同'
      : '国有建设用地使用权出让合同'
    : slot.category === 'property-rights'
      ? '产权交易合同'
      : '资产转让（租赁）合同';
  return t.trail.add({
    key: 'contract',
    type: 'contract',
    title: `${subject.name}${contractName}签订公告`,
    publishedAt: days.at(days.addWorkingDays(signed, rng.int(1, 3)), officeTime(rng)),
    body: numbered([
      ['合同名称', contractName],
      [
        '合同当事人',
        `${land ? '出让人' : '转让方'}：${subject.transferor.name}\n${land ? '受让人' : '受让方'}：${winner.name}（统一社会信用代码：${winner.creditCode}）`,
      ],
      ['合同金额', showAmount(t.finalFen!, subject.unit)],
      ['签订日期', cnDate(signed)],
    ]),
    details: {
      signedDate: signed,
      contractNo: `${t.code}-HT`,
      supplier: partyRef(winner),
      amount: amount(t.finalFen!, subject.unit),
      content: subject.description,
    },
  });
}

function reportPerformance(t: Transfer): boolean {
  const { slot, subject, days, rng } = t;
  const land = slot.category === 'land-mining';
  const reportDay = days.onOrAfter(addDays(t.signed!, rng.int(30, 90)));
  return t.trail.add({
    key: 'performance',
    type: 'performance',
    title: `${subject.name}履约情况公告`,
    publishedAt: days.at(reportDay, officeTime(rng)),
    body: numbered([
      ['项目名称', subject.name],
      [
        '履约情况',
        land
          ? `受让人已于${cnDate(days.onOrBefore(addDays(reportDay, -5)))}缴清全部出让价款，并已办理交地（交矿）手续。`
          : '受让方已按合同约定付清全部价款，双方已完成交割。',
      ],
    ]),
    details: { status: 'completed', summary: land ? '出让价款已缴清，已交地（交矿）' : '价款已付清，标的已交割' },
  });
}

// ---- dates, rounds and text ---------------------------------------------------------------------------

function transferDates(slot: TransferSlot, subject: TransferSubject, days: DemoDays, rng: Random): TransferDates {
  const land = slot.category === 'land-mining';
  const listingEnd = slot.close >= 0 ? days.onOrAfter(days.day(slot.close)) : days.onOrBefore(days.day(slot.close));
  let announcedEnd = listingEnd;
  let correction: string | undefined;
  if (slot.correction) {
    // The extension is published at least 15 days before the new end.
    correction = days.onOrBefore(addDays(days.latestStart(listingEnd, 15, 'calendar-days'), -rng.int(0, 2)));
    announcedEnd = days.onOrAfter(addDays(correction, rng.int(4, 8)));
  }
  let announced: string;
  let listingStart: string;
  if (land) {
    // Listed for at least 10 working days, announced at least 20 days before the listing starts.
    listingStart = days.onOrBefore(addDays(days.latestStart(announcedEnd, 10, 'working-days'), -rng.int(0, 2)));
    announced = days.clampToPast(
      days.onOrBefore(addDays(days.latestStart(listingStart, 20, 'calendar-days'), -rng.int(0, 3))),
    );
  } else if (slot.category === 'property-rights') {
    // Disclosed for at least 20 working days from publication.
    announced = days.clampToPast(
      days.onOrBefore(addDays(days.latestStart(announcedEnd, 20, 'working-days'), -rng.int(0, 3))),
    );
    listingStart = announced;
  } else {
    announced = days.clampToPast(days.latestStart(announcedEnd, rng.int(5, 10), 'working-days'));
    listingStart = announced;
  }
  // A land listing is settled by a bid when it closes; the others auction online a few days later.
  const after = land ? 0 : rng.int(1, 3);
  const announcedAt = officeTime(rng, 'morning');
  const endTime = land ? '10:00' : '16:00';
  return {
    announced,
    announcedAt,
    listingStart,
    listingFrom: land ? '09:00' : announcedAt,
    announcedEnd,
    listingEnd,
    endTime,
    announcedAuction: days.addWorkingDays(announcedEnd, after),
    auction: days.addWorkingDays(listingEnd, after),
    auctionTime: land && subject.mode === 'listing' ? endTime : '10:00',
    correction,
  };
}

/** Rising bids, each by another bidder than the last, one increment at a time; a lone bidder takes it at the reserve. */
function auctionRounds(bidders: Org[], reserveFen: number, incrementFen: number, rng: Random): Round[] {
  if (bidders.length === 1) return [{ round: 1, bidder: bidders[0].name, fen: reserveFen, minute: 0 }];
  const rounds: Round[] = [];
  let minute = 0;
  let last = '';
  for (let i = 0, count = rng.int(3, 28); i < count; i++) {
    const bidder = rng.pick(bidders.filter((b) => b.name !== last)).name;
    minute += rng.int(1, 4);
    rounds.push({ round: i + 1, bidder, fen: reserveFen + i * incrementFen, minute });
    last = bidder;
  }
  return rounds;
}

function transferTitle(t: Transfer): string {
  return `${t.subject.name}${t.slot.category === 'property-rights' ? '信息披露公告' : '公告'}`;
}

function transferBody(t: Transfer): string {
  const { slot, subject, dates, days, agency } = t;
  const u = subject.unit;
  const land = slot.category === 'land-mining';
  const o = subject.transferor;
  const contacts =
    `${land ? '出让人' : '转让方'}：${o.name}  地址：${o.address}  联系人：${o.contactName}  电话：${o.contactPhone}` +
    (agency ? `\n交易服务机构：${agency.name}  联系人：${agency.contactName}  电话：${agency.contactPhone}` : '');
  const intro = land
    ? `经大连市人民政府批准，${o.name}决定以${t.modeName}方式出让${slot.mining ? '采矿权' : '国有建设用地使用权'}一宗。现将有关事项公告如下：`
    : `受${o.name}委托，现将${subject.name.replace(/公开拍卖$/, '')}事项公告如下：`;
  return (
    `${intro}\n\n` +
    numbered([
      ['标的基本情况', `项目编号：${t.code}\n${subject.description}。`],
      [
        '交易条件',
        `起始价（底价）：${showAmount(t.reserveFen, u)}\n竞买（交易）保证金：${showAmount(t.depositFen, u)}\n增价幅度：${showAmount(t.incrementFen, u)}\n按照价高者得的原则确定竞得人${land ? '，不设保留价' : ''}。`,
      ],
      ['竞买人资格', `${subject.qualifications}。`],
      [
        '时间安排',
        `公告期：${cnDate(dates.announced)}起\n${land ? '挂牌' : '报名（信息披露）'}期：${cnDateTime(days.iso(dates.listingStart, dates.listingFrom))}至${cnDateTime(days.iso(dates.announcedEnd, dates.endTime))}\n竞价时间：${cnDateTime(days.iso(dates.announcedAuction, dates.auctionTime))}（${land && subject.mode === 'listing' ? '挂牌截止时有两个及以上竞买人要求报价的，进行网上限时竞价' : '网上竞价'}）`,
      ],
      [
        '竞买申请',
        `申请人应于报名截止前登录${PLATFORM_NAME}（${PLATFORM_URL}）提交竞买申请并交纳保证金，保证金以到账为准。`,
      ],
      ['联系方式', contacts],
    ])
  );
}
