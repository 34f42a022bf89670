import type { NewStaffUser } from '../auth/staff-users.service.js';

/**
 * Staff accounts loaded with the demo data, named in the README so anyone trying the portal can sign in.
 * Demo only: an operator who keeps a demo database should change these passwords.
 */
export const DEMO_ACCOUNTS = [
  { username: 'clerk', password: 'clerk-demo-2026', role: 'clerk', displayName: '王丽' },
  { username: 'clerk2', password: 'clerk2-demo-2026', role: 'clerk', displayName: '李明' },
  { username: 'reviewer', password: 'reviewer-demo-2026', role: 'reviewer', displayName: '张静' },
  { username: 'admin', password: 'admin-demo-2026', role: 'admin', displayName: '刘强' },
] as const satisfies readonly NewStaffUser[];
