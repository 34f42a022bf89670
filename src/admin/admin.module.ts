import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { AttachmentsModule } from '../attachments/attachments.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { DisclosureModule } from '../disclosure/disclosure.module.js';
import { PublishingModule } from '../publishing/publishing.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import { TradingModule } from '../trading/trading.module.js';
import { AdminAccountController } from './account.controller.js';
import { AdminGate } from './admin-gate.js';
import { AdminReadService } from './admin-read.service.js';
import { AdminApiKeysController } from './api-keys.controller.js';
import { AdminAuditController } from './audit.controller.js';
import { AuditApiController } from './audit-api.controller.js';
import { AdminDashboardController } from './dashboard.controller.js';
import { AdminLoginController } from './login.controller.js';
import { AdminNoticesController } from './notices.controller.js';
import { AdminProjectsController } from './projects.controller.js';
import { AdminRulesController } from './rules.controller.js';
import { AdminIntegrityController } from './integrity.controller.js';
import { AttachmentUpload, CsvUpload } from './upload.js';
import { AdminUsersController } from './users.controller.js';

/** The staff back office under /admin: server-rendered pages over the same services as /api/admin. */
@Module({
  imports: [
    AuditModule,
    TradingModule,
    AuthModule,
    AttachmentsModule,
    PublishingModule,
    DisclosureModule,
    ReportsModule,
  ],
  controllers: [
    AdminLoginController,
    AdminAccountController,
    AdminDashboardController,
    AdminProjectsController,
    AdminNoticesController,
    AdminUsersController,
    AdminApiKeysController,
    AdminRulesController,
    AdminIntegrityController,
    AdminAuditController,
    AuditApiController,
  ],
  providers: [AdminReadService],
})
export class AdminModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    // The gate first: an anonymous upload is turned away before its body is read.
    consumer
      .apply(AdminGate)
      .forRoutes({ path: 'admin', method: RequestMethod.ALL }, { path: 'admin/{*rest}', method: RequestMethod.ALL });
    consumer.apply(AttachmentUpload).forRoutes({ path: 'admin/notices/:id/attachments', method: RequestMethod.POST });
    consumer.apply(CsvUpload).forRoutes({ path: 'admin/projects/:id/import', method: RequestMethod.POST });
  }
}
