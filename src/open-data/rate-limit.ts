import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { AppError } from '../http/app-error.js';
import { clientAddress } from '../http/client-address.js';

export type RateGroup = 'api' | 'feeds' | 'exports';

/** Which limit a path falls under; undefined: not limited here. */
export function rateGroupOf(path: string): RateGroup | undefined {
  if (/^\/api\/(v1|ocds)(\/|$)/.test(path)) return 'api';
  if (/^\/feeds(\/|$)/.test(path) || /^\/alerts\/[^/]+\/feed\.(rss|atom)$/.test(path)) return 'feeds';
  if (/^\/(exports|bulk)(\/|$)/.test(path)) return 'exports';
  return undefined;
}

/**
 * A fixed-window counter per client IP and group. In memory: each instance counts its own requests, so behind
 * N instances a client may get up to N times the published limit (stated in /api/docs and .env.example).
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly windowMs: number) {}

  /** Counts a request; returns the remaining allowance, or the seconds to wait once over the limit. */
  hit(key: string, limit: number, now: number): { allowed: boolean; remaining: number; resetSeconds: number } {
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      if (this.windows.size > 50_000) this.prune(now);
      w = { count: 0, resetAt: now + this.windowMs };
      this.windows.set(key, w);
    }
    w.count++;
    return {
      allowed: w.count <= limit,
      remaining: Math.max(0, limit - w.count),
      resetSeconds: Math.max(1, Math.ceil((w.resetAt - now) / 1000)),
    };
  }

  private prune(now: number) {
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
  }
}

/**
 * The per-client limits of the open-data paths, shared by the middleware below and by the response cache's fast
 * path (app.ts), which answers hot responses before Nest's middleware runs: both count in the same windows.
 */
@Injectable()
export class RateLimits {
  private readonly limiter: FixedWindowLimiter;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.limiter = new FixedWindowLimiter(config.rateLimit.windowSeconds * 1000);
  }

  /**
   * Counts a read of a limited path and sets the RateLimit headers; returns the 429 to answer once over the
   * limit, else null (also for paths and methods that are not limited here). A request is counted once even when
   * both the fast path and the middleware see it.
   */
  admit(req: Request, res: Response): AppError | null {
    // originalUrl: a middleware mounted on a route pattern sees req.path relative to it.
    const group = rateGroupOf((req.originalUrl ?? req.url).split('?')[0]);
    // Only reads are limited here: pushes to /api/v1/ingest are signed and throttled by their senders.
    if (!group || (req.method !== 'GET' && req.method !== 'HEAD')) return null;
    const counted = COUNTED.get(req);
    if (counted !== undefined) return counted;
    const limit = this.config.rateLimit[group];
    const r = this.limiter.hit(`${group}|${clientAddress(req) ?? ''}`, limit, this.clock.now().getTime());
    res.setHeader('RateLimit-Limit', String(limit));
    res.setHeader('RateLimit-Remaining', String(r.remaining));
    res.setHeader('RateLimit-Reset', String(r.resetSeconds));
    const refusal = r.allowed
      ? null
      : new AppError(
          'rate-limited',
          `请求过于频繁：每个地址每 ${this.config.rateLimit.windowSeconds} 秒最多 ${limit} 次，请 ${r.resetSeconds} 秒后再试`,
          [],
          { retryAfter: r.resetSeconds },
        );
    COUNTED.set(req, refusal);
    return refusal;
  }
}

/** Requests already counted, with their answer. */
const COUNTED = new WeakMap<Request, AppError | null>();

/** 429 with Retry-After (set by the error filter from the details) and a JSON message past the limit. */
@Injectable()
export class RateLimitMiddleware implements NestMiddleware {
  constructor(private readonly limits: RateLimits) {}

  use(req: Request, res: Response, next: NextFunction) {
    const refusal = this.limits.admit(req, res);
    next(refusal ?? undefined);
  }
}
