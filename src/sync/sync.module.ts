import { Global, Module } from '@nestjs/common';
import { PublishingModule } from '../publishing/publishing.module.js';
import { TransparencyModule } from '../transparency/transparency.module.js';
import { SyncHttpClient } from './http-client.js';
import { RecordImporter } from './importer.js';
import { IngestController } from './ingest.controller.js';
import { IngestService } from './ingest.service.js';
import { JobLeases } from './job-leases.js';
import { JobRunner } from './job-runner.js';
import { PullService } from './pull.service.js';
import { RelayService } from './relay.service.js';
import { SyncAdminController } from './sync-admin.controller.js';
import { SyncJobs } from './sync-jobs.js';
import { SyncPageController } from './sync-page.controller.js';
import { SyncStatusService } from './sync-status.service.js';
import { PublishedModule } from '../published/published.module.js';

/**
 * Platform sync (issue 5): push to upstream platforms (outbox relay), ingest from county centers, pull from peers,
 * and the job leases that keep each scheduled job on one instance. Global so any module can register a job with
 * the JobRunner.
 */
@Global()
@Module({
  imports: [PublishingModule, TransparencyModule, PublishedModule],
  controllers: [IngestController, SyncAdminController, SyncPageController],
  providers: [SyncHttpClient, JobLeases, JobRunner, RecordImporter, IngestService, RelayService, PullService, SyncStatusService, SyncJobs],
  exports: [JobLeases, JobRunner],
})
export class SyncModule {}
