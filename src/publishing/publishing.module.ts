import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { OutboxModule } from '../outbox/outbox.module.js';
import { PublishedModule } from '../published/published.module.js';
import { TradingModule } from '../trading/trading.module.js';
import { TransparencyModule } from '../transparency/transparency.module.js';
import { PublishingAdminController } from './admin.controller.js';
import { ProjectsService } from './projects.service.js';
import { PublishingService } from './publishing.service.js';
import { RulesAdminController } from './rules.controller.js';
import { ScheduledPublisher } from './scheduled-publisher.js';

/** The staff workflow: drafts, review, publication (notice, log entry, search keys, export lines and outbox rows in one transaction), scheduling. */
@Module({
  imports: [AuditModule, TradingModule, JobsModule, TransparencyModule, OutboxModule, PublishedModule],
  controllers: [PublishingAdminController, RulesAdminController],
  providers: [ProjectsService, PublishingService, ScheduledPublisher],
  exports: [ProjectsService, PublishingService],
})
export class PublishingModule {}
