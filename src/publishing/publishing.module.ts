import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module.js';
import { OutboxModule } from '../outbox/outbox.module.js';
import { TransparencyModule } from '../transparency/transparency.module.js';
import { PublishingAdminController } from './admin.controller.js';
import { ProjectsService } from './projects.service.js';
import { PublishingService } from './publishing.service.js';
import { RulesAdminController } from './rules.controller.js';
import { ScheduledPublisher } from './scheduled-publisher.js';

@Module({
  imports: [JobsModule, OutboxModule, TransparencyModule],
  controllers: [PublishingAdminController, RulesAdminController],
  providers: [ProjectsService, PublishingService, ScheduledPublisher],
  exports: [ProjectsService, PublishingService],
})
export class PublishingModule {}
