import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module.js';
import { OutboxWriter } from '../sync/outbox.writer.js';
import { PublicationLogWriter } from '../transparency/publication-log.writer.js';
import { PublishingAdminController } from './admin.controller.js';
import { ProjectsService } from './projects.service.js';
import { PublishingService } from './publishing.service.js';
import { RulesAdminController } from './rules.controller.js';
import { ScheduledPublisher } from './scheduled-publisher.js';

@Module({
  imports: [JobsModule],
  controllers: [PublishingAdminController, RulesAdminController],
  providers: [ProjectsService, PublishingService, ScheduledPublisher, PublicationLogWriter, OutboxWriter],
  exports: [ProjectsService, PublishingService],
})
export class PublishingModule {}
