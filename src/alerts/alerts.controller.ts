import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Inject } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { clientAddress } from '../http/client-address.js';
import { doneMessage } from '../http/done-message.js';
import { renderView } from '../http/conditional.js';
import { AppError } from '../http/app-error.js';
import { atom1, buildFeed, rss2 } from '../open-data/feeds/feed-document.js';
import { filterInWords, filterOfSaved, filterTitle, parseSavedFilter, savedQuery } from './alert-filter.js';
import type { Alert } from './alert.entities.js';
import { AlertsService, type AlertLinks } from './alerts.service.js';

const FORM_FIELDS = ['email', 'frequency'];
const DONE: Record<string, string> = {
  frequency: '发送频率已修改。',
  pause: '订阅已暂停：暂停期间发布的公告不会发送。',
  resume: '订阅已恢复。',
};

/**
 * /alerts: sign up for a search, confirm, manage, unsubscribe, and the private feed. Every answer is private:
 * never cached, no Referer sent from it (a token in the address must not leak to the next site), not indexed.
 */
// Pages and private feeds behind tokens: not part of the public API description (/api/docs).
@ApiExcludeController()
@Controller()
export class AlertsController {
  constructor(
    private readonly alerts: AlertsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('alerts')
  async form(@Query() query: Record<string, unknown>, @Res() res: Response) {
    privateAnswer(res);
    const filter = parseSavedFilter(query);
    await this.page(res, 'alerts/signup', {
      title: '订阅此搜索',
      words: filterInWords(filter),
      hidden: Object.entries(savedQuery(filter)).map(([name, value]) => ({ name, value })),
      listHref: `/notices?${new URLSearchParams(savedQuery(filter))}`,
      mailOn: this.alerts.mailOn,
      maxPerAddress: this.config.alerts.maxPerAddress,
      digestHour: this.config.alerts.digestHour,
    });
  }

  @Post('alerts')
  @HttpCode(200)
  async signUp(@Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    privateAnswer(res);
    const filterFields = Object.fromEntries(Object.entries(body ?? {}).filter(([k]) => !FORM_FIELDS.includes(k)));
    const filter = parseSavedFilter(filterFields);
    const result = await this.alerts.signUp({
      filter,
      email: body?.email,
      frequency: body?.frequency,
      ip: clientAddress(req),
    });
    if (result.pending) {
      res.status(202);
      return this.page(res, 'alerts/pending', { title: '请查收确认邮件', hours: this.config.alerts.confirmHours });
    }
    res.status(201);
    return this.managePage(res, result.alert, result.manageToken, { links: result });
  }

  @Get('alerts/confirm/:token')
  async confirmPage(@Param('token') token: string, @Res() res: Response) {
    privateAnswer(res);
    const alert = await this.alerts.pendingAlert(token);
    await this.page(res, 'alerts/confirm', {
      title: '确认订阅',
      words: filterInWords(filterOfSaved(alert.filter)),
      token,
    });
  }

  /** A POST, not the GET: mail scanners open links, and must not confirm a subscription nobody asked for. */
  @Post('alerts/confirm/:token')
  @HttpCode(200)
  async confirm(@Param('token') token: string, @Res() res: Response) {
    privateAnswer(res);
    const links = await this.alerts.confirm(token);
    await this.managePage(res, links.alert, links.manageToken, { links, confirmed: true });
  }

  @Get('alerts/:token')
  async manage(@Param('token') token: string, @Query('done') done: unknown, @Res() res: Response) {
    privateAnswer(res);
    const alert = await this.alerts.managed(token);
    await this.managePage(res, alert, token, { flash: doneMessage(DONE, done) });
  }

  @Post('alerts/:token')
  @HttpCode(200)
  async change(@Param('token') token: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    privateAnswer(res);
    const action = body?.action;
    if (action === 'frequency') await this.alerts.setFrequency(token, body.frequency);
    else if (action === 'pause' || action === 'resume') await this.alerts.setPaused(token, action === 'pause');
    else if (action === 'delete') {
      await this.alerts.remove(token);
      return this.page(res, 'alerts/done', {
        title: '订阅已删除',
        message: '订阅已删除，您的电子邮件地址已一并删除。',
      });
    } else if (action === 'feed') {
      const { alert, feedToken } = await this.alerts.renewFeedToken(token);
      return this.managePage(res, alert, token, { feedToken, flash: '已生成新的私有订阅地址，旧地址已失效。' });
    } else
      throw new AppError('validation.failed', '未知的操作', [
        { field: 'action', message: '操作应为 frequency、pause、resume、delete 或 feed' },
      ]);
    res.redirect(303, `/alerts/${token}?done=${action}`);
  }

  @Get('alerts/:token/unsubscribe')
  async unsubscribePage(@Param('token') token: string, @Res() res: Response) {
    privateAnswer(res);
    const alert = await this.alerts.managed(token);
    await this.page(res, 'alerts/unsubscribe', {
      title: '退订',
      words: filterInWords(filterOfSaved(alert.filter)),
      token,
    });
  }

  /** Both the page's button and a mail client's one-click unsubscribe (RFC 8058: body List-Unsubscribe=One-Click). */
  @Post('alerts/:token/unsubscribe')
  @HttpCode(200)
  async unsubscribe(@Param('token') token: string, @Res() res: Response) {
    privateAnswer(res);
    await this.alerts.remove(token);
    await this.page(res, 'alerts/done', {
      title: '已退订',
      message: '已退订：订阅和您的电子邮件地址已删除，不会再收到邮件。',
    });
  }

  @Get('alerts/:token/feed.rss')
  rss(@Param('token') token: string, @Res() res: Response) {
    return this.feed(token, 'rss', res);
  }

  @Get('alerts/:token/feed.atom')
  atom(@Param('token') token: string, @Res() res: Response) {
    return this.feed(token, 'atom', res);
  }

  /** The alert's deliveries as the portal's own feed document (open-data/feeds), under the feed token's address. */
  private async feed(token: string, format: 'rss' | 'atom', res: Response) {
    privateAnswer(res);
    const { filter, notices } = await this.alerts.feed(token);
    const base = this.config.publicBaseUrl;
    const feed = buildFeed(
      notices,
      filter,
      new URLSearchParams(savedQuery(filter)).toString(),
      { baseUrl: base, ocidPrefix: this.config.ocidPrefix },
      this.config.site.name,
    );
    feed.title = `${this.config.site.name} · 我的订阅 · ${filterTitle(filter)}`;
    feed.description = `订阅条件：${filterInWords(filter).join('；')}`;
    feed.rssUrl = `${base}/alerts/${token}/feed.rss`;
    feed.atomUrl = `${base}/alerts/${token}/feed.atom`;
    res.type(format === 'rss' ? 'application/rss+xml; charset=utf-8' : 'application/atom+xml; charset=utf-8');
    res.send(format === 'rss' ? rss2(feed) : atom1(feed));
  }

  private managePage(
    res: Response,
    alert: Alert,
    manageToken: string,
    extra: { links?: AlertLinks; confirmed?: boolean; feedToken?: string; flash?: string },
  ) {
    const base = this.config.publicBaseUrl;
    const filter = filterOfSaved(alert.filter);
    const feedToken = extra.feedToken ?? extra.links?.feedToken;
    return this.page(res, 'alerts/manage', {
      title: '管理订阅',
      words: filterInWords(filter),
      listHref: `/notices?${new URLSearchParams(savedQuery(filter))}`,
      action: `/alerts/${manageToken}`,
      unsubscribe: `/alerts/${manageToken}/unsubscribe`,
      manageUrl: extra.links ? `${base}/alerts/${manageToken}` : null,
      feed: feedToken
        ? { rss: `${base}/alerts/${feedToken}/feed.rss`, atom: `${base}/alerts/${feedToken}/feed.atom` }
        : null,
      confirmed: extra.confirmed,
      flash: extra.flash,
      hasEmail: alert.email !== null,
      mailOn: this.alerts.mailOn,
      daily: alert.frequency === 'daily',
      paused: alert.status === 'paused',
      digestHour: this.config.alerts.digestHour,
    });
  }

  private async page(res: Response, view: string, model: Record<string, unknown>) {
    // The display switch returns to /alerts, never to an address holding a token (it would reach the access log).
    res.locals.displayToggle = {
      ...(res.locals.displayToggle as object),
      href: String((res.locals.displayToggle as { href: string }).href).replace(/\?back=.*$/, '?back=%2Falerts'),
    };
    res.send(await renderView(res, view, model));
  }
}

function privateAnswer(res: Response) {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Robots-Tag', 'noindex, nofollow');
}
