import { Module } from '@nestjs/common';
import { TradingModule } from '../trading/trading.module.js';
import { ExportLines } from './export-lines.js';
import { PublishedReads } from './published-reads.js';

/** The read model of published data, shared by the portal, open data and sync (it imports none of them). */
@Module({
  imports: [TradingModule],
  providers: [PublishedReads, ExportLines],
  exports: [PublishedReads, ExportLines],
})
export class PublishedModule {}
