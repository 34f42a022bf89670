import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { TradingModule } from '../trading/trading.module.js';
import { DisclosureAdminController } from './disclosure-admin.controller.js';
import { DisclosureApiController } from './disclosure-api.controller.js';
import { DisclosureCrypto } from './disclosure-crypto.js';
import { DisclosureJobs } from './disclosure-jobs.js';
import { IdentityUpload, ReplyUpload } from './disclosure-upload.js';
import { DisclosureController } from './disclosure.controller.js';
import { DisclosureService } from './disclosure.service.js';
export { DISCLOSURE_ENTITIES } from './disclosure.entities.js';

/** Disclosure on application (依申请公开): the public form and status page, the staff pages and API, the job. */
@Module({
  imports: [TradingModule, AuthModule, AuditModule, JobsModule],
  controllers: [DisclosureController, DisclosureApiController, DisclosureAdminController],
  providers: [DisclosureService, DisclosureCrypto, DisclosureJobs],
  exports: [DisclosureService],
})
export class DisclosureModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer
      .apply(IdentityUpload)
      .forRoutes(
        { path: 'disclosure/requests/new', method: RequestMethod.POST },
        { path: 'admin/disclosure/new', method: RequestMethod.POST },
      );
    // On the handler's own path (only the answer's form is multipart; the others pass through).
    consumer
      .apply(ReplyUpload)
      .forRoutes({ path: 'admin/disclosure/requests/:trackingNo/:action', method: RequestMethod.POST });
  }
}
