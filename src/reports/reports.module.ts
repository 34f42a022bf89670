import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { StatisticsModule } from '../statistics/statistics.module.js';
import { TransparencyModule } from '../transparency/transparency.module.js';
import { ReportsAdminController } from './reports-admin.controller.js';
import { ReportsController } from './reports.controller.js';
import { ReportsService } from './reports.service.js';
export { REPORTS_ENTITIES } from './annual-report.entity.js';

/** The yearly report on government information disclosure (issue 16, second half): /reports/annual, /admin/reports. */
@Module({
  imports: [StatisticsModule, AuthModule, AuditModule, TransparencyModule],
  controllers: [ReportsController, ReportsAdminController],
  providers: [ReportsService],
  exports: [ReportsService],
})
export class ReportsModule {}
