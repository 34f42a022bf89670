import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { from, lastValueFrom, of, type Observable } from 'rxjs';
import { readCookie, SESSION_COOKIE } from '../auth/staff-auth.js';
import { Clock } from '../common/clock.js';
import { Database } from '../database/database.js';
import { PublicVersionSource } from './public-version.js';
import { inRenderScope, RenderScope } from '../http/render-scope.js';
import { ResponseCache } from './response-cache.js';

const CACHED_RESPONSE = Symbol('cached-response');

export interface CacheRule {
  /** Which requests of the route are cached (default: all); the others are rendered each time. */
  /** `askedBefore(key)`: whether this instance saw `key` before (and notes it): ResponseCache.askedBefore. */
  when?: (req: Request, askedBefore: (key: string) => boolean) => boolean;
}

/**
 * Opts a public GET route into the response cache. Only routes marked so are ever cached: a page behind a
 * private token (alerts, disclosure requests) simply never carries it. The route must send through
 * sendConditional or sendJson/sendText, which hand the response to the cache.
 */
export const CachedResponse = (rule: CacheRule = {}) => SetMetadata(CACHED_RESPONSE, rule);

/**
 * A list's first page, or a page by cursor or with a keyword once it was asked for before: the hot ones. Pages by
 * cursor and searches are too many to keep each (a crawler asks for every cursor once, a visitor for a one-off
 * search); the second page of a list or a popular word is asked for again and again.
 */
export const hotPage = (req: Request, askedBefore: (key: string) => boolean) =>
  (req.query.after === undefined && req.query.q === undefined) || askedBefore(req.originalUrl);

/** Staff (a session cookie or an API key) always get a fresh render, so they see their own publication at once. */
export const isStaff = (req: Request) =>
  req.headers.authorization !== undefined || readCookie(req, SESSION_COOKIE) !== null;

/** The large-text mode (a cookie, read by pageLocals) changes pages: it is part of the key, as Vary: Cookie says. */
export const cacheKey = (req: Request, res: Response) =>
  `${res.locals.largeText ? 'large' : 'standard'} ${req.originalUrl}`;

/**
 * Serves cacheable routes from memory while the public version and the clock allow, without reaching the
 * handler; otherwise runs the handler inside one read snapshot that reads the version first, and keeps what it
 * sent under that version. Errors are never kept (only a response offered by a send point is).
 */
@Injectable()
export class ResponseCacheInterceptor implements NestInterceptor {
  /** Renders in progress by key: a request arriving meanwhile waits for it instead of rendering the same page again. */
  private readonly rendering = new Map<string, Promise<void>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly cache: ResponseCache,
    private readonly versions: PublicVersionSource,
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const rule = this.reflector.get<CacheRule | undefined>(CACHED_RESPONSE, ctx.getHandler());
    if (!rule) return next.handle();
    const req = ctx.switchToHttp().getRequest<Request>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const anonymousRead = (req.method === 'GET' || req.method === 'HEAD') && !isStaff(req);
    if (!this.cache.enabled || !anonymousRead || (rule.when && !rule.when(req, (key) => this.cache.askedBefore(key)))) {
      if (this.cache.enabled) this.cache.countPass();
      // A visitor's page may come from a replica; staff read the primary, so they see their own publication at once.
      return anonymousRead
        ? from(this.db.readFromReplica(() => lastValueFrom(next.handle(), { defaultValue: undefined })))
        : next.handle();
    }
    const key = cacheKey(req, res);
    if (this.serveStored(key, req, res)) return of(undefined);
    const inProgress = this.rendering.get(key);
    if (!inProgress) return from(this.render(key, res, next));
    return from(inProgress.then(() => (this.serveStored(key, req, res) ? undefined : this.render(key, res, next))));
  }

  private serveStored(key: string, req: Request, res: Response): boolean {
    const entry = this.cache.lookup(key, this.clock.now());
    if (entry) this.cache.serve(req, res, entry);
    return entry !== undefined;
  }

  private render(key: string, res: Response, next: CallHandler): Promise<unknown> {
    this.cache.countMiss(key);
    const rendering = this.renderAndStore(key, res, next);
    const done = rendering.then(
      () => undefined,
      () => undefined,
    );
    this.rendering.set(key, done);
    void done.then(() => {
      if (this.rendering.get(key) === done) this.rendering.delete(key);
    });
    return rendering;
  }

  private renderAndStore(key: string, res: Response, next: CallHandler): Promise<unknown> {
    return this.db.readSnapshot(
      async (em) => {
        // First read of the snapshot: the version labels exactly the content read after it, on the same database
        // (a replica's, when there are replicas: content read behind the newest known version is served, not kept).
        const version = await this.versions.read(em);
        const renderedAt = this.clock.now();
        const scope = new RenderScope();
        scope.dataVersion = { seq: version.head, at: version.headAt ?? null };
        res.setHeader('X-Cache', 'miss');
        const result = await inRenderScope(scope, () => lastValueFrom(next.handle(), { defaultValue: undefined }));
        if (scope.offered && (res.statusCode === 200 || res.statusCode === 304)) {
          this.cache.store(
            key,
            version,
            { from: renderedAt, until: await scope.validUntil() },
            scope.offered,
            this.clock.now(),
            scope.key,
          );
        }
        return result;
      },
      { replica: true },
    );
  }
}
