import { categoryBySlug, noticeTypeBySlug, partyRoleLabel, regionName } from '../domain/catalog.js';
import { chinaDateTimeIso } from '../domain/china-time.js';
import { formatAmountIn, formatYuan, type AmountUnit } from '../domain/money.js';
import type { Project } from '../trading/project.entity.js';
import type { FeedNoticeFields } from '../published/published-reads.js';
import type { RawJson } from '../http/raw-json.js';

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

/**
 * A notice's public JSON. `name` gives each catalog name (type, category, region) as it is to be written: the
 * change feed passes jsonString, the names' JSON bytes, so that its pages serialise as one-byte text.
 */
export function publicNotice(
  n: FeedNoticeFields,
  project: Pick<Project, 'id' | 'dealCode'>,
  l: PublicLinks,
  name: (text: string) => string | RawJson = (text) => text,
) {
  const type = noticeTypeBySlug(n.type);
  const regionText = regionName(n.regionCode);
  return {
    id: n.id,
    projectId: n.projectId,
    sourcePlatform: n.sourcePlatform,
    sourceId: n.sourceId,
    type: n.type,
    typeName: name(type?.name ?? n.type),
    kind: type?.kind ?? 'publication',
    category: n.category,
    categoryName: name(categoryBySlug(n.category)?.name ?? n.category),
    region: { code: n.regionCode, name: regionText === undefined ? null : name(regionText) },
    title: n.title,
    body: n.body,
    details: n.details,
    publishedAt: iso(n.publishedAt),
    targetNoticeId: n.targetNoticeId,
    withdrawn: n.withdrawnAt ? { at: iso(n.withdrawnAt), byNoticeId: n.withdrawnBy } : null,
    contentHash: n.contentHash,
    logSeq: n.logSeq,
    links: {
      html: noticePageUrl(l, n.id),
      self: `${l.baseUrl}/api/v1/notices/${enc(n.id)}`,
      project: `${l.baseUrl}/api/v1/projects/${enc(project.id)}`,
      ocdsRecord: `${l.baseUrl}/api/ocds/records/${enc(ocidOf(l, project.dealCode))}`,
    },
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
