import {
  categoryBySlug,
  evaluationMethodName,
  PROCUREMENT_METHODS,
  TRANSFER_MODES,
  type EvaluationMethod,
} from '../../domain/catalog.js';
import { chinaDateTimeIso } from '../../domain/china-time.js';
import { formatYuan } from '../../domain/money.js';
import type { Notice } from '../../trading/notice.entity.js';
import type { Project } from '../../trading/project.entity.js';
import { noticePageUrl, ocidOf, type PublicLinks } from '../public-json.js';

/**
 * The OCDS 1.1.5 mapping (with the bids extension): one release per published notice, tagged by what the
 * notice does to the contracting process. Amounts are the notices' exact yuan strings turned into JSON numbers
 * only here, at serialisation, so they equal the CSV exports' figures.
 */
type Details = Record<string, unknown>;
type Json = Record<string, unknown>;
export type Release = Json & { ocid: string; id: string; date: string; tag: string[] };

export const OCDS_VERSION = '1.1';
export const OCDS_EXTENSIONS = [
  'https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json',
  'https://raw.githubusercontent.com/open-contracting-extensions/ocds_pagination_extension/master/extension.json',
];

const ANNOUNCEMENTS = new Set(['tender', 'prequalification', 'procurement', 'transfer']);
const AWARDS = new Set(['candidates', 'result', 'deal']);

/** {amount, currency} from a stored amount or price; undefined for rates (下浮率, 费率), which OCDS cannot carry. */
export function ocdsValue(v: unknown): { amount: number; currency: 'CNY' } | undefined {
  const yuan = (v as Details | undefined)?.yuan;
  return typeof yuan === 'string' ? { amount: Number(yuan), currency: 'CNY' } : undefined;
}

const fenValue = (fen: bigint | null) =>
  fen === null ? undefined : { amount: Number(formatYuan(fen)), currency: 'CNY' as const };
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const dateTime = (v: unknown) =>
  typeof v !== 'string' ? undefined : /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00+08:00` : v;

/** Drops undefined fields, empty arrays and empty objects, which the schema would otherwise have to accept. */
function clean<T>(value: T): T {
  if (Array.isArray(value)) return value.map(clean).filter((v) => v !== undefined) as T;
  if (value && typeof value === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) {
      const c = clean(v);
      if (
        c === undefined ||
        (Array.isArray(c) && !c.length) ||
        (c && typeof c === 'object' && !Array.isArray(c) && !Object.keys(c).length)
      )
        continue;
      out[k] = c;
    }
    return out as T;
  }
  return value;
}

// ---- parties ------------------------------------------------------------------------------------
export const partyId = (creditCode: string) => `CN-USCC-${creditCode}`;

class Parties {
  private readonly byId = new Map<
    string,
    { id: string; name: string; identifier?: Json; roles: string[]; address?: Json }
  >();

  add(
    org: { name?: unknown; creditCode?: unknown; address?: unknown },
    role: string,
  ): { id: string; name: string } | undefined {
    const name = str(org.name);
    const code = str(org.creditCode);
    if (!name || !code) return undefined;
    const id = partyId(code);
    const party = this.byId.get(id) ?? {
      id,
      name,
      identifier: { scheme: 'CN-USCC', id: code, legalName: name },
      roles: [],
      address: str(org.address) ? { streetAddress: str(org.address), countryName: '中国' } : undefined,
    };
    if (!party.roles.includes(role)) party.roles.push(role);
    this.byId.set(id, party);
    return { id, name };
  }

  /** A party known only by the name or number (号牌) a notice gives it, under an id local to that notice. */
  addNamed(id: string, name: string, role: string): { id: string; name: string } {
    const party = this.byId.get(id) ?? { id, name, roles: [] };
    if (!party.roles.includes(role)) party.roles.push(role);
    this.byId.set(id, party);
    return { id, name };
  }

  list() {
    return [...this.byId.values()];
  }
}

// 招标人/采购人 buy; an asset transferor runs the process as its procuring entity; an agency procures for them.
const ROLE_OF: Record<string, string> = {
  tenderer: 'buyer',
  purchaser: 'buyer',
  transferor: 'procuringEntity',
  agency: 'procuringEntity',
};

function procurementMethod(project: Project): { procurementMethod?: string; procurementMethodDetails?: string } {
  if (project.procurementMethod) {
    const m =
      { 'open-tender': 'open', 'invited-tender': 'selective', 'single-source': 'direct' }[project.procurementMethod] ??
      'limited';
    return {
      procurementMethod: m,
      procurementMethodDetails: PROCUREMENT_METHODS.find((x) => x.slug === project.procurementMethod)?.name,
    };
  }
  if (project.transferMode) {
    return {
      procurementMethod: project.transferMode === 'agreement' ? 'direct' : 'open',
      procurementMethodDetails: TRANSFER_MODES.find((x) => x.slug === project.transferMode)?.name,
    };
  }
  return { procurementMethod: 'open', procurementMethodDetails: '公开招标' };
}

const MAIN_CATEGORY: Record<string, string | undefined> = { construction: 'works', procurement: 'goods' };

/**
 * The evaluation method as OCDS's open awardCriteria codelist (1.1) names it: 综合评估法/综合评分法 weighs price with
 * other criteria (ratedCriteria); 经评审的最低投标价法 takes the lowest price after the evaluated adjustments
 * (costOnly); the lowest-price methods the lowest qualified price (priceOnly). The Chinese name goes in
 * awardCriteriaDetails.
 */
export const AWARD_CRITERIA: Record<EvaluationMethod, string> = {
  comprehensive: 'ratedCriteria',
  'lowest-evaluated-price': 'costOnly',
  'lowest-price': 'priceOnly',
};

/**
 * What a release needs besides its notice: the project (with parties) and, for a withdrawal, the notice it
 * withdraws; for a performance notice, the project's latest contract notice before it.
 */
export interface ReleaseContext {
  project: Project;
  target?: Notice | null;
  contract?: Notice | null;
  /**
   * For a candidate publicity or result that records rejected bids (and the withdrawal of one): the project's
   * notices published before it, in log order, where its bid openings are.
   */
  earlier?: Notice[];
}

/** Whether a release of this notice reads `earlier` (ReleaseContext): only then need a reader load it. */
export function needsEarlierNotices(notice: Notice, target?: Notice | null): boolean {
  return recordsRejections(notice) || (notice.type === 'withdrawal' && !!target && recordsRejections(target));
}

const awardId = (creditCode: unknown, lotCode?: unknown) =>
  `${String(creditCode)}${lotCode ? `-${String(lotCode)}` : ''}`;
export const contractId = (contract: Notice) => str((contract.details as Details).contractNo) ?? contract.id;

export function releaseOf(notice: Notice, ctx: ReleaseContext, links: PublicLinks): Release {
  const { project } = ctx;
  const d = notice.details as Details;
  const date = chinaDateTimeIso(notice.publishedAt!);
  const url = noticePageUrl(links, notice.id);
  const parties = new Parties();
  let buyer: { id: string; name: string } | undefined;
  let procuringEntity: { id: string; name: string } | undefined;
  for (const p of project.parties ?? []) {
    const role = ROLE_OF[p.role] ?? 'interestedParty';
    const ref = parties.add(p, role);
    if (role === 'buyer') buyer ??= ref;
    if (role === 'procuringEntity') procuringEntity ??= ref;
  }
  const family = categoryBySlug(project.category)?.family;
  const document = (documentType: string) => ({
    id: notice.id,
    documentType,
    title: notice.title,
    url,
    datePublished: date,
    format: 'text/html',
    language: 'zh',
  });

  const tender: Json = {
    id: project.tenderCode,
    title: project.name,
    description: project.summary ?? undefined,
    procuringEntity,
    ...procurementMethod(project),
    mainProcurementCategory: family ? MAIN_CATEGORY[family] : undefined,
    value: project.priceKind === 'budget' ? fenValue(project.priceFen) : undefined,
    minValue: project.priceKind === 'reserve' ? fenValue(project.priceFen) : undefined,
  };
  const release: Json = { tender };
  let tag: string[];

  if (ANNOUNCEMENTS.has(notice.type)) {
    tag = ['tender'];
    tender.status = 'active';
    tender.tenderPeriod = {
      startDate: dateTime(d.documentsFrom ?? d.listingStart),
      endDate: dateTime(d.bidDeadline ?? d.applicationDeadline ?? d.listingEnd),
    };
    tender.value = ocdsValue(d.budget) ?? tender.value;
    tender.minValue = ocdsValue(d.reservePrice) ?? tender.minValue;
    tender.eligibilityCriteria = str(d.qualifications);
    tender.submissionMethodDetails = str(d.submissionMethod);
    const method = str(d.evaluationMethod) as EvaluationMethod | undefined;
    if (method && AWARD_CRITERIA[method]) {
      tender.awardCriteria = AWARD_CRITERIA[method];
      tender.awardCriteriaDetails = evaluationMethodName(method, family);
    }
    tender.documents = [document('tenderNotice')];
  } else if (notice.type === 'correction') {
    const changes = (d.changes as Details | undefined) ?? {};
    tag = [d.affectsBids ? 'tenderAmendment' : 'tenderUpdate'];
    tender.tenderPeriod = { endDate: dateTime(changes.bidDeadline ?? changes.listingEnd) };
    tender.value = ocdsValue(changes.budget) ?? tender.value;
    tender.minValue = ocdsValue(changes.reservePrice) ?? tender.minValue;
    tender.amendments = [{ id: notice.id, date, rationale: str(d.reason), description: notice.title }];
    tender.documents = [document('clarifications')];
  } else if (notice.type === 'bid-opening') {
    tag = ['tender'];
    const bids = (d.bids as Details[] | undefined) ?? [];
    const tenderers = bids
      .map((b) => parties.add({ name: b.bidder, creditCode: b.creditCode }, 'tenderer'))
      .filter((x) => x !== undefined);
    tender.numberOfTenderers = tenderers.length;
    tender.tenderers = tenderers;
    tender.documents = [document('bidders')];
    release.bids = {
      statistics: [{ id: `${notice.id}-bids`, measure: 'bids', value: bids.length, date: dateTime(d.openingTime) }],
      details: bids.map((b, i) => ({
        id: `${notice.id}-${i + 1}`,
        date: dateTime(d.openingTime),
        status: 'pending',
        tenderers: [{ id: partyId(String(b.creditCode)), name: String(b.bidder) }],
        value: ocdsValue(b.price),
      })),
    };
  } else if (notice.type === 'auction') {
    // 竞价过程: news about the tender stage carrying every round's bid, in round order.
    tag = ['tenderUpdate'];
    const { tenderers, bids } = auctionBids(notice, parties);
    tender.numberOfTenderers = tenderers.length;
    tender.tenderers = tenderers;
    tender.documents = [document('bidders')];
    const highest = bids.reduce<number | undefined>(
      (max, b) => (b.value && (max === undefined || b.value.amount > max) ? b.value.amount : max),
      undefined,
    );
    const closed = dateTime(d.endTime);
    release.bids = {
      statistics: [
        { id: `${notice.id}-bids`, measure: 'bids', value: bids.length, date: closed },
        { id: `${notice.id}-bidders`, measure: 'bidders', value: tenderers.length, date: closed },
        ...(highest === undefined
          ? []
          : [
              {
                id: `${notice.id}-highest`,
                measure: 'highestValidBidValue',
                value: highest,
                currency: 'CNY',
                date: closed,
              },
            ]),
      ],
      details: bids,
    };
  } else if (AWARDS.has(notice.type)) {
    tag = ['award'];
    const winners: { party: Details; price: unknown; lotCode?: unknown; rank?: unknown }[] =
      notice.type === 'candidates'
        ? ((d.candidates as Details[]) ?? []).map((c) => ({
            party: c,
            price: c.price,
            lotCode: d.lotCode,
            rank: c.rank,
          }))
        : notice.type === 'result'
          ? ((d.winners as Details[]) ?? []).map((w) => ({ party: w, price: w.price, lotCode: w.lotCode }))
          : [{ party: (d.buyer as Details) ?? {}, price: d.dealPrice }];
    release.awards = winners.map((w) => {
      const supplier = parties.add(w.party, notice.type === 'candidates' ? 'tenderer' : 'supplier');
      return {
        id: awardId(w.party.creditCode, w.lotCode),
        title: notice.type === 'candidates' ? `第${String(w.rank)}中标候选人` : notice.title,
        status: notice.type === 'candidates' ? 'pending' : 'active',
        date: dateTime(d.decisionDate ?? d.dealDate ?? d.publicityStart) ?? date,
        value: ocdsValue(w.price),
        suppliers: supplier ? [supplier] : [],
        documents: [document(notice.type === 'candidates' ? 'evaluationReports' : 'awardNotice')],
      };
    });
    if (recordsRejections(notice)) release.bids = { details: evaluatedBids(notice, ctx.earlier ?? [], parties, url) };
  } else if (notice.type === 'contract') {
    tag = ['contract'];
    const supplier = (d.supplier as Details) ?? {};
    parties.add(supplier, 'supplier');
    release.contracts = [
      {
        id: contractId(notice),
        awardID: awardId(supplier.creditCode),
        title: notice.title,
        description: str(d.content),
        status: 'active',
        value: ocdsValue(d.amount),
        dateSigned: dateTime(d.signedDate),
        documents: [document('contractNotice')],
      },
    ];
  } else if (notice.type === 'performance') {
    tag = ['implementation'];
    const contract = ctx.contract;
    const supplier = contract ? ((contract.details as Details).supplier as Details) : undefined;
    release.contracts = [
      {
        id: contract ? contractId(contract) : `${project.tenderCode}-contract`,
        awardID: supplier ? awardId(supplier.creditCode) : `${project.tenderCode}-award`,
        status: d.status === 'in-progress' ? 'active' : 'terminated',
        implementation: {
          documents: [
            {
              ...document(d.status === 'in-progress' ? 'physicalProgressReport' : 'completionCertificate'),
              description: str(d.summary),
            },
          ],
        },
      },
    ];
  } else if (notice.type === 'termination') {
    tag = ['tenderCancellation'];
    tender.status = 'cancelled';
    tender.documents = [{ ...document('cancellationDetails'), description: str(d.reason) }];
  } else if (notice.type === 'withdrawal') {
    const target = ctx.target;
    const reason = { ...document('cancellationDetails'), description: str(d.reason) };
    if (target && AWARDS.has(target.type)) {
      tag = ['awardCancellation'];
      const withdrawn = (releaseOf(target, { project }, links).awards as Json[] | undefined) ?? [];
      release.awards = withdrawn.map((a) => ({ id: a.id, status: 'cancelled', documents: [reason] }));
      if (recordsRejections(target)) release.bids = { details: reopenedBids(notice, target, ctx.earlier ?? []) };
    } else if (target?.type === 'contract') {
      tag = ['contractTermination'];
      release.contracts = [
        {
          id: contractId(target),
          awardID: awardId(((target.details as Details).supplier as Details)?.creditCode),
          status: 'cancelled',
          documents: [reason],
        },
      ];
    } else if (target && ANNOUNCEMENTS.has(target.type)) {
      tag = ['tenderCancellation'];
      tender.status = 'withdrawn';
      tender.documents = [reason];
    } else {
      tag = ['tenderUpdate'];
      tender.documents = [reason];
    }
  } else {
    // Abnormal-trading notice: news about the tender stage.
    tag = ['tenderUpdate'];
    tender.documents = [{ ...document('complaints'), description: str(d.reason) }];
  }

  return clean({
    ocid: ocidOf(links, project.dealCode),
    id: notice.id,
    date,
    tag,
    initiationType: 'tender',
    language: 'zh',
    parties: parties.list(),
    buyer,
    ...release,
  }) as Release;
}

// ---- bids judged by the evaluation (否决投标) ------------------------------------------------------------
type RejectedBid = { bidder: string; creditCode: string; reason: string; lotCode?: string };

/** A candidate publicity or result that says which bids were rejected (an empty list: none was). */
const recordsRejections = (n: Notice) =>
  (n.type === 'candidates' || n.type === 'result') && Array.isArray((n.details as Details).rejectedBids);

const lotKey = (lot: unknown) => (typeof lot === 'string' ? lot : '');

/** Whether a notice of `earlier` still stood when `at` was published (a withdrawal after that does not count). */
const stoodAt = (n: Notice, at: Notice) => !n.withdrawnAt || n.withdrawnAt.getTime() > at.publishedAt!.getTime();

/**
 * The bids an evaluation judged, as the bids of the bid opening they were opened in (same project and lot, the
 * latest one before the notice that still stood): each `disqualified` when the notice rejects its bidder, else
 * `valid`. A rejected bid with no such bid-opening bid is a bid of the notice's own, `{noticeId}-rejected-{n}`
 * (n its place in the list). A rejected bid carries the reason as an evaluation-report document. Only the lots
 * the notice speaks of are judged: a publicity's own lot; a result's winners' and rejected bids' lots.
 */
function evaluatedBids(notice: Notice, earlier: Notice[], parties: Parties, url: string): Json[] {
  const d = notice.details as Details;
  const publicityLot = notice.type === 'candidates' ? lotKey(d.lotCode) : undefined;
  const rejected = (d.rejectedBids as RejectedBid[]).map((r, i) => ({
    ...r,
    n: i + 1,
    lot: publicityLot ?? lotKey(r.lotCode),
  }));
  const lots =
    publicityLot !== undefined
      ? [publicityLot]
      : [
          ...new Set([
            ...((d.winners as Details[]) ?? []).map((w) => lotKey(w.lotCode)),
            ...rejected.map((r) => r.lot),
          ]),
        ];
  const reasonOf = (r: (typeof rejected)[number]) => [
    {
      id: `${notice.id}-rejected-${r.n}`,
      documentType: 'evaluationReports',
      title: '否决投标理由',
      description: r.reason,
      url,
      datePublished: chinaDateTimeIso(notice.publishedAt!),
      format: 'text/html',
      language: 'zh',
    },
  ];
  const bids: Json[] = [];
  const matched = new Set<number>();
  for (const lot of lots) {
    const opening = earlier.findLast(
      (n) => n.type === 'bid-opening' && lotKey((n.details as Details).lotCode) === lot && stoodAt(n, notice),
    );
    ((opening?.details as Details | undefined)?.bids as Details[] | undefined)?.forEach((b, i) => {
      const r = rejected.find((x) => x.lot === lot && x.creditCode === b.creditCode);
      if (r) matched.add(r.n);
      const tenderer = parties.add({ name: b.bidder, creditCode: b.creditCode }, 'tenderer');
      bids.push({
        id: `${opening!.id}-${i + 1}`,
        status: r ? 'disqualified' : 'valid',
        tenderers: tenderer ? [tenderer] : [],
        documents: r ? reasonOf(r) : undefined,
      });
    });
  }
  for (const r of rejected.filter((x) => !matched.has(x.n))) {
    const tenderer = parties.add({ name: r.bidder, creditCode: r.creditCode }, 'tenderer');
    bids.push({
      id: `${notice.id}-rejected-${r.n}`,
      status: 'disqualified',
      tenderers: tenderer ? [tenderer] : [],
      documents: reasonOf(r),
    });
  }
  return bids;
}

/**
 * The bids a withdrawn candidate publicity or result had judged, judged again: as the latest other evaluation
 * before the withdrawal that still stands and judged the same bid says, else `pending` (opened, not yet judged).
 */
function reopenedBids(withdrawal: Notice, target: Notice, earlier: Notice[]): Json[] {
  const before = (n: Notice) => earlier.filter((x) => x.logSeq! < n.logSeq!);
  const judged = (n: Notice) => evaluatedBids(n, before(n), new Parties(), '');
  const others = earlier.filter((n) => n.id !== target.id && recordsRejections(n) && stoodAt(n, withdrawal));
  const verdicts = new Map<string, unknown>();
  for (const n of others) for (const b of judged(n)) verdicts.set(b.id as string, b.status);
  return judged(target).map((b) => ({ id: b.id, status: verdicts.get(b.id as string) ?? 'pending' }));
}

// ---- auction bids ------------------------------------------------------------------------------------
const auctionBidId = (noticeId: string, round: unknown) => `${noticeId}-round-${String(round)}`;

/**
 * The bids of an auction (竞价过程): one per round, in round order, each valid (only admitted bidders bid, and
 * the platform takes only bids that raise the price by the increment), dated when it was made, worth the
 * round's exact yuan (the amount the notice's public JSON carries). A round names its bidder, or the bidder's
 * number (号牌), without a credit code: the winner's rounds — those under its name, or else the bidder of the
 * final price — are its party (CN-USCC); every other bidder is a party local to the notice,
 * `{noticeId}-bidder-{n}`, n its place in the order of first bids.
 */
function auctionBids(notice: Notice, parties: Parties) {
  const d = notice.details as Details;
  const rounds = [...((d.rounds as Details[] | undefined) ?? [])].sort((a, b) => Number(a.round) - Number(b.round));
  const winner = (d.winner as Details | undefined) ?? {};
  const finalYuan = (d.finalPrice as Details | undefined)?.yuan;
  const winnerLabel = rounds.some((r) => r.bidder === winner.name)
    ? winner.name
    : rounds.findLast((r) => (r.price as Details | undefined)?.yuan === finalYuan)?.bidder;
  const byLabel = new Map<string, { id: string; name: string }>();
  for (const label of new Set(rounds.map((r) => String(r.bidder)))) {
    const party =
      (label === winnerLabel ? parties.add(winner, 'tenderer') : undefined) ??
      parties.addNamed(`${notice.id}-bidder-${byLabel.size + 1}`, label, 'tenderer');
    byLabel.set(label, party);
  }
  return {
    tenderers: [...byLabel.values()],
    bids: rounds.map((r) => ({
      id: auctionBidId(notice.id, r.round),
      date: dateTime(r.time),
      status: 'valid' as const,
      tenderers: [byLabel.get(String(r.bidder))!],
      value: ocdsValue(r.price),
    })),
  };
}

// ---- compiled release ------------------------------------------------------------------------------
/**
 * OCDS merge: later releases overwrite earlier fields; arrays of objects with ids merge by id; other arrays
 * are replaced. The result carries the tag "compiled".
 */
export function compileReleases(releases: Release[]): Release {
  let compiled: Json = {};
  for (const r of releases) compiled = merge(compiled, r) as Json;
  const last = releases[releases.length - 1];
  return { ...compiled, id: `${last.ocid}-compiled-${last.id}`, date: last.date, tag: ['compiled'] } as Release;
}

function merge(a: unknown, b: unknown): unknown {
  if (Array.isArray(b)) {
    if (!Array.isArray(a) || !b.every(hasId) || !a.every(hasId)) return b;
    const out: Json[] = a.map((x) => ({ ...x }));
    for (const item of b) {
      const i = out.findIndex((x) => x.id === item.id);
      if (i >= 0) out[i] = merge(out[i], item) as Json;
      else out.push(item);
    }
    return out;
  }
  if (b && typeof b === 'object') {
    const out: Json = a && typeof a === 'object' && !Array.isArray(a) ? { ...(a as Json) } : {};
    for (const [k, v] of Object.entries(b)) out[k] = merge(out[k], v);
    return out;
  }
  return b;
}

const hasId = (x: unknown): x is Json & { id: unknown } => !!x && typeof x === 'object' && 'id' in (x as Json);
