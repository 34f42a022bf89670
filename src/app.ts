import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import hbs from 'hbs';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Logger } from 'pino';
import { AppModule, AppOptions } from './app.module.js';
import type { AppConfig } from './config/config.js';
import { projectRoot } from './config/project-root.js';
import { accessLog, createLogger, NestPinoLogger } from './http/access-log.js';
import { revalidateStatic } from './http/conditional-request.js';
import { ErrorFilter } from './http/error.filter.js';
import { requestContext } from './http/request-id.js';
import { registerViewHelpers } from './portal/view-helpers.js';
import { validationPipe } from './http/validation.js';
import { DocsService } from './open-data/docs/docs.service.js';
import { pageLocals } from './portal/page-locals.js';
import { cacheFastPath } from './cache/cache-fast-path.js';
import { ResponseCache } from './cache/response-cache.js';
import { Clock } from './common/clock.js';
import { RateLimits } from './open-data/rate-limit.js';

/** Builds the whole application; main.ts and the end-to-end tests boot the same thing. */
export async function createApp(config: AppConfig, options: AppOptions = {}): Promise<NestExpressApplication> {
  const logger = createLogger(config.logLevel);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), {
    logger: new NestPinoLogger(logger),
    bodyParser: false,
    // Keeps the received bytes beside the parsed JSON (req.rawBody): /api/v1/ingest verifies its signature over them.
    rawBody: true,
  });
  configureApp(app, config, logger);
  // The API description is generated from the application's own controllers (on first request).
  app.get(DocsService).describe(app);
  await app.init();
  return app;
}

export function configureApp(app: NestExpressApplication, config: AppConfig, logger: Logger) {
  const root = projectRoot();
  // First: every request gets its id and its access log line, static files and refused bodies included.
  app.use(accessLog(logger));
  app.use(requestContext);
  // Only the safe forms (config.ts): the client address is then read by http/client-address.ts alone.
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  app.use(helmet({ contentSecurityPolicy: { directives: contentSecurityPolicy(config) } }));
  app.use(pageLocals(config));
  // Hot public responses straight from memory (cache/cache-fast-path.ts), within the open-data rate limits.
  const limits = app.get(RateLimits);
  app.use(cacheFastPath(app.get(ResponseCache), app.get(Clock), (req, res) => limits.admit(req, res) === null));
  app.useBodyParser('json', { limit: '2mb' });
  app.useBodyParser('urlencoded', { extended: false, limit: '2mb' });
  app.useGlobalFilters(new ErrorFilter());
  app.useGlobalPipes(validationPipe);
  app.use('/static/', revalidateStatic);
  app.useStaticAssets(join(root, 'public'), { prefix: '/static/', maxAge: '1d' });
  app.setBaseViewsDir(join(root, 'views'));
  app.setViewEngine('hbs');
  registerPartials(hbs.handlebars, join(root, 'views', 'partials'));
  registerViewHelpers(hbs.handlebars);
  app.set('view options', { layout: 'layouts/main' });
  app.enableShutdownHooks();
}

/** No inline script or style anywhere: pages carry none, so no nonce is needed. The QR code is inline SVG. */
function contentSecurityPolicy(config: AppConfig) {
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'self'"],
    // Only behind HTTPS: on plain http it would send the browser to an https address that does not answer.
    upgradeInsecureRequests: config.publicBaseUrl.startsWith('https:') ? [] : null,
  };
}

/**
 * Registers every views/partials/**.hbs synchronously before the first request (hbs's own registerPartials
 * reads them asynchronously). Names follow hbs: path without extension, '-' becomes '_'.
 */
function registerPartials(handlebars: { registerPartial(name: string, source: string): void }, dir: string) {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.hbs')) continue;
    const file = join(entry.parentPath, entry.name);
    const name = relative(dir, file).slice(0, -'.hbs'.length).replace(/\\/g, '/').replace(/-/g, '_');
    handlebars.registerPartial(name, readFileSync(file, 'utf8'));
  }
}
