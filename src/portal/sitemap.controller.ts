import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { once } from 'node:events';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { chinaDateTimeIso } from '../trading/domain/china-time.js';
import { noticeHref, projectHref } from './notice-view.js';
import { PortalReadService } from './portal-read.service.js';

const xmlEscape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

/**
 * /sitemap.xml: every published notice and project, streamed a key-ordered batch at a time so its size never
 * matters to memory. Its version is the publication log's head, so a 304 costs one query.
 */
@Controller()
export class SitemapController {
  constructor(private readonly read: PortalReadService, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('sitemap.xml')
  async sitemap(@Req() req: Request, @Res() res: Response) {
    const version = await this.read.dataVersion();
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.setHeader('ETag', `W/"log-${version.seq}"`);
    res.setHeader('Last-Modified', version.at.toUTCString());
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    res.type('application/xml; charset=utf-8');
    const write = async (chunk: string) => {
      if (!res.write(chunk)) await once(res, 'drain');
    };
    const url = (path: string, at: Date) => `<url><loc>${xmlEscape(this.config.publicBaseUrl + path)}</loc><lastmod>${chinaDateTimeIso(at).replace(/\.\d{3}/, '')}</lastmod></url>\n`;
    await write('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n');
    for await (const batch of this.read.projectKeys()) await write(batch.map((p) => url(projectHref(p.id), p.at)).join(''));
    for await (const batch of this.read.noticeKeys()) await write(batch.map((n) => url(noticeHref(n.id), n.at)).join(''));
    res.end('</urlset>\n');
  }
}
