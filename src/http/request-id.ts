import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

/**
 * Every request's id: the one a proxy sent in X-Request-Id when it looks like an id, otherwise a new UUID. It is
 * sent back as X-Request-Id and carried by the access log line, error responses and audit log entries.
 */
const SANE_INCOMING_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export function assignRequestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && SANE_INCOMING_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/** The id assigned by the access log middleware (pino-http keeps it as req.id). */
export function requestIdOf(req: Request | IncomingMessage): string | null {
  const id = (req as { id?: unknown }).id;
  return typeof id === 'string' ? id : null;
}

const context = new AsyncLocalStorage<{ requestId: string | null }>();

/**
 * Makes the request id visible to code the request runs (the audit log) without passing it through every call.
 * test/audit-request-id.e2e-spec.ts shows it reaching the audit log through JSON, form and multipart bodies.
 */
export function requestContext(req: Request, _res: Response, next: NextFunction) {
  context.run({ requestId: requestIdOf(req) }, next);
}

/** The id of the request being served, or null (scheduled jobs, scripts). */
export function currentRequestId(): string | null {
  return context.getStore()?.requestId ?? null;
}
