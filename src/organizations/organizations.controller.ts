import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiParam, ApiQuery } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CachedResponse, hotPage } from '../cache/cache.interceptor.js';
import { Clock } from '../common/clock.js';
import { CATEGORIES } from '../domain/catalog.js';
import { chinaDateTimeIso } from '../domain/china-time.js';
import { AppError, notFound } from '../http/app-error.js';
import { ClockWatch, renderView, sendConditional, sendJson } from '../http/conditional.js';
import { csvDownload } from '../http/csv.js';
import { ApiAfter, ApiLimit, ApiPublicRead } from '../open-data/api/api-docs.js';
import { checkParams, parseLimit } from '../open-data/http.js';
import { PublishedReads } from '../published/published-reads.js';
import { OrganizationDto, OrgFactListDto, OrgSearchDto } from './dto.js';
import {
  BUYER_SHARES_MAX,
  FACT_PAGE_MAX,
  ORG_SECTIONS,
  parseCreditCode,
  SECTION_NAMES,
  type OrgFactRow,
} from './organization-reads.js';
import { OrganizationsService, SECTION_SLUGS, sectionBySlug } from './organizations.service.js';

const PAGE_MAX_AGE = 300;
const PREVIEW_ROWS = 10;
const SECTION_PAGE = 50;
const FACT_LIMIT = { default: 50, max: FACT_PAGE_MAX };
const Q_MAX = 50;

/** A search text: 1–50 characters, one line. */
function parseQuery(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (raw.length > Q_MAX || [...raw].some((c) => c.charCodeAt(0) < 0x20)) {
    throw new AppError('filter.invalid', `查询词应为不超过 ${Q_MAX} 个字符的一行文字`, [
      { field: 'q', message: `不超过 ${Q_MAX} 个字符` },
    ]);
  }
  return raw;
}

/** The page's `section` that lists every share of the buyers' awards (the organisation page shows the first). */
const SHARES = 'shares';
const SHARES_HEADING = '在各招标人、采购人中标中的份额';

const sectionParam = (raw: string | undefined, also: string[] = []) => {
  if (raw === undefined) return undefined;
  const section = sectionBySlug(raw);
  if (!section) {
    const slugs = [...ORG_SECTIONS.map((s) => SECTION_SLUGS[s]), ...also].join('、');
    throw new AppError('filter.invalid', `section 应为 ${slugs} 之一`, [
      { field: 'section', message: '不是可用的记录类别' },
    ]);
  }
  return section;
};

/**
 * Organisations by unified social credit code: who tendered, bid, won and signed, across every project
 * (/organizations, /organizations/{code}, their JSON under /api/v1/organizations and the CSV under /exports).
 * Reads are bounded (organization-reads.ts); pages and JSON are cached by the publication log's head.
 */
@Controller()
export class OrganizationsController {
  constructor(
    private readonly orgs: OrganizationsService,
    private readonly read: PublishedReads,
    private readonly clock: Clock,
  ) {}

  @Get('organizations')
  @CachedResponse({ when: hotPage })
  async searchPage(@Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const q = parseQuery(checkParams(query, ['q']).q);
    const [found, version] = await Promise.all([
      q ? this.orgs.reads.search(q) : Promise.resolve({ matches: [], more: false }),
      this.read.dataVersion(),
    ]);
    const html = await renderView(res, 'organizations/search', {
      title: q ? `查找机构：${q}` : '查找机构',
      q,
      searched: q !== undefined,
      matches: found.matches,
      more: found.more,
    });
    sendConditional(req, res, html, 'html', {
      dataTime: version.at ?? new Date(0),
      watch: new ClockWatch(this.clock.now()),
      maxAgeSeconds: PAGE_MAX_AGE,
    });
  }

  @Get('organizations/:code')
  @CachedResponse({ when: (req) => req.query.after === undefined })
  async page(
    @Param('code') raw: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const code = parseCreditCode(raw);
    const params = checkParams(query, ['section', 'after']);
    // Every share of the buyers' awards, or one section of facts, or the page with the first of each.
    const shares = params.section === SHARES;
    const only = shares ? undefined : sectionParam(params.section, [SHARES]);
    if (params.after !== undefined && !only) {
      throw new AppError('filter.invalid', '翻页需同时给出记录类别 section', [
        { field: 'section', message: '翻页时必填' },
      ]);
    }
    // The sections' first rows are read beside the profile, not after it: an empty section's read is one probe of
    // an index, and the page waits for the longer of the two instead of both. An unknown code is a 404 first.
    const listed = only ? [only] : shares ? [] : ORG_SECTIONS;
    const pages = Promise.all(
      listed.map((section) => this.orgs.reads.facts(code, section, params.after, only ? SECTION_PAGE : PREVIEW_ROWS)),
    );
    pages.catch(() => undefined);
    const [profile, version] = await Promise.all([
      // A section's page shows no totals; the shares' page shows all of them (and no awards by year).
      this.orgs.reads.profile(code, {
        awards: !only && !shares,
        shares: only ? 0 : shares ? BUYER_SHARES_MAX : PREVIEW_ROWS,
      }),
      this.read.dataVersion(),
    ]);
    const read = await pages;
    const sections = listed
      .map((section, i) => ({ section, page: read[i] }))
      .filter(({ section }) => only || profile.counts[section] > 0)
      .map(({ section, page }) => {
        const slug = SECTION_SLUGS[section];
        return {
          slug,
          heading: SECTION_NAMES[section],
          total: profile.counts[section],
          isBids: section === 'bid',
          rows: page.items.map(factView),
          more: !only && page.next ? `/organizations/${code}?section=${slug}` : null,
          next:
            only && page.next ? `/organizations/${code}?section=${slug}&after=${encodeURIComponent(page.next)}` : null,
        };
      });
    const html = await renderView(res, 'organizations/organization', {
      title: profile.names[0].name,
      creditCode: code,
      name: profile.names[0].name,
      otherNames: profile.names.slice(1),
      counts: ORG_SECTIONS.map((s) => ({ slug: SECTION_SLUGS[s], name: SECTION_NAMES[s], n: profile.counts[s] })),
      awardsByYear: profile.awardsByYear.map((a) => ({ ...a, amount: { yuan: a.amountYuan } })),
      buyerShares: profile.buyerShares.map((s) => ({ ...s, percent: (s.share * 100).toFixed(1) })),
      buyerSharesTruncated: profile.buyerSharesTruncated,
      buyerShareRows: profile.buyerShareRows,
      sharesHeading: SHARES_HEADING,
      sharesMore:
        !shares && profile.buyerShareRows > profile.buyerShares.length
          ? `/organizations/${code}?section=${SHARES}`
          : null,
      sections,
      onlySection: only ? SECTION_NAMES[only] : shares ? SHARES_HEADING : null,
      links: { json: `/api/v1/organizations/${code}`, csv: `/exports/organizations/${code}.csv` },
    });
    sendConditional(req, res, html, 'html', {
      dataTime: version.at ?? new Date(0),
      watch: new ClockWatch(this.clock.now()),
      maxAgeSeconds: PAGE_MAX_AGE,
    });
  }

  @Get('api/v1/organizations')
  @ApiPublicRead({ tag: 'api', summary: '按名称或信用代码查找机构', type: OrgSearchDto })
  @ApiQuery({ name: 'q', required: true, description: '名称的一部分，或统一社会信用代码的前缀（至少 2 位）' })
  @CachedResponse({ when: hotPage })
  async searchJson(@Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const q = parseQuery(checkParams(query, ['q']).q);
    if (!q) throw new AppError('filter.invalid', '请给出查询词 q', [{ field: 'q', message: '必填' }]);
    const [found, version] = await Promise.all([this.orgs.reads.search(q), this.read.dataVersion()]);
    const base = this.orgs.baseUrl;
    sendJson(
      req,
      res,
      {
        q,
        more: found.more,
        items: found.matches.map((m) => ({
          creditCode: m.creditCode,
          name: m.name,
          lastSeen: chinaDateTimeIso(m.lastSeen),
          self: `${base}/api/v1/organizations/${m.creditCode}`,
        })),
      },
      version.at,
    );
  }

  @Get('api/v1/organizations/:code')
  @ApiPublicRead({
    tag: 'api',
    summary: '一个机构：曾用名称、各类记录条数、历年中标合计、在各招标人/采购人中的份额',
    type: OrganizationDto,
    notFound: true,
  })
  @ApiParam({ name: 'code', description: '统一社会信用代码（18 位）' })
  @CachedResponse()
  async json(
    @Param('code') raw: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const code = parseCreditCode(raw);
    checkParams(query, []);
    const [profile, version] = await Promise.all([this.orgs.reads.profile(code), this.read.dataVersion()]);
    sendJson(req, res, this.orgs.profileJson(profile), version.at);
  }

  @Get('api/v1/organizations/:code/:section')
  @ApiPublicRead({
    tag: 'api',
    summary: '一个机构的一类记录（projects、bids、candidates、awards、contracts），最新在前，键集分页',
    type: OrgFactListDto,
    notFound: true,
  })
  @ApiParam({ name: 'code', description: '统一社会信用代码（18 位）' })
  @ApiParam({ name: 'section', enum: ORG_SECTIONS.map((s) => SECTION_SLUGS[s]) })
  @ApiLimit(FACT_LIMIT)
  @ApiAfter('分页游标')
  @CachedResponse({ when: (req) => req.query.after === undefined })
  async factsJson(
    @Param('code') raw: string,
    @Param('section') slug: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const code = parseCreditCode(raw);
    const section = sectionBySlug(slug);
    if (!section) throw notFound('记录类别');
    const params = checkParams(query, ['limit', 'after']);
    const limit = parseLimit(params.limit, FACT_LIMIT.default, FACT_LIMIT.max);
    const [summary, version, page] = await Promise.all([
      this.orgs.reads.summary(code),
      this.read.dataVersion(),
      this.orgs.reads.facts(code, section, params.after, limit),
    ]);
    const base = this.orgs.baseUrl;
    sendJson(
      req,
      res,
      {
        creditCode: code,
        section: slug,
        total: summary.counts[section],
        limit,
        next: page.next,
        nextUrl: page.next
          ? `${base}/api/v1/organizations/${code}/${slug}?limit=${limit}&after=${encodeURIComponent(page.next)}`
          : null,
        items: page.items.map((f) => this.orgs.factJson(f)),
      },
      version.at,
    );
  }

  @Get('exports/organizations/:file')
  @ApiPublicRead({
    tag: 'exports',
    summary: '一个机构的全部记录（投标、候选、中标、合同、所任项目角色），CSV（UTF-8 带 BOM，RFC 4180）',
    produces: 'text/csv',
    notFound: true,
    conditional: false,
  })
  @ApiParam({ name: 'file', description: '{统一社会信用代码}.csv' })
  async csv(@Param('file') file: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    if (!file.endsWith('.csv')) throw notFound('导出文件');
    const code = parseCreditCode(file.slice(0, -4));
    checkParams(query, []);
    // Unknown codes answer 404 before any byte is sent.
    await this.orgs.reads.summary(code);
    const aborted = csvDownload(res, { ascii: `organization-${code}.csv`, utf8: `机构记录-${code}.csv` });
    await this.orgs.writeCsv(code, res, aborted);
  }
}

/** A fact as the page shows it. */
function factView(f: OrgFactRow) {
  return {
    ...f,
    categoryName: CATEGORIES.find((c) => c.slug === f.category)?.name ?? f.category,
    noticeUrl: `/notices/${encodeURIComponent(f.noticeId)}`,
    projectUrl: `/projects/${encodeURIComponent(f.projectId)}`,
    won: f.outcome?.won ?? false,
  };
}
