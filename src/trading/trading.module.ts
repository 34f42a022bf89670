import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { CalendarService } from './calendar.service.js';
import { NoticeCounts } from './notice-counts.js';
import { OrganizationIndex } from './organization-index.js';
import { IntegrityIndex } from './integrity-index.js';
import { NoticeQueryService } from './notice-query.service.js';
import { NoticeSearch } from './notice-search.js';
import { TimingRulesService } from './timing-rules.service.js';
import { CalendarDay, CalendarYear } from './calendar.entity.js';
import { Notice } from './notice.entity.js';
import { ProjectLot } from './project-lot.entity.js';
import { ProjectParty } from './project-party.entity.js';
import { Project } from './project.entity.js';
import { TimingRuleRow } from './timing-rule.entity.js';

/** The tables this module owns (composed into the one DataSource by app.module.ts). */
export const TRADING_ENTITIES = [Project, ProjectParty, ProjectLot, Notice, TimingRuleRow, CalendarYear, CalendarDay];

/** The trading domain's services: timing rules and calendar (audited when staff change them), the public notice query and search. */
@Module({
  imports: [AuditModule, JobsModule],
  providers: [
    CalendarService,
    TimingRulesService,
    NoticeQueryService,
    NoticeSearch,
    NoticeCounts,
    OrganizationIndex,
    IntegrityIndex,
  ],
  exports: [
    CalendarService,
    TimingRulesService,
    NoticeQueryService,
    NoticeSearch,
    NoticeCounts,
    OrganizationIndex,
    IntegrityIndex,
  ],
})
export class TradingModule {}
