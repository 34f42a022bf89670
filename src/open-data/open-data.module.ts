import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module.js';
import { TradingModule } from '../trading/trading.module.js';
import { BulkController } from './bulk/bulk.controller.js';
import { BulkService } from './bulk/bulk.service.js';
import { ChangesController } from './api/changes.controller.js';
import { ChangesService } from './api/changes.service.js';
import { NoticesApiController } from './api/notices-api.controller.js';
import { NoticesApiService } from './api/notices-api.service.js';
import { DocsController } from './docs/docs.controller.js';
import { DocsService } from './docs/docs.service.js';
import { ExportsController } from './exports/exports.controller.js';
import { ExportReader } from './exports/export-reader.js';
import { ExportsService } from './exports/exports.service.js';
import { FeedsController } from './feeds/feeds.controller.js';
import { FeedsService } from './feeds/feeds.service.js';
import { OcdsController } from './ocds/ocds.controller.js';
import { OcdsService } from './ocds/ocds.service.js';
import { OpenDataReadService } from './open-data-read.service.js';
import { RateLimitMiddleware, RateLimits } from './rate-limit.js';
import { BulkFile } from './bulk/bulk-file.entity.js';
import { PublishedModule } from '../published/published.module.js';

/** The tables this module owns (composed into the one DataSource by app.module.ts). */
export const OPEN_DATA_ENTITIES = [BulkFile];

/** Open data (issue 4): the JSON API and change feed, feeds, CSV exports, OCDS, bulk files, API docs. */
@Module({
  imports: [TradingModule, JobsModule, PublishedModule],
  controllers: [
    NoticesApiController,
    ChangesController,
    FeedsController,
    ExportsController,
    OcdsController,
    BulkController,
    DocsController,
  ],
  providers: [
    OpenDataReadService,
    NoticesApiService,
    ChangesService,
    FeedsService,
    ExportsService,
    ExportReader,
    OcdsService,
    BulkService,
    DocsService,
    RateLimits,
  ],
  // Sync pushes the open data's own formats: the change-feed entry and the OCDS release of each publication.
  exports: [OcdsService],
})
export class OpenDataModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    // Every path; the middleware picks the limited ones (/api/v1, /api/ocds, /feeds, /exports, /bulk).
    consumer.apply(RateLimitMiddleware).forRoutes('{*path}');
  }
}
