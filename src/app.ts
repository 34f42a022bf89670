import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import hbs from 'hbs';
import { join } from 'node:path';
import { AppModule, AppOptions } from './app.module.js';
import type { AppConfig } from './config/config.js';
import { projectRoot } from './config/project-root.js';
import { ErrorFilter } from './http/error.filter.js';
import { registerViewHelpers } from './http/view-helpers.js';
import { validationPipe } from './http/validation.js';

/** Builds the whole application; main.ts and the end-to-end tests boot the same thing. */
export async function createApp(config: AppConfig, options: AppOptions = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), {
    logger: config.logLevel === 'silent' ? false : ['error', 'warn', 'log'],
    bodyParser: false,
  });
  configureApp(app, config);
  await app.init();
  return app;
}

export function configureApp(app: NestExpressApplication, config: AppConfig) {
  const root = projectRoot();
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: '2mb' });
  app.useBodyParser('urlencoded', { extended: false, limit: '2mb' });
  app.useGlobalFilters(new ErrorFilter());
  app.useGlobalPipes(validationPipe);
  app.useStaticAssets(join(root, 'public'), { prefix: '/static/', maxAge: '1d' });
  app.setBaseViewsDir(join(root, 'views'));
  app.setViewEngine('hbs');
  hbs.registerPartials(join(root, 'views', 'partials'));
  registerViewHelpers(hbs.handlebars);
  app.set('view options', { layout: 'layouts/main' });
  app.enableShutdownHooks();
}
