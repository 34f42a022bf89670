import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CachedResponse } from '../../cache/cache.interceptor.js';
import { notModified, sendText } from '../../http/conditional.js';
import { currentRender } from '../../http/render-scope.js';
import { filterKeyOf } from '../../trading/search-grams.js';
import { ApiNoticeFilters, ApiPublicRead } from '../api/api-docs.js';
import { FeedsService } from './feeds.service.js';

@Controller('feeds')
export class FeedsController {
  constructor(private readonly feeds: FeedsService) {}

  @Get('notices.rss')
  @ApiPublicRead({ tag: 'feeds', summary: 'RSS 2.0 订阅', produces: 'application/rss+xml' })
  @ApiNoticeFilters()
  @CachedResponse()
  rss(@Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    return this.send(query, req, res, 'rss', 'application/rss+xml; charset=utf-8');
  }

  @Get('notices.atom')
  @ApiPublicRead({ tag: 'feeds', summary: 'Atom 1.0 订阅', produces: 'application/atom+xml' })
  @ApiNoticeFilters()
  @CachedResponse()
  atom(@Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    return this.send(query, req, res, 'atom', 'application/atom+xml; charset=utf-8');
  }

  private async send(
    query: Record<string, unknown>,
    req: Request,
    res: Response,
    format: 'rss' | 'atom',
    type: string,
  ) {
    const filter = this.feeds.parse(query);
    // It lists only notices of its category and region: publications elsewhere leave it valid.
    currentRender()?.onlyFilterKey(filterKeyOf(filter));
    // The items are read once and labelled by themselves: a 304 costs no rendering.
    const { items, etag, lastModified } = await this.feeds.items(filter, format);
    if (notModified(req, res, etag, lastModified)) return;
    sendText(req, res, this.feeds.render(items, filter, format), type, etag, lastModified);
  }
}
