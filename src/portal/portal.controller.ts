import type { Notice } from '../trading/notice.entity.js';
import { currentRender } from '../http/render-scope.js';
import { filterKeyOf } from '../trading/search-grams.js';
import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CachedResponse, hotPage } from '../cache/cache.interceptor.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { AppError, notFound } from '../http/app-error.js';
import { CATEGORIES, NOTICE_TYPES, REGIONS } from '../domain/catalog.js';
import { addDays, chinaDate, chinaDayEnd, chinaDayStart } from '../domain/china-time.js';
import { AttachmentsService } from '../attachments/attachments.service.js';
import { filterToQuery, parseNoticeFilter } from '../trading/notice-filter.js';
import { ClockWatch, renderView, sendConditional } from '../http/conditional.js';
import { PORTAL_TEXT } from './messages.js';
import { noticePageModel } from './notice-page.js';
import {
  detailsView,
  filterSummary,
  lotsView,
  LATEST_COLUMNS,
  latestRow,
  LIST_ROW_COLUMNS,
  SNIPPET_READ_CHARS,
  snippetNeedsWholeBody,
  noticeRow,
  partiesView,
  projectSummary,
  trailView,
} from './notice-view.js';
import { DISPLAY_COOKIE, safeReturnPath } from './page-locals.js';
import { PublishedReads } from '../published/published-reads.js';
import type { Project } from '../trading/project.entity.js';
import { StaffAuthenticator } from '../auth/staff-auth.js';
import { IntegrityIndex } from '../trading/integrity-index.js';
import { describeValues, INTEGRITY_NOTICE } from '../trading/integrity-rules.js';

const PAGE_SIZE = 20;
/** Bid openings the home page lists today, and in the next seven days, each. */
const HOME_OPENINGS = 10;
const LIST_MAX_AGE = 60;
const PAGE_MAX_AGE = 300;

/** Which notices of a project go in which section of the project page, in order. */
const PROJECT_SECTIONS = [
  { key: 'openings', heading: '开标记录', types: ['bid-opening'] },
  { key: 'auctions', heading: '竞价过程', types: ['auction'] },
  { key: 'candidates', heading: '中标候选人公示', types: ['candidates'] },
  { key: 'awards', heading: '中标（成交）结果', types: ['result', 'deal'] },
  { key: 'contracts', heading: '合同', types: ['contract'] },
  { key: 'performance', heading: '履约信息', types: ['performance'] },
  { key: 'endings', heading: '终止与异常', types: ['termination', 'abnormal'] },
];

const qs = (params: Record<string, string>) => new URLSearchParams(params).toString();
const withQuery = (path: string, params: Record<string, string>) =>
  Object.keys(params).length ? `${path}?${qs(params)}` : path;

/** The public pages: home, notice list and search, notice, project, display mode. Thin: reads and lays out. */
@Controller()
export class PortalController {
  constructor(
    private readonly read: PublishedReads,
    private readonly attachments: AttachmentsService,
    private readonly integrity: IntegrityIndex,
    private readonly authenticator: StaffAuthenticator,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @CachedResponse()
  async home(@Req() req: Request, @Res() res: Response) {
    const watch = new ClockWatch(this.clock.now());
    const today = chinaDate(watch.now);
    const yearStart = `${today.slice(0, 4)}-01-01`;
    const tomorrow = addDays(today, 1);
    // "Today" and "the next seven days" move at midnight.
    watch.sawPassed(chinaDayStart(today));
    watch.changesAt(chinaDayStart(tomorrow));
    const [
      version,
      categories,
      openingsToday,
      openingsUpcoming,
      noticeCount,
      projectCount,
      resultCount,
      openCount,
      lastDeadline,
    ] = await Promise.all([
      this.read.dataVersion(),
      this.read.latestByCategory(5, LATEST_COLUMNS),
      // The first few of each, and whether there are more (a province opens hundreds of tenders a week).
      this.read.openings(chinaDayStart(today), chinaDayEnd(today), HOME_OPENINGS + 1),
      this.read.openings(chinaDayStart(tomorrow), chinaDayEnd(addDays(today, 7)), HOME_OPENINGS + 1),
      this.read.count({ from: yearStart, sort: 'published' }),
      this.read.projectsPublishedSince(yearStart),
      this.read.count({ from: yearStart, types: ['result', 'deal'], sort: 'published' }),
      this.read.count({ open: true, sort: 'published' }),
      this.read.latestPassedDeadline(watch.now),
    ]);
    watch.sawPassed(lastDeadline);
    const openings = (list: Project[]) => ({
      projects: list.slice(0, HOME_OPENINGS).map((p) => projectSummary(p)),
      more: list.length > HOME_OPENINGS,
    });
    const html = await renderView(res, 'home', {
      title: PORTAL_TEXT.titles.home,
      year: today.slice(0, 4),
      counts: {
        notices: noticeCount.count,
        projects: projectCount,
        results: resultCount.count,
        open: openCount.count,
        openMore: openCount.exact ? null : openCount.count.toLocaleString('en-US'),
      },
      openingsToday: openings(openingsToday),
      openingsUpcoming: openings(openingsUpcoming),
      // Open tenders by deadline: the bid deadline is the opening time (招标投标法 第三十四条).
      openingsMoreHref: '/notices?open=1&sort=deadline',
      categories: categories.map((c) => ({
        ...c,
        href: `/notices?category=${c.slug}`,
        notices: c.notices.map(latestRow),
      })),
    });
    sendConditional(req, res, html, 'html', {
      dataTime: version.at ?? new Date(0),
      watch,
      maxAgeSeconds: LIST_MAX_AGE,
    });
  }

  @Get('notices')
  @CachedResponse({ when: hotPage })
  async list(@Req() req: Request, @Res() res: Response, @Query() query: Record<string, unknown>) {
    const filter = parseNoticeFilter(query, ['after']);
    if (query.after !== undefined && typeof query.after !== 'string')
      throw new AppError('filter.cursor', '分页游标只能出现一次');
    const after = (query.after as string | undefined) || undefined;
    // It lists only notices of its category and region: publications elsewhere leave it valid.
    currentRender()?.onlyFilterKey(filterKeyOf(filter));
    const watch = new ClockWatch(this.clock.now());
    const [version, page, lastDeadline] = await Promise.all([
      this.read.dataVersion(),
      // Without a keyword a snippet is the body's start: that alone is read (a tender's body runs to tens of kB).
      this.read.list(filter, {
        limit: PAGE_SIZE,
        after,
        columns: LIST_ROW_COLUMNS,
        bodyChars: filter.q ? undefined : SNIPPET_READ_CHARS,
      }),
      filter.open ? this.read.latestPassedDeadline(watch.now) : Promise.resolve(null),
    ]);
    if (filter.open) watch.sawPassed(lastDeadline);
    const cut = filter.q ? [] : page.items.filter((n) => snippetNeedsWholeBody(n.body));
    const [projects, whole] = await Promise.all([
      this.read.projectsByIds(page.items.map((n) => n.projectId)),
      cut.length ? this.read.noticesByIds(cut.map((n) => n.id)) : new Map<string, Notice>(),
    ]);
    for (const n of cut) n.body = whole.get(n.id)?.body ?? n.body;
    const params = filterToQuery(filter);
    const html = await renderView(res, 'notices', {
      title: filter.q ? PORTAL_TEXT.titles.search(filter.q) : PORTAL_TEXT.titles.notices,
      filter,
      q: filter.q,
      total: page.total,
      // A total counted up to the cap: "超过 10,000 条".
      totalMore: page.totalExact ? null : page.total.toLocaleString('en-US'),
      rows: page.items.map((n) => noticeRow(n, projects.get(n.projectId), filter.q)),
      categories: CATEGORIES.map((c) => ({ slug: c.slug, name: c.name, selected: c.slug === filter.category })),
      types: NOTICE_TYPES.map((t) => ({ slug: t.slug, name: t.name, selected: t.slug === filter.type })),
      regions: REGIONS.map((r) => ({
        code: r.code,
        name: r.name,
        historical: r.historical,
        selected: r.code === filter.region,
      })),
      sortDeadline: filter.sort === 'deadline',
      filterSummary: filterSummary(filter),
      paging: {
        first: after ? withQuery('/notices', params) : null,
        next: page.next ? withQuery('/notices', { ...params, after: page.next }) : null,
      },
      links: {
        rss: withQuery('/feeds/notices.rss', params),
        atom: withQuery('/feeds/notices.atom', params),
        csv: withQuery('/exports/notices.csv', params),
        json: withQuery('/api/v1/notices', params),
        alert: withQuery('/alerts', params),
      },
      filtered: Object.keys(params).length > 0,
    });
    sendConditional(req, res, html, 'html', {
      dataTime: version.at ?? new Date(0),
      watch,
      maxAgeSeconds: LIST_MAX_AGE,
    });
  }

  @Get('notices/:id')
  @CachedResponse()
  async notice(@Req() req: Request, @Res() res: Response, @Param('id') id: string) {
    const notice = await this.read.publishedNotice(id);
    // The page shows its project's notices and nothing else published: publications elsewhere leave it valid.
    currentRender()?.onlyProject(notice.projectId);
    const [{ project, trail }, version] = await Promise.all([
      this.read.publishedProject(notice.projectId),
      this.read.dataVersion(),
    ]);
    const watch = new ClockWatch(this.clock.now());
    const html = await renderView(
      res,
      'notice',
      await noticePageModel(notice, project, trail, watch, this.config, await this.attachments.publicList(notice.id)),
    );
    sendConditional(req, res, html, 'html', {
      dataTime: version.at ?? new Date(0),
      watch,
      maxAgeSeconds: PAGE_MAX_AGE,
    });
  }

  @Get('projects/:id')
  @CachedResponse()
  async project(@Req() req: Request, @Res() res: Response, @Param('id') id: string) {
    const [{ project, trail }, version] = await Promise.all([this.read.publishedProject(id), this.read.dataVersion()]);
    currentRender()?.onlyProject(project.id);
    // The project's integrity flags, for everybody, or only for staff and auditors (INTEGRITY_PUBLIC=false).
    const showFlags = this.config.integrityPublic || (await this.authenticator.resolve(req)) !== null;
    const flags = showFlags ? await this.integrity.projectFlags(project.id) : [];
    const watch = new ClockWatch(this.clock.now());
    const ocid = `${this.config.ocidPrefix}${project.dealCode}`;
    const sections = PROJECT_SECTIONS.map((s) => ({
      heading: s.heading,
      items: trail
        .filter((n) => s.types.includes(n.type))
        .map((n) => ({ notice: noticeRow(n), details: detailsView(n, project, trail, watch) })),
    })).filter((s) => s.items.length);
    const html = await renderView(res, 'project', {
      title: project.name,
      project: projectSummary(project, watch),
      parties: partiesView(project),
      lots: lotsView(project),
      trail: trailView(trail),
      sections,
      links: {
        json: `/api/v1/projects/${encodeURIComponent(project.id)}`,
        ocds: `/api/ocds/records/${encodeURIComponent(ocid)}`,
      },
      ocid,
      flags: flags.map((f) => ({
        ...f,
        values: describeValues(f.values),
        cohortText: f.cohort ? `Q1=${f.cohort.q1}，Q3=${f.cohort.q3}，n=${f.cohort.n}` : '',
      })),
      flagsNotice: INTEGRITY_NOTICE,
    });
    sendConditional(req, res, html, 'html', {
      dataTime: version.at ?? new Date(0),
      watch,
      maxAgeSeconds: PAGE_MAX_AGE,
    });
  }

  /** A plain link switches the large-text high-contrast mode (no script): a cookie, then back where one was. */
  @Get('display/:mode')
  display(@Req() req: Request, @Res() res: Response, @Param('mode') mode: string, @Query('back') back: unknown) {
    if (mode !== 'large-text' && mode !== 'standard') throw notFound('页面');
    res.cookie(DISPLAY_COOKIE, mode === 'large-text' ? 'large' : 'standard', {
      path: '/',
      maxAge: 365 * 24 * 3600 * 1000,
      sameSite: 'lax',
      httpOnly: true,
      secure: req.secure,
    });
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(303, safeReturnPath(back));
  }
}
