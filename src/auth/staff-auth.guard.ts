import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError } from '../http/app-error.js';
import { IS_PUBLIC, ROLES } from './decorators.js';
import { StaffAuthenticator } from './staff-auth.js';
import type { StaffRole } from './staff-user.entity.js';

const ADMIN_API = /^\/api\/admin(\/|$)/i;

/** Both the route's declared path and the URL are checked, so no spelling of a URL slips past the prefix test. */
function isAdminApi(req: Request): boolean {
  const routePath = typeof req.route?.path === 'string' ? req.route.path : '';
  let urlPath = (req.originalUrl ?? req.url).split('?')[0];
  try {
    urlPath = decodeURIComponent(urlPath);
  } catch {
    // keep the raw path; the route path still decides
  }
  return ADMIN_API.test(routePath) || ADMIN_API.test(urlPath);
}

/**
 * The global guard. Fails closed under /api/admin: a route there needs @Public() or @Roles(...), and one with
 * neither is refused to everybody, so a forgotten decorator never opens a route. Elsewhere only @Roles applies.
 */
@Injectable()
export class StaffAuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector, private readonly authenticator: StaffAuthenticator) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const req = ctx.switchToHttp().getRequest<Request>();
    const targets = [ctx.getHandler(), ctx.getClass()];
    const roles = this.reflector.getAllAndOverride<StaffRole[] | undefined>(ROLES, targets);
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets);
    if (isPublic || (!roles && !isAdminApi(req))) return true;

    const auth = await this.authenticator.require(req);
    if (!roles?.includes(auth.actor.role)) throw new AppError('auth.forbidden', '您的角色无权执行此操作');
    return true;
  }
}
