import { AuditLogEntry } from '../audit/audit-log.entity.js';
import { ApiKey } from '../auth/api-key.entity.js';
import { StaffSession } from '../auth/staff-session.entity.js';
import { StaffUser } from '../auth/staff-user.entity.js';
import { OutboxEntry } from '../sync/outbox.entity.js';
import { CalendarDay, CalendarYear } from '../trading/calendar.entity.js';
import { Notice } from '../trading/notice.entity.js';
import { ProjectLot } from '../trading/project-lot.entity.js';
import { ProjectParty } from '../trading/project-party.entity.js';
import { Project } from '../trading/project.entity.js';
import { TimingRuleRow } from '../trading/timing-rule.entity.js';
import { PublicationLogEntry, PublicationLogHead } from '../transparency/publication-log.entity.js';

export const ENTITIES = [
  Project, ProjectParty, ProjectLot, Notice, PublicationLogEntry, PublicationLogHead, OutboxEntry,
  StaffUser, ApiKey, StaffSession, AuditLogEntry, TimingRuleRow, CalendarYear, CalendarDay,
];
