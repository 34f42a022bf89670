import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../http/error-body.js';
import type { Request } from 'express';
import { unauthenticated, type Actor } from './actor.js';
import { staffAuthOf } from './staff-auth.js';
import type { StaffRole } from './staff-user.entity.js';

export const IS_PUBLIC = 'auth:public';
export const ROLES = 'auth:roles';
export const OPEN_DURING_TOTP_ENROLMENT = 'auth:open-during-totp-enrolment';
export const ALL_ROLES: StaffRole[] = ['clerk', 'reviewer', 'admin'];

/** Opens a route under /api/admin or /admin to anonymous callers (signing in only). */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiSecurity({}));

/** Open to a signed-in user who must still enrol in two-factor sign-in (the enrolment pages, signing out). */
export const OpenDuringTotpEnrolment = () => SetMetadata(OPEN_DURING_TOTP_ENROLMENT, true);

/** The roles allowed on a controller or handler (the handler's list wins). Required under /api/admin. */
export const Roles = (...roles: StaffRole[]) =>
  applyDecorators(
    SetMetadata(ROLES, roles),
    // In the API description: a signed-in session with its CSRF token, or an API key; the roles; 401 and 403.
    ApiTags('admin'),
    ApiSecurity({ session: [], csrf: [] }),
    ApiSecurity('apiKey'),
    ApiExtension('x-roles', roles),
    ApiErrors(401, 403),
  );

/** The authenticated Actor of the request (ip = clientAddress(req)). Only on routes guarded by @Roles. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const auth = staffAuthOf(ctx.switchToHttp().getRequest<Request>());
  if (!auth) throw unauthenticated();
  return auth.actor;
});
