import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../database/database.js';
import { keysetAfter, positional } from '../database/keyset.js';
import { PublishedReads } from '../published/published-reads.js';
import { escapeLike, joinInOrder, sqlDateTime, sqlInteger, startsWithSql, sqlMarks } from '../database/dialect.js';
import { categoryBySlug } from '../domain/catalog.js';
import { isValidCreditCode } from '../domain/credit-code.js';
import { formatYuan } from '../domain/money.js';
import { AppError, notFound } from '../http/app-error.js';
import { Notice } from '../trading/notice.entity.js';
import { ORG_ROLE_NAMES, type FactPrice, type OrgRole, type OrgSection } from '../trading/organization-facts.js';
import { ORG_FACT, ORG_NAME, ORG_TOTAL } from '../trading/organization-index.js';

export const ORG_SECTIONS: readonly OrgSection[] = ['party', 'bid', 'candidate', 'award', 'contract'];

export const SECTION_NAMES: Record<OrgSection, string> = {
  party: '作为招标人、采购人、出让方或代理机构的项目',
  bid: '投标记录',
  candidate: '中标候选与竞得',
  award: '中标（成交）',
  contract: '合同',
};

export interface OrgName {
  name: string;
  firstSeen: Date;
  lastSeen: Date;
  appearances: number;
}

export interface AwardTotal {
  year: string;
  category: string;
  categoryName: string;
  awards: number;
  /** Exact yuan of the awards given as amounts. */
  amountYuan: string;
  /** Awards priced as a rate, a discount or a unit price: counted, never summed. */
  unpriced: number;
}

export interface BuyerShare {
  buyer: { creditCode: string; name: string | null };
  year: string;
  awards: number;
  buyerAwards: number;
  /** awards / buyerAwards, 0–1, four decimals. */
  share: number;
  amountYuan: string;
  buyerAmountYuan: string;
}

export interface OrgProfile {
  creditCode: string;
  /** Every name the code was published under, the latest first. */
  names: OrgName[];
  counts: Record<OrgSection, number>;
  awardsByYear: AwardTotal[];
  buyerShares: BuyerShare[];
  /** More buyers than listed (the busiest winners): the list is cut at BUYER_SHARES_MAX. */
  buyerSharesTruncated: boolean;
  /** Rows of the whole list (up to BUYER_SHARES_MAX), of which `buyerShares` may be the first (options.shares). */
  buyerShareRows: number;
}

export interface OrgFactRow {
  id: number;
  section: OrgSection;
  role: OrgRole;
  roleName: string;
  name: string;
  noticeId: string;
  noticeType: string;
  projectId: string;
  projectName: string | null;
  lotCode: string | null;
  price: FactPrice | null;
  /** Candidates: their rank; bids: their place by price among the lot's amounts (1 = lowest). */
  place: number | null;
  award: boolean;
  category: string;
  regionCode: string;
  publishedAt: Date;
  withdrawn: boolean;
  /** Bids only: how the bid fared, from the project's published candidates and results. */
  outcome?: { candidateRank: number | null; won: boolean };
}

export interface OrgFactPage {
  items: OrgFactRow[];
  /** The cursor of the next page, null at the end. */
  next: string | null;
}

export interface OrgMatch {
  creditCode: string;
  name: string;
  lastSeen: Date;
}

const NAMES_MAX = 50;
const AWARD_ROWS_MAX = 500;
export const BUYER_SHARES_MAX = 200;
export const FACT_PAGE_MAX = 200;
export const SEARCH_MAX = 50;
/** Rows of org_name one search reads at most per step (a code or name range, then a part inside names). */
export const SEARCH_ROWS = 200;

const CURSOR = /^(\d{1,15})-(\d{1,12})$/;

/** `{ms}-{id}` of a fact: where the next page starts (strictly older). */
export const factCursor = (row: { publishedAt: Date; id: number }) => `${row.publishedAt.getTime()}-${row.id}`;

function parseCursor(raw: string | undefined): { at: Date; id: number } | undefined {
  if (raw === undefined) return undefined;
  const m = CURSOR.exec(raw);
  if (!m)
    throw new AppError('filter.cursor', '分页游标 after 不正确', [{ field: 'after', message: '不是本站给出的游标' }]);
  return { at: new Date(Number(m[1])), id: Number(m[2]) };
}

/** A credit code from a URL: 18 characters of GB 32100 with a valid check character (upper-cased first). */
export function parseCreditCode(raw: string): string {
  const code = raw.trim().toUpperCase();
  if (!isValidCreditCode(code)) {
    throw new AppError('filter.invalid', `“${raw.slice(0, 40)}”不是有效的统一社会信用代码`, [
      { field: 'creditCode', message: '应为 18 位统一社会信用代码（GB 32100-2015），校验位正确' },
    ]);
  }
  return code;
}

const categoryName = (slug: string) => categoryBySlug(slug)?.name ?? slug;

/**
 * The organisation pages' reads: each a bounded number of rows from the organisation index
 * (trading/organization-index.ts) — the kept totals, one keyset page of facts, and the projects and outcomes of
 * that page's rows — whatever the number of notices.
 */
@Injectable()
export class OrganizationReads {
  constructor(
    private readonly db: Database,
    private readonly read: PublishedReads,
  ) {}

  private get em(): EntityManager {
    return this.db.manager;
  }

  /** A date as the driver binds it into raw SQL (as published_at is stored). */
  private at(date: Date): unknown {
    const column = this.em.connection.getMetadata(Notice).findColumnWithPropertyName('publishedAt')!;
    return this.em.connection.driver.preparePersistentValue(date, column);
  }

  /**
   * Who the organisation is (its names, its sections' counts), its awards by year (unless `awards` is false) and
   * the first `shares` of its shares of its buyers' awards (all, up to BUYER_SHARES_MAX, by default; none for 0).
   * A page of one section (?section=bids) shows neither and reads neither.
   */
  async profile(creditCode: string, options: { awards?: boolean; shares?: number } = {}): Promise<OrgProfile> {
    const names = await this.names(creditCode);
    if (!names.length) throw notFound(`统一社会信用代码为 ${creditCode} 的机构`);
    const shares = options.shares ?? BUYER_SHARES_MAX;
    const [counts, awardsByYear, buyerShares] = await Promise.all([
      this.counts(creditCode),
      options.awards === false ? [] : this.awardsByYear(creditCode),
      shares > 0
        ? this.buyerShares(creditCode, shares)
        : { buyerShares: [], buyerSharesTruncated: false, buyerShareRows: 0 },
    ]);
    return { creditCode, names, counts, awardsByYear, ...buyerShares };
  }

  /**
   * What a page of one section needs of the organisation (its facts API, its CSV): that it is known, and its
   * sections' counts — one row of names and the kept counts, not the profile's totals by year and buyer.
   */
  async summary(creditCode: string): Promise<{ counts: Record<OrgSection, number> }> {
    const [known, counts] = await Promise.all([
      this.em.query(`SELECT 1 AS one FROM ${ORG_NAME} WHERE credit_code = ? LIMIT 1`, [creditCode]) as Promise<
        unknown[]
      >,
      this.counts(creditCode),
    ]);
    if (!known.length) throw notFound(`统一社会信用代码为 ${creditCode} 的机构`);
    return { counts };
  }

  private async names(creditCode: string): Promise<OrgName[]> {
    const rows: Record<string, unknown>[] = await this.em.query(
      `SELECT name, first_seen, last_seen, appearances FROM ${ORG_NAME} WHERE credit_code = ? ORDER BY name LIMIT ${NAMES_MAX}`,
      [creditCode],
    );
    // One code's names, in key order, then the latest first.
    return rows
      .map((r) => ({
        name: String(r.name),
        firstSeen: sqlDateTime(r.first_seen)!,
        lastSeen: sqlDateTime(r.last_seen)!,
        appearances: Number(r.appearances),
      }))
      .sort((a, b) => b.lastSeen.getTime() - a.lastSeen.getTime() || a.name.localeCompare(b.name));
  }

  private async totals(from: string, to: string, limit: number) {
    const rows: Record<string, unknown>[] = await this.em.query(
      `SELECT total_key, n, fen, unpriced FROM ${ORG_TOTAL} WHERE total_key >= ? AND total_key < ? ORDER BY total_key LIMIT ${limit}`,
      [from, to],
    );
    return rows.map((r) => ({
      key: String(r.total_key),
      n: Number(r.n),
      fen: sqlInteger(r.fen),
      unpriced: Number(r.unpriced),
    }));
  }

  private async counts(creditCode: string): Promise<Record<OrgSection, number>> {
    const rows = await this.totals(`s|${creditCode}|`, `s|${creditCode}}`, 20);
    const counts = Object.fromEntries(ORG_SECTIONS.map((s) => [s, 0])) as Record<OrgSection, number>;
    for (const r of rows) counts[r.key.split('|')[2] as OrgSection] = r.n;
    return counts;
  }

  private async awardsByYear(creditCode: string): Promise<AwardTotal[]> {
    const rows = await this.totals(`w|${creditCode}|`, `w|${creditCode}}`, AWARD_ROWS_MAX);
    return rows
      .filter((r) => r.n > 0)
      .map((r) => {
        const [, , year, category] = r.key.split('|');
        return {
          year,
          category,
          categoryName: categoryName(category),
          awards: r.n,
          amountYuan: formatYuan(r.fen),
          unpriced: r.unpriced,
        };
      })
      .sort((a, b) => (a.year === b.year ? a.category.localeCompare(b.category) : b.year.localeCompare(a.year)));
  }

  /**
   * The winner's share of each buyer's awards, by year: the latest year first, the highest share first. With a
   * `limit`, that many of them (the page's preview): only the buyers of the latest years that fill it are looked
   * up, not every buyer of every year (a busy winner's are a dozen buyers over ten years, 121 rows).
   */
  private async buyerShares(
    creditCode: string,
    limit = BUYER_SHARES_MAX,
  ): Promise<{ buyerShares: BuyerShare[]; buyerSharesTruncated: boolean; buyerShareRows: number }> {
    const rows = (await this.totals(`wb|${creditCode}|`, `wb|${creditCode}}`, BUYER_SHARES_MAX + 1)).filter(
      (r) => r.n > 0,
    );
    const truncated = rows.length > BUYER_SHARES_MAX;
    const listed = rows.slice(0, BUYER_SHARES_MAX).map((r) => {
      const [, , buyer, year] = r.key.split('|');
      return { buyer, year, ...r };
    });
    if (!listed.length) return { buyerShares: [], buyerSharesTruncated: false, buyerShareRows: 0 };
    // Whole years, the latest first, until they hold `limit` rows (the order within a year is by share): every
    // year from that of the limit-th row by year.
    const byYear = listed.map((m) => m.year).sort((a, b) => b.localeCompare(a));
    const fromYear = byYear[Math.min(limit, byYear.length) - 1];
    const mine = listed.filter((m) => m.year >= fromYear);
    const buyerCodes = [...new Set(mine.map((m) => m.buyer))];
    // Each buyer's totals of the years shown, one range a buyer (`b|{buyer}|{fromYear}` up to the buyer's end:
    // years are four digits, so they sort as they count), rather than one lookup of each buyer and year (a range
    // for each, and MariaDB plans every range with a dive into the index). A busy winner's buyers each have ten
    // years of totals; the preview shows one or two.
    const [buyerRows, nameRows]: [Record<string, unknown>[], Record<string, unknown>[]] = await Promise.all([
      this.em.query(
        `SELECT total_key, n, fen FROM ${ORG_TOTAL} WHERE ${buyerCodes.map(() => '(total_key >= ? AND total_key < ?)').join(' OR ')}`,
        buyerCodes.flatMap((b) => [`b|${b}|${fromYear}`, `b|${b}}`]),
      ),
      this.em.query(
        `SELECT credit_code, name, last_seen FROM ${ORG_NAME} WHERE credit_code IN (${sqlMarks(buyerCodes)}) ORDER BY last_seen`,
        buyerCodes,
      ),
    ]);
    const buyerTotals = new Map(
      buyerRows.map((r) => [String(r.total_key), { n: Number(r.n), fen: sqlInteger(r.fen) }]),
    );
    // The latest name of each buyer (rows come oldest first, so the last one wins).
    const buyerNames = new Map(nameRows.map((r) => [String(r.credit_code), String(r.name)]));
    const shares = mine.map((m): BuyerShare => {
      const total = buyerTotals.get(`b|${m.buyer}|${m.year}`) ?? { n: m.n, fen: m.fen };
      return {
        buyer: { creditCode: m.buyer, name: buyerNames.get(m.buyer) ?? null },
        year: m.year,
        awards: m.n,
        buyerAwards: total.n,
        share: total.n ? Math.round((m.n / total.n) * 10000) / 10000 : 0,
        amountYuan: formatYuan(m.fen),
        buyerAmountYuan: formatYuan(total.fen),
      };
    });
    shares.sort((a, b) => b.year.localeCompare(a.year) || b.share - a.share || b.awards - a.awards);
    return { buyerShares: shares.slice(0, limit), buyerSharesTruncated: truncated, buyerShareRows: listed.length };
  }

  /** One page of an organisation's facts in a section, newest first, by keyset. */
  async facts(creditCode: string, section: OrgSection, after: string | undefined, limit: number): Promise<OrgFactPage> {
    const cursor = parseCursor(after);
    const params: unknown[] = [creditCode, section];
    let where = 'credit_code = ? AND section = ?';
    if (cursor)
      where += ` AND ${keysetAfter({ key: 'published_at', id: 'id' }, { key: this.at(cursor.at), id: cursor.id }, 'DESC', positional(params))}`;
    const rows: Record<string, unknown>[] = await this.em.query(
      `SELECT * FROM ${ORG_FACT} WHERE ${where} ORDER BY published_at DESC, id DESC LIMIT ${limit + 1}`,
      params,
    );
    const items = rows.slice(0, limit).map(factRow);
    await Promise.all([this.addProjects(items), section === 'bid' && this.addOutcomes(creditCode, items)]);
    return { items, next: rows.length > limit ? factCursor(items[items.length - 1]) : null };
  }

  private async addProjects(items: OrgFactRow[]) {
    const names = await this.read.projectNames(items.map((i) => i.projectId));
    for (const item of items) item.projectName = names.get(item.projectId) ?? null;
  }

  /**
   * Whether each bid won, and its candidate rank: the organisation's candidate and award facts on those projects,
   * read from ix_org_fact_project alone (project, code and section lead it; the columns read are in it).
   *
   * The projects are a derived table joined on the index, not `project_id IN (…)`: MariaDB plans an IN list as a
   * range a project and section (100 for the API's page of 50 bids) and dives into the index for each to estimate
   * it, which at 1,000,000 notices took longer than the read (2.0 ms against 0.9 ms joined, 28 projects; the same
   * 0.47 ms at 10,000). A join looks each project up by key (ref) and estimates from the index statistics; it is
   * read in the order written (joinInOrder), as SQLite otherwise reads all the organisation's facts of the sections.
   */
  private async addOutcomes(creditCode: string, items: OrgFactRow[]) {
    const ids = [...new Set(items.map((i) => i.projectId))];
    if (!ids.length) return;
    const rows = await inChunks(
      ids,
      (chunk) =>
        this.em.query(
          `SELECT f.project_id, f.lot_code, f.role, f.place
           FROM (${chunk.map((_, i) => (i ? 'SELECT ?' : 'SELECT ? AS project_id')).join(' UNION ALL ')}) projects
           ${joinInOrder(this.db.dialect)} ${ORG_FACT} f ON f.project_id = projects.project_id
           WHERE f.credit_code = ? AND f.section IN ('candidate', 'award') AND f.withdrawn = 0`,
          [...chunk, creditCode],
        ) as Promise<Record<string, unknown>[]>,
    );
    // A fact without a lot applies to every lot of its project.
    const sameLot = (a: unknown, b: string | null) => a === null || b === null || a === b;
    for (const item of items) {
      const mine = rows.filter((r) => r.project_id === item.projectId && sameLot(r.lot_code, item.lotCode));
      const candidate = mine.find((r) => r.role === 'candidate');
      item.outcome = {
        candidateRank: candidate?.place === null || candidate?.place === undefined ? null : Number(candidate.place),
        won: mine.some((r) => r.role === 'winner' || r.role === 'buyer'),
      };
    }
  }

  /**
   * Organisations by credit code (a prefix of 2 or more characters) or by a part of a published name, at most
   * `limit`, one line each under the latest of its matching names, most recently seen first; `more` when there
   * may be others (the caller asks for a longer text).
   *
   * Bounded reads: a code prefix is a range of org_name's primary key, a name's beginning a range of
   * ix_org_name_name, each read in index order up to SEARCH_ROWS rows. A part from inside names (建工 in
   * 大连建工集团) is looked for only when those found fewer than `limit`: `name LIKE '%…%'` with no order, which
   * stops at SEARCH_ROWS matches. That one stays a scan of org_name (one row per organisation and name, far
   * fewer than the notices) when the part is rare or absent: no index serves a part from inside a text, and the
   * search index's character pairs (notice_search_gram) cover notices, not names.
   */
  async search(q: string, limit = SEARCH_MAX): Promise<{ matches: OrgMatch[]; more: boolean }> {
    const text = q.trim();
    const code = text.toUpperCase();
    const columns = `SELECT credit_code, name, last_seen FROM ${ORG_NAME}`;
    const found: Record<string, unknown>[][] = [];
    let capped = false;
    const read = async (sql: string, params: unknown[]) => {
      const rows: Record<string, unknown>[] = await this.em.query(`${sql} LIMIT ${SEARCH_ROWS}`, params);
      capped ||= rows.length === SEARCH_ROWS;
      found.push(rows);
    };
    if (/^[0-9A-HJ-NP-RTUW-Y]{2,18}$/.test(code)) {
      // Codes use digits and capitals only, which sort alike in every collation: the range ends where the last
      // character would be the next one of the code's alphabet.
      await read(`${columns} WHERE credit_code >= ? AND credit_code < ? ORDER BY credit_code, name`, [
        code,
        code.slice(0, -1) + nextCodeCharacter(code[code.length - 1]),
      ]);
    } else {
      const start = startsWithSql(this.db.dialect, 'name', text);
      await read(`${columns} WHERE ${start.sql} ORDER BY name`, start.params);
      if (distinctCodes(found) < limit)
        await read(`${columns} WHERE name LIKE ? ESCAPE '!'`, [`%${escapeLike(text)}%`]);
    }
    // One line per organisation, under the latest of its matching names.
    const seen = new Map<string, OrgMatch>();
    for (const r of found.flat()) {
      const m = { creditCode: String(r.credit_code), name: String(r.name), lastSeen: sqlDateTime(r.last_seen)! };
      const had = seen.get(m.creditCode);
      if (!had || had.lastSeen < m.lastSeen) seen.set(m.creditCode, m);
    }
    const matches = [...seen.values()].sort(
      (a, b) => b.lastSeen.getTime() - a.lastSeen.getTime() || a.creditCode.localeCompare(b.creditCode),
    );
    return { matches: matches.slice(0, limit), more: capped || matches.length > limit };
  }
}

const CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** The character after `c` in credit-code order ('9' → 'A'; after 'Y', 'Z', which no code holds). */
const nextCodeCharacter = (c: string) => CODE_ALPHABET[CODE_ALPHABET.indexOf(c) + 1] ?? 'Z';
const distinctCodes = (rows: Record<string, unknown>[][]) => new Set(rows.flat().map((r) => r.credit_code)).size;

/** Runs `read` over ids 100 at a time: a long IN list makes a planner scan a table instead of probing its key. */
async function inChunks<T>(ids: string[], read: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 100) out.push(...(await read(ids.slice(i, i + 100))));
  return out;
}

function factRow(r: Record<string, unknown>): OrgFactRow {
  const role = String(r.role) as OrgRole;
  return {
    id: Number(r.id),
    section: String(r.section) as OrgSection,
    role,
    roleName: ORG_ROLE_NAMES[role] ?? role,
    name: String(r.name),
    noticeId: String(r.notice_id),
    noticeType: String(r.notice_type),
    projectId: String(r.project_id),
    projectName: null,
    lotCode: (r.lot_code as string | null) ?? null,
    price:
      r.price_value === null || r.price_value === undefined
        ? null
        : {
            form: String(r.price_form),
            value: String(r.price_value),
            unit: String(r.price_unit),
            yuan: (r.price_yuan as string | null) ?? null,
          },
    place: r.place === null || r.place === undefined ? null : Number(r.place),
    award: Number(r.award) === 1,
    category: String(r.category),
    regionCode: String(r.region_code),
    publishedAt: sqlDateTime(r.published_at)!,
    withdrawn: Number(r.withdrawn) === 1,
  };
}
