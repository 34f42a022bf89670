import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { OpenDataModule } from '../open-data/open-data.module.js';
import { OutboxModule } from '../outbox/outbox.module.js';
import { PublishingModule } from '../publishing/publishing.module.js';
import { TradingModule } from '../trading/trading.module.js';
import { TransparencyModule } from '../transparency/transparency.module.js';
import { SyncHttpClient } from './http-client.js';
import { RecordImporter } from './importer.js';
import { IngestController } from './ingest.controller.js';
import { IngestService } from './ingest.service.js';
import { PullService } from './pull.service.js';
import { RelayService } from './relay.service.js';
import { SyncAdminController } from './sync-admin.controller.js';
import { SyncJobs } from './sync-jobs.js';
import { SyncPageController } from './sync-page.controller.js';
import { SyncStatusService } from './sync-status.service.js';
import { SyncNonce, SyncPeerState, SyncReceipt, SyncSkip } from './sync.entities.js';
import { PublishedModule } from '../published/published.module.js';

/** The tables this module owns (composed into the one DataSource by app.module.ts). */
export const SYNC_ENTITIES = [SyncNonce, SyncReceipt, SyncPeerState, SyncSkip];

/** Platform sync (issue 5): push to upstream platforms (outbox relay), ingest from county centers, pull from peers. */
@Module({
  imports: [
    AuditModule,
    TradingModule,
    JobsModule,
    TransparencyModule,
    OutboxModule,
    PublishingModule,
    OpenDataModule,
    PublishedModule,
  ],
  controllers: [IngestController, SyncAdminController, SyncPageController],
  providers: [SyncHttpClient, RecordImporter, IngestService, RelayService, PullService, SyncStatusService, SyncJobs],
})
export class SyncModule {}
