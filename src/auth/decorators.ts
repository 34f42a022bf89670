import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from './actor.js';
import { unauthenticated } from './auth.service.js';
import { staffAuthOf } from './staff-auth.js';
import type { StaffRole } from './staff-user.entity.js';

export const IS_PUBLIC = 'auth:public';
export const ROLES = 'auth:roles';
export const ALL_ROLES: StaffRole[] = ['clerk', 'reviewer', 'admin'];

/** Opens a route under /api/admin to anonymous callers (the login route only). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The roles allowed on a controller or handler (the handler's list wins). Required under /api/admin. */
export const Roles = (...roles: StaffRole[]) => SetMetadata(ROLES, roles);

/** The authenticated Actor of the request (ip = req.ip). Only on routes guarded by @Roles. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const auth = staffAuthOf(ctx.switchToHttp().getRequest<Request>());
  if (!auth) throw unauthenticated();
  return auth.actor;
});
