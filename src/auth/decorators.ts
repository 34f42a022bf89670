import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from './actor.js';
import { unauthenticated } from './auth.service.js';
import { staffAuthOf } from './staff-auth.js';
import type { StaffRole } from './staff-user.entity.js';

export const IS_PUBLIC = 'auth:public';
export const ROLES = 'auth:roles';
export const OPEN_DURING_TOTP_ENROLMENT = 'auth:open-during-totp-enrolment';
export const ALL_ROLES: StaffRole[] = ['clerk', 'reviewer', 'admin'];

/** Opens a route under /api/admin or /admin to anonymous callers (signing in only). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Open to a signed-in user who must still enrol in two-factor sign-in (the enrolment pages, signing out). */
export const OpenDuringTotpEnrolment = () => SetMetadata(OPEN_DURING_TOTP_ENROLMENT, true);

/** The roles allowed on a controller or handler (the handler's list wins). Required under /api/admin. */
export const Roles = (...roles: StaffRole[]) => SetMetadata(ROLES, roles);

/** The authenticated Actor of the request (ip = clientAddress(req)). Only on routes guarded by @Roles. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const auth = staffAuthOf(ctx.switchToHttp().getRequest<Request>());
  if (!auth) throw unauthenticated();
  return auth.actor;
});
