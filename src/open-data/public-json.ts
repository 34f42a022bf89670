import { categoryBySlug, partyRoleLabel, regionName } from '../domain/catalog.js';
import { formatAmountIn, formatYuan, type AmountUnit } from '../domain/money.js';
import type { Project } from '../trading/project.entity.js';
import {
  iso,
  enc,
  noticePageUrl,
  ocidOf,
  publicNotice,
  type PublicLinks,
  type PublicNotice,
} from '../published/public-notice.js';

export { noticePageUrl, ocidOf, publicNotice, type PublicLinks, type PublicNotice };

/*
 * The public JSON of notices and projects: one shape for the API, the change feed and the bulk files. Times in
 * ISO 8601 with +08:00; money as exact decimal strings with their unit (`details` exactly as stored and hashed).
 * A notice's own JSON is in published/public-notice.ts (a publication keeps it: published/notice-json.ts).
 */

/** An amount held in fen, as the entered unit shows it plus its exact yuan value (the stored details' form). */
export function publicAmount(fen: bigint | null, unit: string) {
  if (fen === null) return null;
  const u: AmountUnit = unit === '万元' ? '万元' : '元';
  return { value: formatAmountIn(fen, u), unit: u, yuan: formatYuan(fen) };
}

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
