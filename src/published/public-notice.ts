import { categoryBySlug, noticeTypeBySlug, regionName } from '../domain/catalog.js';
import { chinaDateTimeIso } from '../domain/china-time.js';
import type { Project } from '../trading/project.entity.js';
import type { PublicNoticeFields } from './notice-row.js';

/**
 * A notice's public JSON (one shape for the API, the change feed and the bulk files: open-data/public-json.ts has
 * the rest), here below publishing because a publication keeps it (NoticeJson, notice-json.ts).
 */
export interface PublicLinks {
  /** Absolute base of the portal (config.publicBaseUrl). */
  baseUrl: string;
  ocidPrefix: string;
}

export const iso = (d: Date | null | undefined) => (d ? chinaDateTimeIso(d) : null);
export const enc = encodeURIComponent;

export const noticePageUrl = (l: PublicLinks, id: string) => `${l.baseUrl}/notices/${enc(id)}`;
export const ocidOf = (l: PublicLinks, dealCode: string) => `${l.ocidPrefix}${dealCode}`;

export function publicNotice(n: PublicNoticeFields, project: Pick<Project, 'id' | 'dealCode'>, l: PublicLinks) {
  const type = noticeTypeBySlug(n.type);
  return {
    id: n.id,
    projectId: n.projectId,
    sourcePlatform: n.sourcePlatform,
    sourceId: n.sourceId,
    type: n.type,
    typeName: type?.name ?? n.type,
    kind: type?.kind ?? 'publication',
    category: n.category,
    categoryName: categoryBySlug(n.category)?.name ?? n.category,
    region: { code: n.regionCode, name: regionName(n.regionCode) ?? null },
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
