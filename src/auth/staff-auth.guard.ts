import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError } from '../http/app-error.js';
import { IS_PUBLIC, OPEN_DURING_TOTP_ENROLMENT, ROLES } from './decorators.js';
import { StaffAuthenticator } from './staff-auth.js';
import type { StaffRole } from './staff-user.entity.js';

// The staff API and the back-office pages.
const ADMIN_API = /^\/(api\/)?admin(\/|$)/i;

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
 * The global guard. Fails closed under /api/admin and /admin: a route there needs @Public() or @Roles(...), and
 * one with neither is refused to everybody, so a forgotten decorator never opens a route. Elsewhere only @Roles
 * applies. While two-factor sign-in is mandatory and the user has not enrolled, only enrolment stays open.
 */
@Injectable()
export class StaffAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: StaffAuthenticator,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const req = ctx.switchToHttp().getRequest<Request>();
    const targets = [ctx.getHandler(), ctx.getClass()];
    const roles = this.reflector.getAllAndOverride<StaffRole[] | undefined>(ROLES, targets);
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets);
    if (isPublic || (!roles && !isAdminApi(req))) return true;

    const auth = await this.authenticator.require(req);
    if (!roles?.includes(auth.actor.role)) throw new AppError('auth.forbidden', '您的角色无权执行此操作');
    if (
      auth.mustEnrolTotp &&
      !this.reflector.getAllAndOverride<boolean | undefined>(OPEN_DURING_TOTP_ENROLMENT, targets)
    ) {
      throw new AppError('auth.enrol-totp', '管理员已要求所有工作人员启用两步验证，请先在“两步验证”页面完成绑定');
    }
    return true;
  }
}
