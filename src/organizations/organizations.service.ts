import { Inject, Injectable } from '@nestjs/common';
import type { Writable } from 'node:stream';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { chinaDateTimeIso, formatChinaDateTime } from '../domain/china-time.js';
import { noticeTypeBySlug } from '../domain/catalog.js';
import { csvCell, csvLine, streamCsv } from '../http/csv.js';
import type { OrgSection } from '../trading/organization-facts.js';
import {
  ORG_SECTIONS,
  OrganizationReads,
  SECTION_NAMES,
  type OrgFactRow,
  type OrgProfile,
} from './organization-reads.js';

/** The URL segment of each section (/api/v1/organizations/{code}/bids, …). */
export const SECTION_SLUGS: Record<OrgSection, string> = {
  party: 'projects',
  bid: 'bids',
  candidate: 'candidates',
  award: 'awards',
  contract: 'contracts',
};
export const sectionBySlug = (slug: string): OrgSection | undefined =>
  ORG_SECTIONS.find((s) => SECTION_SLUGS[s] === slug);

const enc = encodeURIComponent;
const CSV_BATCH = 500;

/** The organisation JSON and CSV, built from OrganizationReads. */
@Injectable()
export class OrganizationsService {
  constructor(
    readonly reads: OrganizationReads,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Absolute base of the portal's links (config.publicBaseUrl). */
  get baseUrl(): string {
    return this.config.publicBaseUrl;
  }

  profileJson(p: OrgProfile) {
    const self = `${this.baseUrl}/api/v1/organizations/${p.creditCode}`;
    return {
      creditCode: p.creditCode,
      name: p.names[0].name,
      names: p.names.map((n) => ({
        name: n.name,
        firstSeen: chinaDateTimeIso(n.firstSeen),
        lastSeen: chinaDateTimeIso(n.lastSeen),
        appearances: n.appearances,
      })),
      counts: Object.fromEntries(ORG_SECTIONS.map((s) => [SECTION_SLUGS[s], p.counts[s]])),
      awardsByYear: p.awardsByYear,
      buyerShares: p.buyerShares,
      buyerSharesTruncated: p.buyerSharesTruncated,
      links: {
        html: `${this.baseUrl}/organizations/${p.creditCode}`,
        self,
        csv: `${this.baseUrl}/exports/organizations/${p.creditCode}.csv`,
        ...Object.fromEntries(ORG_SECTIONS.map((s) => [SECTION_SLUGS[s], `${self}/${SECTION_SLUGS[s]}`])),
      },
    };
  }

  factJson(f: OrgFactRow) {
    return {
      section: SECTION_SLUGS[f.section],
      role: f.role,
      roleName: f.roleName,
      name: f.name,
      noticeId: f.noticeId,
      noticeType: f.noticeType,
      projectId: f.projectId,
      projectName: f.projectName,
      lotCode: f.lotCode,
      price: f.price,
      place: f.place,
      award: f.award,
      category: f.category,
      regionCode: f.regionCode,
      publishedAt: chinaDateTimeIso(f.publishedAt),
      withdrawn: f.withdrawn,
      ...(f.outcome ? { outcome: f.outcome } : {}),
      notice: `${this.baseUrl}/notices/${enc(f.noticeId)}`,
    };
  }

  /** Every fact of the organisation as CSV, section by section, newest first, in keyset batches. */
  async writeCsv(creditCode: string, out: Writable, aborted: () => boolean): Promise<void> {
    await streamCsv(out, CSV_COLUMNS, aborted, async (send) => {
      for (const section of ORG_SECTIONS) {
        let after: string | undefined;
        do {
          if (aborted()) return;
          const page = await this.reads.facts(creditCode, section, after, CSV_BATCH);
          if (page.items.length) await send(page.items.map((f) => csvLine(factCells(f, this.baseUrl))).join(''));
          after = page.next ?? undefined;
        } while (after);
      }
    });
  }
}

type Column = { header: string; kind: 'text' | 'number' | 'time'; value: (f: OrgFactRow, base: string) => string };

/** The columns of /exports/organizations/{code}.csv (also listed in the data dictionary's words). */
export const CSV_COLUMNS: Column[] = [
  { header: '记录类别', kind: 'text', value: (f) => SECTION_NAMES[f.section] },
  { header: '角色', kind: 'text', value: (f) => f.roleName },
  { header: '发布时间', kind: 'time', value: (f) => formatChinaDateTime(f.publishedAt) },
  { header: '公告编号', kind: 'text', value: (f) => f.noticeId },
  { header: '公告类型', kind: 'text', value: (f) => noticeTypeBySlug(f.noticeType)?.name ?? f.noticeType },
  { header: '项目编号', kind: 'text', value: (f) => f.projectId },
  { header: '项目名称', kind: 'text', value: (f) => f.projectName ?? '' },
  { header: '标段（包）', kind: 'text', value: (f) => f.lotCode ?? '' },
  { header: '发布的名称', kind: 'text', value: (f) => f.name },
  { header: '报价形式', kind: 'text', value: (f) => f.price?.form ?? '' },
  { header: '报价', kind: 'number', value: (f) => f.price?.value ?? '' },
  { header: '报价单位', kind: 'text', value: (f) => f.price?.unit ?? '' },
  { header: '金额（元）', kind: 'number', value: (f) => f.price?.yuan ?? '' },
  { header: '排名或报价位次', kind: 'number', value: (f) => (f.place === null ? '' : String(f.place)) },
  {
    header: '是否中标',
    kind: 'text',
    value: (f) => (f.outcome ? (f.outcome.won ? '是' : '否') : f.award ? '是' : ''),
  },
  { header: '已撤回', kind: 'text', value: (f) => (f.withdrawn ? '是' : '否') },
  { header: '公告地址', kind: 'text', value: (f, base) => `${base}/notices/${enc(f.noticeId)}` },
];

const factCells = (f: OrgFactRow, base: string) => CSV_COLUMNS.map((c) => csvCell(c.kind, c.value(f, base)));
