import type { StaffRole } from './staff-user.entity.js';

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
