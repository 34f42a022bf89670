import { chinaDateTimeIso } from '../domain/china-time.js';
import { formatYuan } from '../domain/money.js';
import type { Notice } from '../trading/notice.entity.js';
import type { Project } from '../trading/project.entity.js';

/** JSON shapes of the staff API: times with +08:00, amounts as decimal strings with their unit. */
const iso = (d: Date | null | undefined) => (d ? chinaDateTimeIso(d) : null);

export function noticeView(n: Notice) {
  return {
    id: n.id,
    projectId: n.projectId,
    type: n.type,
    category: n.category,
    regionCode: n.regionCode,
    title: n.title,
    body: n.body,
    details: n.details,
    targetNoticeId: n.targetNoticeId,
    status: n.status,
    authorId: n.authorId,
    reviewerId: n.reviewerId,
    reviewComment: n.reviewComment,
    submittedAt: iso(n.submittedAt),
    reviewedAt: iso(n.reviewedAt),
    scheduledAt: iso(n.scheduledAt),
    publishedAt: iso(n.publishedAt),
    contentHash: n.contentHash,
    logSeq: n.logSeq,
    withdrawnAt: iso(n.withdrawnAt),
    withdrawnBy: n.withdrawnBy,
    createdAt: iso(n.createdAt),
    updatedAt: iso(n.updatedAt),
  };
}

export function projectView(p: Project) {
  return {
    id: p.id,
    dealCode: p.dealCode,
    tenderCode: p.tenderCode,
    investmentCode: p.investmentCode,
    category: p.category,
    regionCode: p.regionCode,
    name: p.name,
    summary: p.summary,
    price:
      p.priceFen === null
        ? null
        : { kind: p.priceKind, amount: formatYuan(p.priceFen), unit: '元', enteredUnit: p.priceUnit, currency: 'CNY' },
    procurementMethod: p.procurementMethod,
    transferMode: p.transferMode,
    fundingSource: p.fundingSource,
    fullyOnline: p.fullyOnline,
    sourcePlatform: p.sourcePlatform,
    bidDeadline: iso(p.bidDeadline),
    openingTime: iso(p.openingTime),
    firstPublishedAt: iso(p.firstPublishedAt),
    terminatedAt: iso(p.terminatedAt),
    parties: (p.parties ?? []).map((x) => ({
      role: x.role,
      name: x.name,
      creditCode: x.creditCode,
      address: x.address,
      contactName: x.contactName,
      contactPhone: x.contactPhone,
    })),
    lots: (p.lots ?? []).map((l) => ({
      code: l.code,
      name: l.name,
      budget: l.priceFen === null ? null : { amount: formatYuan(l.priceFen), unit: '元', enteredUnit: l.priceUnit },
    })),
  };
}
