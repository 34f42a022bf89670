import { AppError } from '../http/app-error.js';
import type { StaffRole, StaffUser } from './staff-user.entity.js';

/** Who is acting: a signed-in staff member, an API key acting as its owner, or the system itself. */
export interface Actor {
  userId: number;
  username: string;
  displayName: string;
  role: StaffRole;
  /** 'session', 'api-key:<id>' or 'system' (recorded in the audit log). */
  via: string;
  ip: string | null;
}

/** Scheduled jobs, migrations and operator scripts. userId 0 never matches a staff_user row. */
export const SYSTEM_ACTOR: Actor = Object.freeze({
  userId: 0,
  username: 'system',
  displayName: '系统',
  role: 'admin',
  via: 'system',
  ip: null,
});

/** Resolved credentials of a request: the actor, and for a cookie session its id and CSRF token. */
export interface StaffAuth {
  actor: Actor;
  sessionId: string | null;
  csrfToken: string | null;
  expiresAt: Date | null;
  /** Two-factor sign-in is mandatory and this session's user has not enrolled yet: only enrolment is open. */
  mustEnrolTotp?: boolean;
}

export const actorOf = (u: StaffUser, via: string, ip: string | null): Actor => ({
  userId: u.id,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  via,
  ip,
});

export const unauthenticated = (message = '请先登录') => new AppError('auth.unauthenticated', message);
