import { Foundation1764000000000 } from './1764000000000-foundation.js';
import { NoticeSearch1764100000000 } from './1764100000000-notice-search.js';
import { TransparencyCheckpoints1764710000000 } from './1764710000000-transparency-checkpoints.js';
import { PlatformSync1764800000000 } from './1764800000000-platform-sync.js';
import { StaffBackOffice1765000000000 } from './1765000000000-staff-back-office.js';
import { BulkFiles1765100000000 } from './1765100000000-bulk-files.js';
import { SyncSkips1765200000000 } from './1765200000000-sync-skips.js';
import { SearchLongAsciiKeys1765300000000 } from './1765300000000-search-long-ascii-keys.js';
import { SearchFilterKeys1765400000000 } from './1765400000000-search-filter-keys.js';
import { SettingsVersion1765500000000 } from './1765500000000-settings-version.js';
import { BoundedReads1765510000000 } from './1765510000000-bounded-reads.js';
import { AuditRequestId1765520000000 } from './1765520000000-audit-request-id.js';
import { Alerts1765600000000 } from './1765600000000-alerts.js';
import { Organizations1765700000000 } from './1765700000000-organizations.js';
import { Integrity1765710000000 } from './1765710000000-integrity.js';
import { Disclosure1765800000000 } from './1765800000000-disclosure.js';
import { AnnualReport1765900000000 } from './1765900000000-annual-report.js';
import { AnnualReportLog1766000000000 } from './1766000000000-annual-report-log.js';
import { SearchBlocks1766100000000 } from './1766100000000-search-blocks.js';
import { IntegrityFilters1766200000000 } from './1766200000000-integrity-filters.js';
import { ExportLines1766300000000 } from './1766300000000-export-lines.js';
import { FlagIndexes1766400000000 } from './1766400000000-flag-indexes.js';
import { DatedFilterCounts1766500000000 } from './1766500000000-dated-filter-counts.js';
import { OpenCounts1766600000000 } from './1766600000000-open-counts.js';
import { ListIndexes1766700000000 } from './1766700000000-list-indexes.js';
import { SearchPhraseKeys1766800000000 } from './1766800000000-search-phrase-keys.js';
import { SearchTypeKeys1766900000000 } from './1766900000000-search-type-keys.js';
import { OrgFactOutcomes1767000000000 } from './1767000000000-org-fact-outcomes.js';
import { OrgFactClustered1767100000000 } from './1767100000000-org-fact-clustered.js';
import { OpenSetCovering1767200000000 } from './1767200000000-open-set-covering.js';
import { DeadlineKeys1767300000000 } from './1767300000000-deadline-keys.js';
import { SearchKeyBlocks1767400000000 } from './1767400000000-search-key-blocks.js';

/** Every migration, in order. Listed here rather than globbed so ESM builds and tests load the same set. */
export const MIGRATIONS = [
  Foundation1764000000000,
  NoticeSearch1764100000000,
  TransparencyCheckpoints1764710000000,
  PlatformSync1764800000000,
  StaffBackOffice1765000000000,
  BulkFiles1765100000000,
  SyncSkips1765200000000,
  SearchLongAsciiKeys1765300000000,
  SearchFilterKeys1765400000000,
  SettingsVersion1765500000000,
  BoundedReads1765510000000,
  AuditRequestId1765520000000,
  Alerts1765600000000,
  Organizations1765700000000,
  Integrity1765710000000,
  Disclosure1765800000000,
  AnnualReport1765900000000,
  AnnualReportLog1766000000000,
  SearchBlocks1766100000000,
  IntegrityFilters1766200000000,
  ExportLines1766300000000,
  FlagIndexes1766400000000,
  DatedFilterCounts1766500000000,
  OpenCounts1766600000000,
  ListIndexes1766700000000,
  SearchPhraseKeys1766800000000,
  SearchTypeKeys1766900000000,
  OrgFactOutcomes1767000000000,
  OrgFactClustered1767100000000,
  OpenSetCovering1767200000000,
  DeadlineKeys1767300000000,
  SearchKeyBlocks1767400000000,
];
