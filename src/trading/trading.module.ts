import { Global, Module } from '@nestjs/common';
import { CalendarService } from './calendar.service.js';
import { NoticeCounts } from './notice-counts.js';
import { NoticeQueryService } from './notice-query.service.js';
import { NoticeSearch } from './notice-search.js';
import { TimingRulesService } from './timing-rules.service.js';

/** The trading domain's shared services: timing rules, calendar, and the public notice query. */
@Global()
@Module({
  providers: [CalendarService, TimingRulesService, NoticeQueryService, NoticeSearch, NoticeCounts],
  exports: [CalendarService, TimingRulesService, NoticeQueryService, NoticeSearch, NoticeCounts],
})
export class TradingModule {}
