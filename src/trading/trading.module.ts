import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { CalendarService } from './calendar.service.js';
import { NoticeQueryService } from './notice-query.service.js';
import { NoticeSearch } from './notice-search.js';
import { TimingRulesService } from './timing-rules.service.js';

/** The trading domain's services: timing rules and calendar (audited when staff change them), the public notice query and search. */
@Module({
  imports: [AuditModule],
  providers: [CalendarService, TimingRulesService, NoticeQueryService, NoticeSearch],
  exports: [CalendarService, TimingRulesService, NoticeQueryService, NoticeSearch],
})
export class TradingModule {}
