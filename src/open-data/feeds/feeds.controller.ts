import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CachedResponse } from '../../cache/cache.interceptor.js';
import { notModified, sendText } from '../../http/conditional.js';
import { currentRender } from '../../http/render-scope.js';
import { filterKeyOf } from '../../trading/search-grams.js';
import { ApiNoticeFilters, ApiPublicRead } from '../api/api-docs.js';
import { FeedsService } from './feeds.service.js';

const isConditional = (req: Request) =>
  req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined;

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
    // A conditional request is answered from the validators, which cost no rendering; any other reads the items
    // once and labels them by themselves.
    if (isConditional(req)) {
      const { etag, lastModified } = await this.feeds.validators(filter, format);
      if (notModified(req, res, etag, lastModified)) return;
    }
    const { items, etag, lastModified } = await this.feeds.items(filter, format);
    if (notModified(req, res, etag, lastModified)) return;
    sendText(req, res, this.feeds.render(items, filter, format), type, etag, lastModified);
  }
}
