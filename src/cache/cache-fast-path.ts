import type { NextFunction, Request, Response } from 'express';
import type { Clock } from '../common/clock.js';
import { cacheKey, isStaff } from './cache.interceptor.js';
import type { ResponseCache } from './response-cache.js';

/**
 * What a request must pass before a stored response is sent: the open-data rate limits (app.ts passes them in).
 * Returns false to let the request go on through the framework, which then answers it (a 429).
 */
export type Admission = (req: Request, res: Response) => boolean;

/**
 * Answers a request from the response cache as an Express middleware, right after the access log, the request
 * id, the security headers and the large-text cookie: a hot page or its 304 then skips Nest's routing, guards,
 * interceptors and pipes, which cost several times the answer itself (bench/results.md, hot pages). Only keys the
 * interceptor stored are found, so only routes marked @CachedResponse() (and requests their rule accepts) are
 * ever answered here; anything else, a miss, staff and a refused admission go on to the framework unchanged,
 * where ResponseCacheInterceptor renders and stores.
 */
export function cacheFastPath(cache: ResponseCache, clock: Clock, admit: Admission) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!cache.enabled || (req.method !== 'GET' && req.method !== 'HEAD') || isStaff(req)) return next();
    const entry = cache.lookup(cacheKey(req, res), clock.now());
    if (!entry || !admit(req, res)) return next();
    cache.serve(req, res, entry);
  };
}
