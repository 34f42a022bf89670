import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import type { AppConfig } from './config/config.js';
import { AdminModule } from './admin/admin.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CacheModule } from './cache/cache.module.js';
import { CommonModule } from './common/common.module.js';
import type { Clock } from './common/clock.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { DemoModule } from './demo/demo.module.js';
import { HealthController } from './health/health.controller.js';
import { OpenDataModule } from './open-data/open-data.module.js';
import { PortalModule } from './portal/portal.module.js';
import { PublishingModule } from './publishing/publishing.module.js';
import { StatisticsModule } from './statistics/statistics.module.js';
import { SyncModule } from './sync/sync.module.js';
import { TradingModule } from './trading/trading.module.js';
import { TransparencyModule } from './transparency/transparency.module.js';

export interface AppOptions {
  /** Replaces the system clock (tests). */
  clock?: Clock;
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), CommonModule.forRoot(options.clock), DatabaseModule, CacheModule, ScheduleModule.forRoot(), AuditModule, AuthModule, TradingModule, PublishingModule, PortalModule, TransparencyModule, StatisticsModule, OpenDataModule, DemoModule, SyncModule, AdminModule],
      controllers: [HealthController],
    };
  }
}
