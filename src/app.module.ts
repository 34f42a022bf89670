import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import type { AppConfig } from './config/config.js';
import { AdminModule } from './admin/admin.module.js';
import { AlertsModule, ALERTS_ENTITIES } from './alerts/alerts.module.js';
import { AttachmentsModule, ATTACHMENTS_ENTITIES } from './attachments/attachments.module.js';
import { AuditModule, AUDIT_ENTITIES } from './audit/audit.module.js';
import { AuthModule, AUTH_ENTITIES } from './auth/auth.module.js';
import { CacheModule } from './cache/cache.module.js';
import { CommonModule } from './common/common.module.js';
import type { Clock } from './common/clock.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { DemoModule } from './demo/demo.module.js';
import { DisclosureModule, DISCLOSURE_ENTITIES } from './disclosure/disclosure.module.js';
import { ReportsModule, REPORTS_ENTITIES } from './reports/reports.module.js';
import { HealthController } from './health/health.controller.js';
import { JobsModule, JOBS_ENTITIES } from './jobs/jobs.module.js';
import { OpenDataModule, OPEN_DATA_ENTITIES } from './open-data/open-data.module.js';
import { OutboxModule, OUTBOX_ENTITIES } from './outbox/outbox.module.js';
import { PortalModule } from './portal/portal.module.js';
import { PublishingModule } from './publishing/publishing.module.js';
import { StatisticsModule } from './statistics/statistics.module.js';
import { OrganizationsModule } from './organizations/organizations.module.js';
import { IntegrityModule } from './integrity/integrity.module.js';
import { SyncModule, SYNC_ENTITIES } from './sync/sync.module.js';
import { TradingModule, TRADING_ENTITIES } from './trading/trading.module.js';
import { TransparencyModule, TRANSPARENCY_ENTITIES } from './transparency/transparency.module.js';

/** Every table, each list declared by the module that owns it (docs/ARCHITECTURE.md). */
export const ENTITIES = [
  ...AUDIT_ENTITIES,
  ...JOBS_ENTITIES,
  ...TRADING_ENTITIES,
  ...AUTH_ENTITIES,
  ...TRANSPARENCY_ENTITIES,
  ...OUTBOX_ENTITIES,
  ...ATTACHMENTS_ENTITIES,
  ...OPEN_DATA_ENTITIES,
  ...SYNC_ENTITIES,
  ...ALERTS_ENTITIES,
  ...DISCLOSURE_ENTITIES,
  ...REPORTS_ENTITIES,
];

export interface AppOptions {
  /** Replaces the system clock (tests). */
  clock?: Clock;
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      // From the bottom of the graph up (docs/ARCHITECTURE.md): each module imports what it uses below it; only
      // configuration, the database and the clock are global.
      imports: [
        ConfigModule.forRoot(config),
        CommonModule.forRoot(options.clock),
        DatabaseModule.forRoot(ENTITIES),
        ScheduleModule.forRoot(),
        CacheModule,
        AuditModule,
        JobsModule,
        TradingModule,
        AuthModule,
        TransparencyModule,
        OutboxModule,
        AttachmentsModule,
        PublishingModule,
        // Before open data: its /exports/{file} route would otherwise answer /exports/flags.csv (routes match in the
        // order their modules register).
        IntegrityModule,
        OpenDataModule,
        PortalModule,
        StatisticsModule,
        AlertsModule,
        OrganizationsModule,
        DisclosureModule,
        ReportsModule,
        AdminModule,
        SyncModule,
        DemoModule,
      ],
      controllers: [HealthController],
    };
  }
}
