import type { Request } from 'express';

/**
 * The client's address, the one place every user of it asks (login lockout, rate limits, audit log, access log).
 * Express computes it under TRUST_PROXY (app.ts sets `trust proxy`): the socket peer, or, behind trusted proxies,
 * the right-most X-Forwarded-For entry they did not add themselves. Never read X-Forwarded-For anywhere else.
 */
export function clientAddress(req: Request): string | null {
  return req.ip ?? req.socket?.remoteAddress ?? null;
}
