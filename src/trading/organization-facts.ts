/**
 * Who appears in a published notice, by unified social credit code: the facts the organisation pages
 * (/organizations/{creditCode}) and their kept totals are built from. Pure: the index (organization-index.ts)
 * writes what these functions return in the publishing transaction.
 *
 * Only parties with a credit code are facts: an auction's rounds name bidders by paddle number (号牌) and never
 * give an organisation a page.
 */

/** The part of an organisation page a fact is listed in. */
export type OrgSection = 'party' | 'bid' | 'candidate' | 'award' | 'contract';

/** What the organisation was in the notice or project. */
export type OrgRole =
  | 'tenderer'
  | 'purchaser'
  | 'transferor'
  | 'agency'
  | 'bidder'
  | 'candidate'
  | 'winner'
  | 'auction-winner'
  | 'buyer'
  | 'supplier';

export const ORG_ROLE_NAMES: Record<OrgRole, string> = {
  tenderer: '招标人',
  purchaser: '采购人',
  transferor: '出让方/转让方',
  agency: '代理机构',
  bidder: '投标人',
  candidate: '中标候选人',
  winner: '中标（成交）人',
  'auction-winner': '竞得人',
  buyer: '受让方（竞得人）',
  supplier: '合同供应商',
};

const SECTION_OF: Record<OrgRole, OrgSection> = {
  tenderer: 'party',
  purchaser: 'party',
  transferor: 'party',
  agency: 'party',
  bidder: 'bid',
  candidate: 'candidate',
  winner: 'award',
  'auction-winner': 'candidate',
  buyer: 'award',
  supplier: 'contract',
};

export const sectionOf = (role: OrgRole): OrgSection => SECTION_OF[role];

/** The roles of a project's owner: the buyer whose awards a winner's share is measured against. */
export const OWNER_ROLES: readonly OrgRole[] = ['tenderer', 'purchaser'];

/** A price as stored in notice details: an amount ({value, unit, yuan}) or a bid price with its form. */
export interface FactPrice {
  form: string;
  value: string;
  unit: string;
  /** Exact yuan, for amounts only (not rates, discounts or unit prices: those are never summed or compared). */
  yuan: string | null;
}

export interface OrgFact {
  creditCode: string;
  name: string;
  role: OrgRole;
  lotCode: string | null;
  price: FactPrice | null;
  /** Candidates: their rank. Bids: their place by price among the lot's bids given as amounts (1 = lowest). */
  rank: number | null;
  /** Counted in the award totals (a result's winner, a deal's buyer). */
  award: boolean;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/** A stored price or amount; yuan kept only for amounts (a total price, not a rate or a unit price). */
export function factPrice(v: unknown): FactPrice | null {
  if (!isObj(v) || typeof v.value !== 'string' || typeof v.unit !== 'string') return null;
  const form = typeof v.form === 'string' ? v.form : 'amount';
  return { form, value: v.value, unit: v.unit, yuan: form === 'amount' ? str(v.yuan) : null };
}

/** Exact fen of a yuan decimal string ("1234.5" → 123450n). */
export function yuanToFen(yuan: string): bigint {
  const [whole, frac = ''] = yuan.split('.');
  return BigInt(whole) * 100n + BigInt((frac + '00').slice(0, 2));
}

function party(v: unknown, role: OrgRole, extra: Partial<OrgFact> = {}): OrgFact[] {
  if (!isObj(v)) return [];
  const creditCode = str(v.creditCode);
  const name = str(v.name) ?? str(v.bidder);
  if (!creditCode || !name) return [];
  return [{ creditCode, name, role, lotCode: null, price: null, rank: null, award: false, ...extra }];
}

/** Competition ranks by amount, lowest first ("1, 2, 2, 4"); bids priced otherwise get none. */
function priceRanks(prices: (FactPrice | null)[]): (number | null)[] {
  const fen = prices.map((p) => (p?.yuan ? yuanToFen(p.yuan) : null));
  return fen.map((f) => (f === null ? null : 1 + fen.filter((g) => g !== null && g < f).length));
}

/** The facts a published notice adds, from its type and stored details. */
export function noticeFacts(type: string, details: Obj): OrgFact[] {
  const lot = str(details.lotCode);
  const list = (key: string) => (Array.isArray(details[key]) ? (details[key] as unknown[]) : []);
  switch (type) {
    case 'bid-opening': {
      const bids = list('bids').filter(isObj);
      const ranks = priceRanks(bids.map((b) => factPrice(b.price)));
      return bids.flatMap((b, i) => party(b, 'bidder', { lotCode: lot, price: factPrice(b.price), rank: ranks[i] }));
    }
    case 'candidates':
      return list('candidates').flatMap((c) =>
        isObj(c)
          ? party(c, 'candidate', {
              lotCode: lot,
              price: factPrice(c.price),
              rank: typeof c.rank === 'number' ? c.rank : null,
            })
          : [],
      );
    case 'result':
      return list('winners').flatMap((w) =>
        isObj(w) ? party(w, 'winner', { lotCode: str(w.lotCode), price: factPrice(w.price), award: true }) : [],
      );
    case 'auction':
      return party(details.winner, 'auction-winner', { price: factPrice(details.finalPrice) });
    case 'deal':
      return party(details.buyer, 'buyer', { price: factPrice(details.dealPrice), award: true });
    case 'contract':
      return party(details.supplier, 'supplier', { price: factPrice(details.amount) });
    default:
      return [];
  }
}

/** A project's parties (招标人, 采购人, 出让方, 代理机构), made public with its first published notice. */
export function partyFacts(parties: { role: string; name: string; creditCode: string }[]): OrgFact[] {
  return parties
    .filter((p) => p.role in SECTION_OF && sectionOf(p.role as OrgRole) === 'party')
    .map((p) => ({
      creditCode: p.creditCode,
      name: p.name,
      role: p.role as OrgRole,
      lotCode: null,
      price: null,
      rank: null,
      award: false,
    }));
}

/**
 * The keys of the kept totals (table org_total: total_key, n, fen, unpriced) a fact adds to:
 * - `s|{code}|{section}`: the organisation's facts per section (the page's "N 条");
 * - `w|{code}|{year}|{category}`: its awards by China year of publication and category, with their amount in fen
 *   (awards priced as a rate, a discount or a unit price are counted in `unpriced`, never summed);
 * - `b|{buyer}|{year}` and `wb|{code}|{buyer}|{year}`: a buyer's awards, and this winner's among them (a
 *   result's winner, with the project's 招标人/采购人 as the buyer); `bw|{buyer}|{year}|{code}`: the same count
 *   keyed by buyer first, so a buyer's winners of a year are one range (the repeat-winner indicator).
 */
export function totalKeys(
  fact: OrgFact,
  context: { year: string; category: string; buyers: string[] },
): { key: string; fen: bigint | null }[] {
  const fen = fact.award && fact.price?.yuan ? yuanToFen(fact.price.yuan) : null;
  const keys = [{ key: `s|${fact.creditCode}|${sectionOf(fact.role)}`, fen: null as bigint | null }];
  if (!fact.award) return keys;
  keys.push({ key: `w|${fact.creditCode}|${context.year}|${context.category}`, fen });
  if (fact.role === 'winner') {
    for (const buyer of context.buyers) {
      keys.push(
        { key: `b|${buyer}|${context.year}`, fen },
        { key: `wb|${fact.creditCode}|${buyer}|${context.year}`, fen },
        { key: `bw|${buyer}|${context.year}|${fact.creditCode}`, fen },
      );
    }
  }
  return keys;
}
