import { categoryBySlug, noticeTypeBySlug, partyRoleLabel, regionName } from '../domain/catalog.js';
import { chinaDateTimeIso } from '../domain/china-time.js';
import { formatAmountIn, formatYuan, type AmountUnit } from '../domain/money.js';
import type { Project } from '../trading/project.entity.js';
import type { PublicNoticeFields } from '../published/published-reads.js';

/**
 * The public JSON of notices and projects: one shape for the API, the change feed and the bulk files. Times in
 * ISO 8601 with +08:00; money as exact decimal strings with their unit (`details` exactly as stored and hashed).
 */
export interface PublicLinks {
  /** Absolute base of the portal (config.publicBaseUrl). */
  baseUrl: string;
  ocidPrefix: string;
}

const iso = (d: Date | null | undefined) => (d ? chinaDateTimeIso(d) : null);
const enc = encodeURIComponent;

export const noticePageUrl = (l: PublicLinks, id: string) => `${l.baseUrl}/notices/${enc(id)}`;
export const ocidOf = (l: PublicLinks, dealCode: string) => `${l.ocidPrefix}${dealCode}`;

/** An amount held in fen, as the entered unit shows it plus its exact yuan value (the stored details' form). */
export function publicAmount(fen: bigint | null, unit: string) {
  if (fen === null) return null;
  const u: AmountUnit = unit === '万元' ? '万元' : '元';
  return { value: formatAmountIn(fen, u), unit: u, yuan: formatYuan(fen) };
}

/** A notice's public JSON. */
export function publicNotice(n: PublicNoticeFields, project: Pick<Project, 'id' | 'dealCode'>, l: PublicLinks) {
  return {
    id: n.id,
    projectId: n.projectId,
    sourcePlatform: n.sourcePlatform,
    sourceId: n.sourceId,
    type: n.type,
    ...noticeCatalogFields(n.type, n.category, n.regionCode),
    title: n.title,
    body: n.body,
    details: n.details,
    publishedAt: iso(n.publishedAt),
    targetNoticeId: n.targetNoticeId,
    withdrawn: n.withdrawnAt ? { at: iso(n.withdrawnAt), byNoticeId: n.withdrawnBy } : null,
    contentHash: n.contentHash,
    logSeq: n.logSeq,
    links: noticeLinks(l, n.id, project),
  };
}

/**
 * The fields of a notice's public JSON after its `type` that the catalog gives (names of its type, category and
 * region, and its type's kind), in their order there: a function of the three codes alone (the change feed writes
 * them once per combination: change-feed-json.ts).
 */
export function noticeCatalogFields(type: string, category: string, regionCode: string) {
  const t = noticeTypeBySlug(type);
  return {
    typeName: t?.name ?? type,
    kind: t?.kind ?? 'publication',
    category,
    categoryName: categoryBySlug(category)?.name ?? category,
    region: { code: regionCode, name: regionName(regionCode) ?? null },
  };
}

/** A notice's links, the last field of its public JSON. */
export function noticeLinks(l: PublicLinks, id: string, project: Pick<Project, 'id' | 'dealCode'>) {
  return {
    html: noticePageUrl(l, id),
    self: `${l.baseUrl}/api/v1/notices/${enc(id)}`,
    project: `${l.baseUrl}/api/v1/projects/${enc(project.id)}`,
    ocdsRecord: `${l.baseUrl}/api/ocds/records/${enc(ocidOf(l, project.dealCode))}`,
  };
}

export type PublicNotice = ReturnType<typeof publicNotice>;

/** A project's public facts. Contact persons are left out: the notices carry what the law requires. */
export function publicProject(p: Project, l: PublicLinks) {
  return {
    id: p.id,
    ocid: ocidOf(l, p.dealCode),
    dealCode: p.dealCode,
    tenderCode: p.tenderCode,
    investmentCode: p.investmentCode,
    sourcePlatform: p.sourcePlatform,
    category: p.category,
    categoryName: categoryBySlug(p.category)?.name ?? p.category,
    region: { code: p.regionCode, name: regionName(p.regionCode) ?? null },
    name: p.name,
    summary: p.summary,
    price: p.priceFen === null ? null : { kind: p.priceKind, ...publicAmount(p.priceFen, p.priceUnit)! },
    procurementMethod: p.procurementMethod,
    transferMode: p.transferMode,
    fundingSource: p.fundingSource,
    fullyOnline: p.fullyOnline,
    bidDeadline: iso(p.bidDeadline),
    openingTime: iso(p.openingTime),
    firstPublishedAt: iso(p.firstPublishedAt),
    terminatedAt: iso(p.terminatedAt),
    parties: (p.parties ?? []).map((x) => ({
      role: x.role,
      roleName: partyRoleLabel(x.role) ?? x.role,
      name: x.name,
      creditCode: x.creditCode,
      address: x.address,
    })),
    lots: (p.lots ?? []).map((x) => ({ code: x.code, name: x.name, budget: publicAmount(x.priceFen, x.priceUnit) })),
    links: {
      html: `${l.baseUrl}/projects/${enc(p.id)}`,
      self: `${l.baseUrl}/api/v1/projects/${enc(p.id)}`,
      ocdsRecord: `${l.baseUrl}/api/ocds/records/${enc(ocidOf(l, p.dealCode))}`,
    },
  };
}
