import {
  categoryBySlug,
  evaluationMethodName,
  NOTICE_TYPES,
  noticeTypeBySlug,
  partyRoleLabel,
  PROCUREMENT_METHODS,
  regionName,
  TRANSFER_MODES,
} from '../domain/catalog.js';
import { formatAmountIn, formatYuan } from '../domain/money.js';
import { searchTerms } from '../trading/notice-search.js';
import type { NoticeFilter } from '../trading/notice-filter.js';
import type { Notice } from '../trading/notice.entity.js';
import type { Project } from '../trading/project.entity.js';
import type { ClockWatch } from '../http/conditional.js';
import { PORTAL_TEXT } from './messages.js';

/**
 * Page data for notices and projects: names for slugs and codes, the states that depend on the clock (read
 * through a ClockWatch), and the shape each type's template lays out. Formatting is left to the view helpers.
 */
type Details = Record<string, unknown>;

export const noticeHref = (id: string) => `/notices/${encodeURIComponent(id)}`;
export const projectHref = (id: string) => `/projects/${encodeURIComponent(id)}`;
const typeName = (slug: string) => noticeTypeBySlug(slug)?.name ?? slug;

/** What the list filters (other than the keyword, which stays in view) have chosen, in words: "政府采购 · 大连市". */
export function filterSummary(filter: NoticeFilter): string {
  const text = PORTAL_TEXT.filters;
  const chosen = [
    filter.category && (categoryBySlug(filter.category)?.name ?? filter.category),
    filter.type && typeName(filter.type),
    filter.region && (regionName(filter.region) ?? filter.region),
    filter.from && text.from(filter.from),
    filter.to && text.to(filter.to),
    filter.open && text.open,
    filter.sort === 'deadline' && text.byDeadline,
  ].filter((s): s is string => typeof s === 'string' && s !== '');
  return chosen.length ? chosen.join(' · ') : text.none;
}

/** What a list row prints of a notice: lists read these columns alone (no details, no review fields). */
export const LIST_ROW_COLUMNS = [
  'projectId',
  'title',
  'type',
  'category',
  'regionCode',
  'publishedAt',
  'withdrawnAt',
  'body',
] as const;
export type ListRowNotice = Pick<Notice, 'id' | (typeof LIST_ROW_COLUMNS)[number]>;

/** What the home page's latest notices print: a line each, no snippet (so no body is read). */
export const LATEST_COLUMNS = ['title', 'type', 'publishedAt', 'withdrawnAt'] as const;

/** One line of the home page's latest notices of a category (what every list row starts with). */
export function latestRow(n: Pick<Notice, 'id' | (typeof LATEST_COLUMNS)[number]>) {
  return {
    href: noticeHref(n.id),
    title: n.title,
    typeName: typeName(n.type),
    publishedAt: n.publishedAt,
    withdrawn: !!n.withdrawnAt,
  };
}

/** Characters of its body a list row without a keyword reads: its snippet is the body's start (SNIPPET_CHARS). */
export const SNIPPET_READ_CHARS = 400;
const SNIPPET_CHARS = 90;

/**
 * Whether a body read as its first SNIPPET_READ_CHARS characters may give a different snippet from the whole body:
 * only when those characters are mostly whitespace (collapsed, they fill no snippet) and the body may go on. Then
 * the whole body is read (NoticeListView): a snippet is the same bytes however the body was read.
 */
export function snippetNeedsWholeBody(start: string): boolean {
  return start.length >= SNIPPET_READ_CHARS && collapsed(start).length <= SNIPPET_CHARS;
}

/** A body as a snippet reads it: every run of whitespace one space, none at either end. */
const collapsed = (body: string) => body.replace(/\s+/g, ' ').trim();

/** One row of a notice list. */
export function noticeRow(n: ListRowNotice, project?: Project, q?: string) {
  return {
    id: n.id,
    ...latestRow(n),
    categoryName: categoryBySlug(n.category)?.name ?? n.category,
    regionName: regionName(n.regionCode) ?? n.regionCode,
    kind: noticeTypeBySlug(n.type)?.kind,
    deadline: isAnnouncement(n.type) ? (project?.bidDeadline ?? null) : null,
    snippet: snippet(n.body, q),
  };
}

/** The types that open a bidding (or listing) period: tender, prequalification, procurement, transfer. */
export const ANNOUNCEMENT_TYPES: string[] = NOTICE_TYPES.filter(
  (t) => t.stage === 'announcement' && t.kind === 'publication',
).map((t) => t.slug);
const isAnnouncement = (type: string) => ANNOUNCEMENT_TYPES.includes(type);

/** About 90 characters of the body: around the first match of the search terms, else its start. */
export function snippet(body: string, q?: string, length = SNIPPET_CHARS): string {
  const text = collapsed(body);
  const lower = text.toLowerCase();
  const hits = (q ? searchTerms(q) : []).map((t) => lower.indexOf(t)).filter((i) => i >= 0);
  const start = hits.length ? Math.max(0, Math.min(...hits) - 30) : 0;
  const piece = text.slice(start, start + length);
  return `${start > 0 ? '…' : ''}${piece}${start + length < text.length ? '…' : ''}`;
}

/** The project's trail: every published notice in log order, corrections and withdrawals marked. */
export function trailView(trail: Notice[], currentId?: string) {
  const byId = new Map(trail.map((n) => [n.id, n]));
  return trail.map((n) => ({
    ...noticeRow(n),
    current: n.id === currentId,
    isCorrection: n.type === 'correction',
    isWithdrawal: n.type === 'withdrawal',
    target: n.targetNoticeId
      ? { href: noticeHref(n.targetNoticeId), title: byId.get(n.targetNoticeId)?.title ?? n.targetNoticeId }
      : null,
  }));
}

/** A project's facts; with a watch (the project page) also whether its deadline has passed, which reads the clock. */
export function projectSummary(p: Project, watch?: ClockWatch) {
  return {
    id: p.id,
    href: projectHref(p.id),
    name: p.name,
    dealCode: p.dealCode,
    tenderCode: p.tenderCode,
    investmentCode: p.investmentCode,
    categoryName: categoryBySlug(p.category)?.name ?? p.category,
    regionName: regionName(p.regionCode) ?? p.regionCode,
    regionCode: p.regionCode,
    price:
      p.priceFen === null
        ? null
        : { label: PORTAL_TEXT.priceKind[p.priceKind] ?? '', amount: storedAmount(p.priceFen, p.priceUnit) },
    methodName: PROCUREMENT_METHODS.find((m) => m.slug === p.procurementMethod)?.name ?? null,
    modeName: TRANSFER_MODES.find((m) => m.slug === p.transferMode)?.name ?? null,
    fundingSource: p.fundingSource,
    bidDeadline: p.bidDeadline,
    openingTime: p.openingTime,
    terminatedAt: p.terminatedAt,
    deadlinePassed: watch?.passed(p.bidDeadline) ?? false,
  };
}

/** A fen amount shaped like the amounts in notice details, so one helper formats both. */
const storedAmount = (fen: bigint, unit: string) => ({
  value: formatAmountIn(fen, unit === '万元' ? '万元' : '元'),
  unit,
  yuan: formatYuan(fen),
});

export function partiesView(p: Project) {
  // Organisations' published contacts only: the schema holds no bidder's personal number, and bidders are not parties.
  return p.parties.map((x) => ({
    roleName: partyRoleLabel(x.role) ?? x.role,
    name: x.name,
    creditCode: x.creditCode,
    address: x.address,
    contactName: x.contactName,
    contactPhone: x.contactPhone,
  }));
}

export function lotsView(p: Project) {
  return p.lots.map((l) => ({
    code: l.code,
    name: l.name,
    budget: l.priceFen === null ? null : storedAmount(l.priceFen, l.priceUnit),
  }));
}

/**
 * What a notice's type template needs besides its stored details: the partial to use, names for slugs and the
 * clock-dependent states (bidding open, publicity and objection period open).
 */
export function detailsView(n: Notice, project: Project, trail: Notice[], watch: ClockWatch) {
  const d = n.details as Details;
  const extra: Record<string, unknown> = {};
  if (isAnnouncement(n.type)) {
    const texts = PORTAL_TEXT.bidding[n.type as 'tender'];
    const closed = watch.passed(project.bidDeadline);
    extra.state = n.withdrawnAt
      ? PORTAL_TEXT.bidding.withdrawn
      : project.terminatedAt
        ? PORTAL_TEXT.bidding.terminated
        : closed
          ? texts.closed
          : texts.open;
    extra.open = !n.withdrawnAt && !project.terminatedAt && !closed;
    const own = d.bidDeadline ?? d.applicationDeadline ?? d.listingEnd;
    // A correction moved the deadline: show the effective one beside the original.
    if (project.bidDeadline && typeof own === 'string' && new Date(own).getTime() !== project.bidDeadline.getTime())
      extra.effectiveDeadline = project.bidDeadline;
  }
  if (n.type === 'procurement')
    extra.methodName = PROCUREMENT_METHODS.find((m) => m.slug === d.method)?.name ?? d.method;
  if (n.type === 'tender' || n.type === 'procurement')
    extra.evaluationMethodName = evaluationMethodName(d.evaluationMethod, categoryBySlug(n.category)?.family) ?? null;
  if (n.type === 'candidates' || n.type === 'result') extra.rejected = rejectedView(d, project);
  if (n.type === 'transfer') extra.modeName = TRANSFER_MODES.find((m) => m.slug === d.mode)?.name ?? d.mode;
  if (n.type === 'performance') extra.statusName = PORTAL_TEXT.performance[d.status as string] ?? d.status;
  if (n.type === 'candidates' || (n.type === 'deal' && d.publicityStart && d.publicityEnd)) {
    const state = !watch.passed(d.publicityStart as string)
      ? 'upcoming'
      : watch.passed(d.publicityEnd as string)
        ? 'closed'
        : 'open';
    extra.publicity = { state, open: state === 'open', text: PORTAL_TEXT.publicity[state] };
  }
  if (n.type === 'bid-opening') extra.bids = ((d.bids ?? []) as Details[]).map((b, i) => ({ ...b, no: i + 1 }));
  if (n.type === 'correction') {
    const changes = (d.changes ?? {}) as Details;
    extra.changes = Object.entries(changes).map(([key, value]) => ({
      label: PORTAL_TEXT.changes[key] ?? key,
      isAmount: typeof value === 'object' && value !== null,
      value,
    }));
  }
  if (n.targetNoticeId) {
    const target = trail.find((t) => t.id === n.targetNoticeId);
    extra.target = {
      href: noticeHref(n.targetNoticeId),
      title: target?.title ?? n.targetNoticeId,
      typeName: target ? typeName(target.type) : '',
    };
  }
  if (n.type === 'bid-opening' || n.type === 'candidates' || n.type === 'auction' || n.type === 'result') {
    extra.lotName = project.lots?.find((l) => l.code === d.lotCode)?.name ?? null;
  }
  return { partial: `details/${n.type.replace(/-/g, '_')}`, d, x: extra, typeName: typeName(n.type), type: n.type };
}

/**
 * 否决投标情况 of a candidate publicity or result: null where the notice does not record it (nothing is shown), else
 * the rejected bids (none: the committee rejected no bid), with the lot column only where one is named.
 */
function rejectedView(d: Details, project: Project) {
  if (!Array.isArray(d.rejectedBids)) return null;
  const rows = (d.rejectedBids as { bidder: string; creditCode: string; reason: string; lotCode?: string }[]).map(
    (r) => ({
      ...r,
      lotName: project.lots?.find((l) => l.code === r.lotCode)?.name ?? null,
    }),
  );
  return { rows, none: rows.length === 0, lots: rows.some((r) => r.lotCode) };
}

/** The withdrawal that withdrew a notice, for its reason and link. */
export function withdrawalView(n: Notice, trail: Notice[]) {
  if (!n.withdrawnAt) return null;
  const w = trail.find((t) => t.id === n.withdrawnBy);
  return {
    at: n.withdrawnAt,
    href: w ? noticeHref(w.id) : null,
    title: w?.title ?? null,
    reason: (w?.details as Details | undefined)?.reason ?? null,
  };
}

export const paragraphs = (body: string) =>
  body
    .split(/\n\s*\n|\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean);
