import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { notFound } from '../http/app-error.js';
import { drainedOrClosed } from '../http/backpressure.js';
import { isNotModified } from '../http/conditional-request.js';
import { chinaDateTimeIso } from '../domain/china-time.js';
import { noticeHref, projectHref } from './notice-view.js';
import { PublishedReads, type KeyRange } from '../published/published-reads.js';

const xmlEscape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';
const URLSET_OPEN = `${XML_HEAD}<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n`;
type Kind = 'projects' | 'notices';

/**
 * /sitemap.xml: every project with a published notice and every published notice, streamed a key-ordered batch
 * at a time so its size never matters to memory. The protocol allows 50,000 URLs per file (SITEMAP_MAX_URLS):
 * past that, /sitemap.xml is a sitemap index of /sitemaps/projects-N.xml and /sitemaps/notices-N.xml, file N
 * holding the N-th share of keys in key order. Every file's version is the publication log's head, so a 304
 * costs one query.
 */
@Controller()
export class SitemapController {
  constructor(
    private readonly read: PublishedReads,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('sitemap.xml')
  async sitemap(@Req() req: Request, @Res() res: Response) {
    if (await this.notModified(req, res)) return;
    const max = this.config.sitemapMaxUrls;
    const sizes = await this.read.sitemapSizes();
    if (sizes.projects + sizes.notices <= max) {
      await this.urlset(res, [
        ['projects', {}],
        ['notices', {}],
      ]);
      return;
    }
    const files = (kind: Kind, count: number) =>
      Array.from(
        { length: Math.ceil(count / max) },
        (_, i) =>
          `<sitemap><loc>${xmlEscape(`${this.config.publicBaseUrl}/sitemaps/${kind}-${i + 1}.xml`)}</loc></sitemap>\n`,
      ).join('');
    res.type('application/xml; charset=utf-8');
    res.end(
      `${XML_HEAD}<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${files('projects', sizes.projects)}${files('notices', sizes.notices)}</sitemapindex>\n`,
    );
  }

  @Get('sitemaps/:file')
  async part(@Param('file') file: string, @Req() req: Request, @Res() res: Response) {
    const match = /^(projects|notices)-([1-9]\d{0,6})\.xml$/.exec(file);
    if (!match) throw notFound('站点地图文件');
    const kind = match[1] as Kind;
    const max = this.config.sitemapMaxUrls;
    const offset = (Number(match[2]) - 1) * max;
    if (await this.notModified(req, res)) return;
    const sizes = await this.read.sitemapSizes();
    if (offset >= sizes[kind]) throw notFound('站点地图文件');
    await this.urlset(res, [[kind, { offset, limit: max }]]);
  }

  private async notModified(req: Request, res: Response): Promise<boolean> {
    const version = await this.read.dataVersion();
    res.setHeader('Cache-Control', 'public, max-age=3600');
    const etag = `W/"log-${version.seq}"`;
    res.setHeader('ETag', etag);
    const at = version.at ?? new Date(0);
    res.setHeader('Last-Modified', at.toUTCString());
    if (!isNotModified(req.method, req.headers, { etag, lastModified: at })) return false;
    res.status(304).end();
    return true;
  }

  private async urlset(res: Response, shares: [Kind, KeyRange][]) {
    res.type('application/xml; charset=utf-8');
    const write = async (chunk: string) => {
      if (!res.write(chunk)) await drainedOrClosed(res);
    };
    const url = (path: string, at: Date) =>
      `<url><loc>${xmlEscape(this.config.publicBaseUrl + path)}</loc><lastmod>${chinaDateTimeIso(at).replace(/\.\d{3}/, '')}</lastmod></url>\n`;
    await write(URLSET_OPEN);
    for (const [kind, range] of shares) {
      const keys = kind === 'projects' ? this.read.projectKeys(range) : this.read.noticeKeys(range);
      const href = kind === 'projects' ? projectHref : noticeHref;
      for await (const batch of keys) await write(batch.map((k) => url(href(k.id), k.at)).join(''));
    }
    res.end('</urlset>\n');
  }
}
