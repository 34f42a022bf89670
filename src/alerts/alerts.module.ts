import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { PublishedModule } from '../published/published.module.js';
import { AlertJobs } from './alert-jobs.js';
import { AlertMailer } from './alert-mailer.js';
import { AlertMatcher } from './alert-matcher.js';
import { AlertsAdminController } from './alerts-admin.controller.js';
import { AlertsController } from './alerts.controller.js';
import { AlertsService } from './alerts.service.js';
export { ALERTS_ENTITIES } from './alert.entities.js';

/** Saved searches and alerts (/alerts): sign-up with double opt-in, private feeds, matching and mail. */
@Module({
  imports: [PublishedModule, JobsModule, AuthModule, AuditModule],
  controllers: [AlertsController, AlertsAdminController],
  providers: [AlertsService, AlertMatcher, AlertMailer, AlertJobs],
  exports: [AlertsService],
})
export class AlertsModule {}
