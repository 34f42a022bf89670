import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from '../domain/errors.js';
import { AppError, FieldError } from './app-error.js';
import { statusForCode } from './error-status.js';
import { redactUrl } from './log-redaction.js';
import { httpMessage } from './messages.js';
import { requestIdOf } from './request-id.js';

/** Paths whose clients are programs: their errors are JSON. Everything else gets a Chinese error page. */
export function wantsJson(req: Request): boolean {
  return (
    /^\/(api|feeds|exports|bulk|health)(\/|$|\.)/.test(req.path) ||
    (req.get('accept') ?? '').startsWith('application/json')
  );
}

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  errors?: FieldError[];
  details?: unknown;
  /** The X-Request-Id of the request, as in the access log: what an operator searches for when a user reports it. */
  requestId?: string;
}

/** The one exception filter: every error becomes a 4xx/5xx with a clear message, never a stack trace. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost) {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const requestId = requestIdOf(req) ?? undefined;
    const body = { ...this.toBody(exception), requestId };
    if (body.statusCode >= 500)
      this.logger.error(
        `${req.method} ${redactUrl(req.originalUrl)} (request ${requestId}): ${(exception as Error)?.stack ?? exception}`,
      );
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(body.statusCode);
    if (body.statusCode === 429 && (exception as AppError).details) {
      res.setHeader(
        'Retry-After',
        String((exception as AppError & { details: { retryAfter: number } }).details.retryAfter),
      );
    }
    res.setHeader('Cache-Control', 'no-store');
    if (wantsJson(req)) {
      res.json(body);
    } else {
      res.render(
        'error',
        {
          title: httpMessage(body.statusCode).title,
          status: body.statusCode,
          message: body.message,
          errors: body.errors,
          requestId,
        },
        (err, html) => {
          if (err)
            res
              .type('text/plain; charset=utf-8')
              .send(`${body.statusCode} ${body.message}${requestId ? `（请求编号 ${requestId}）` : ''}`);
          else res.type('text/html; charset=utf-8').send(html);
        },
      );
    }
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof AppError || exception instanceof DomainError) {
      const statusCode = statusForCode(exception.code);
      const errors = exception instanceof AppError && exception.fields.length ? exception.fields : undefined;
      return { statusCode, error: exception.code, message: exception.message, errors, details: exception.details };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const response = exception.getResponse();
      // Nest's own errors (404 route, 413 body too large, bad JSON) carry English text: give ours instead.
      const message =
        statusCode === 400 && /JSON/i.test(String((response as { message?: string }).message))
          ? '请求体不是有效的 JSON'
          : httpMessage(statusCode).text;
      return { statusCode, error: `http.${statusCode}`, message };
    }
    const status =
      (exception as { status?: number; statusCode?: number })?.status ??
      (exception as { statusCode?: number })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // body-parser errors (entity.too.large, encoding) arrive as plain errors with a status
      return { statusCode: status, error: `http.${status}`, message: httpMessage(status).text };
    }
    return { statusCode: 500, error: 'internal', message: httpMessage(500).text };
  }
}
