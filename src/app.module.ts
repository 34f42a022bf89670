import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import type { AppConfig } from './config/config.js';
import { CommonModule } from './common/common.module.js';
import type { Clock } from './common/clock.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthController } from './health/health.controller.js';

export interface AppOptions {
  /** Replaces the system clock (tests). */
  clock?: Clock;
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), CommonModule.forRoot(options.clock), DatabaseModule, ScheduleModule.forRoot()],
      controllers: [HealthController],
    };
  }
}
