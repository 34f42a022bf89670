import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { DisclosureModule } from '../disclosure/disclosure.module.js';
import { PublishingModule } from '../publishing/publishing.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import { TradingModule } from '../trading/trading.module.js';
import { DemoSeeder } from './demo-seeder.js';

/** Demo staff accounts and demo data, loaded into an empty database when SEED_DEMO is on. */
@Module({
  imports: [TradingModule, AuthModule, PublishingModule, DisclosureModule, ReportsModule],
  providers: [DemoSeeder],
})
export class DemoModule {}
