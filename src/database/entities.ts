import { NoticeAttachment, NoticeAttachmentChunk } from '../attachments/attachment.entity.js';
import { AuditLogEntry } from '../audit/audit-log.entity.js';
import { ApiKey } from '../auth/api-key.entity.js';
import { AppSetting, LoginChallenge, LoginThrottleRow, StaffSecondFactor } from '../auth/staff-security.entities.js';
import { StaffSession } from '../auth/staff-session.entity.js';
import { StaffUser } from '../auth/staff-user.entity.js';
import { JobLease } from '../jobs/job-lease.entity.js';
import { OutboxEntry } from '../outbox/outbox.entity.js';
import { SyncNonce, SyncPeerState, SyncReceipt, SyncSkip } from '../sync/sync.entities.js';
import { CalendarDay, CalendarYear } from '../trading/calendar.entity.js';
import { Notice } from '../trading/notice.entity.js';
import { ProjectLot } from '../trading/project-lot.entity.js';
import { ProjectParty } from '../trading/project-party.entity.js';
import { Project } from '../trading/project.entity.js';
import { TimingRuleRow } from '../trading/timing-rule.entity.js';
import { TransparencyCheckpoint, TransparencySigningKey } from '../transparency/checkpoint.entity.js';
import { BulkFile } from '../open-data/bulk/bulk-file.entity.js';
import { PublicationLogEntry, PublicationLogHead } from '../transparency/publication-log.entity.js';

export const ENTITIES = [
  Project, ProjectParty, ProjectLot, Notice, PublicationLogEntry, PublicationLogHead, OutboxEntry,
  StaffUser, ApiKey, StaffSession, AuditLogEntry, TimingRuleRow, CalendarYear, CalendarDay,
  TransparencyCheckpoint, TransparencySigningKey, JobLease, SyncNonce, SyncReceipt, SyncPeerState,
  LoginThrottleRow, StaffSecondFactor, LoginChallenge, AppSetting, NoticeAttachment, NoticeAttachmentChunk,
  BulkFile, SyncSkip,
];
