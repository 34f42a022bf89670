import type { LoggerService } from '@nestjs/common';
import type { Request } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { AppConfig } from '../config/config.js';
import { clientAddress } from './client-address.js';
import { redactUrl } from './log-redaction.js';
import { assignRequestId } from './request-id.js';

/** The process's one logger: JSON lines on stdout at LOG_LEVEL (`silent` writes nothing). */
export function createLogger(level: AppConfig['logLevel']): Logger {
  return pino({
    level,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}

const target = (req: IncomingMessage) => redactUrl((req as Request).originalUrl ?? req.url ?? '');

/**
 * One JSON line per request, written when the response ends: request id, method, redacted URL, client address,
 * status and time. Headers and bodies are never logged, so neither are cookies, Authorization, X-Signature,
 * passwords or tokens.
 */
export function accessLog(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: assignRequestId,
    customAttributeKeys: { reqId: 'requestId' },
    quietReqLogger: true,
    wrapSerializers: false,
    serializers: {
      req: (req: IncomingMessage) => ({
        method: req.method,
        url: target(req),
        remoteAddress: clientAddress(req as Request),
        userAgent: String(req.headers['user-agent'] ?? '').slice(0, 200) || undefined,
      }),
      res: (res: ServerResponse) => ({
        statusCode: res.statusCode,
        contentLength: Number(res.getHeader('content-length')) || undefined,
      }),
      err: (err: Error) => ({ type: err.name, message: err.message }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: (req, res) => `${req.method} ${target(req)} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${target(req)} ${res.statusCode}`,
  });
}

/** Nest's start-up chatter (every module and route) is debug, not info. */
const FRAMEWORK_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory']);

/** Nest's own logger (and every `new Logger(context)` in the code) written through pino as JSON. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]) {
    const context = contextOf(rest);
    this.write(context && FRAMEWORK_CONTEXTS.has(context) ? 'debug' : 'info', message, context);
  }
  error(message: unknown, ...rest: unknown[]) {
    const context = contextOf(rest);
    const stack = rest.find((r) => typeof r === 'string' && r.includes('\n    at '));
    this.write('error', message, context, stack as string | undefined);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.write('warn', message, contextOf(rest));
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.write('debug', message, contextOf(rest));
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.write('trace', message, contextOf(rest));
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.write('fatal', message, contextOf(rest));
  }

  private write(
    level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace',
    message: unknown,
    context?: string,
    stack?: string,
  ) {
    if (message instanceof Error)
      this.logger[level](
        { context, err: { type: message.name, message: message.message, stack: message.stack } },
        message.message,
      );
    else if (message && typeof message === 'object') this.logger[level]({ context, stack, ...message });
    else this.logger[level]({ context, stack }, String(message));
  }
}

/** Nest appends the logger's context as the last argument. */
const contextOf = (rest: unknown[]) =>
  rest.length && typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
