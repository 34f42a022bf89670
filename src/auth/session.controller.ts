import { Body, Controller, Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { clientAddress } from '../http/client-address.js';
import { chinaDateTimeIso } from '../domain/china-time.js';
import type { Actor } from './actor.js';
import { ALL_ROLES, CurrentActor, OpenDuringTotpEnrolment, Public, Roles } from './decorators.js';
import { ChangePasswordDto, LoginDto } from './dto.js';
import { clearSessionCookie, readCookie, SESSION_COOKIE, setSessionCookie, staffAuthOf } from './staff-auth.js';
import { StaffSessionsService } from './staff-sessions.service.js';
import { StaffUsersService } from './staff-users.service.js';

const userOf = (a: Actor) => ({ id: a.userId, username: a.username, displayName: a.displayName, role: a.role });

/** Signing in and out, and the signed-in user's own account. */
@Controller('api/admin/session')
@Roles(...ALL_ROLES)
export class SessionController {
  constructor(
    private readonly sessions: StaffSessionsService,
    private readonly users: StaffUsersService,
  ) {}

  @Post()
  @Public()
  @HttpCode(200)
  async login(@Body() body: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const session = await this.sessions.login(body.username, body.password, clientAddress(req), body.totpCode);
    setSessionCookie(req, res, session.token);
    res.setHeader('Cache-Control', 'no-store');
    const { id, username, displayName, role } = session.user;
    return { user: { id, username, displayName, role }, csrfToken: session.csrfToken };
  }

  @Get()
  current(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const auth = staffAuthOf(req)!;
    res.setHeader('Cache-Control', 'no-store');
    return { user: userOf(auth.actor), via: auth.actor.via, csrfToken: auth.csrfToken, expiresAt: auth.expiresAt && chinaDateTimeIso(auth.expiresAt) };
  }

  @Delete()
  @HttpCode(204)
  @OpenDuringTotpEnrolment()
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response, @CurrentActor() actor: Actor) {
    const token = readCookie(req, SESSION_COOKIE);
    if (token && staffAuthOf(req)?.sessionId) await this.sessions.logout(token, actor);
    clearSessionCookie(req, res);
  }

  @Post('password')
  @HttpCode(204)
  async changePassword(@Body() body: ChangePasswordDto, @Req() req: Request, @CurrentActor() actor: Actor) {
    await this.users.changeOwnPassword(actor, body.currentPassword, body.newPassword, staffAuthOf(req)?.sessionId ?? null);
  }
}
