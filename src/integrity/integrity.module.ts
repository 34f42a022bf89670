import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { PublishedModule } from '../published/published.module.js';
import { TradingModule } from '../trading/trading.module.js';
import { IntegrityController } from './integrity.controller.js';
import { IntegrityReads } from './integrity-reads.js';

/**
 * The integrity indicators' public side (/integrity, /api/v1/flags, /exports/flags.csv), read from the flags the
 * publishing transaction and the cohort job keep (trading/integrity-index.ts).
 */
@Module({
  imports: [PublishedModule, TradingModule, AuthModule],
  controllers: [IntegrityController],
  providers: [IntegrityReads],
  exports: [IntegrityReads],
})
export class IntegrityModule {}
