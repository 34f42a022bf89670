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
import { LoginReplyDto, SessionReplyDto } from './replies.dto.js';
import { ApiReply } from '../http/api-reply.js';

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
  @ApiReply({
    summary: '登录',
    description: '成功时设置会话 Cookie（ggzy_session）并返回 CSRF 令牌；已启用两步验证的账号须同时提供 totpCode。',
    type: LoginReplyDto,
    errors: [400, 429],
  })
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
  @ApiReply({ summary: '当前登录的用户与会话', type: SessionReplyDto })
  current(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const auth = staffAuthOf(req)!;
    res.setHeader('Cache-Control', 'no-store');
    return {
      user: userOf(auth.actor),
      via: auth.actor.via,
      csrfToken: auth.csrfToken,
      expiresAt: auth.expiresAt && chinaDateTimeIso(auth.expiresAt),
    };
  }

  @Delete()
  @ApiReply({ summary: '退出登录', status: 204 })
  @HttpCode(204)
  @OpenDuringTotpEnrolment()
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response, @CurrentActor() actor: Actor) {
    const token = readCookie(req, SESSION_COOKIE);
    if (token && staffAuthOf(req)?.sessionId) await this.sessions.logout(token, actor);
    clearSessionCookie(req, res);
  }

  @Post('password')
  @ApiReply({ summary: '修改自己的密码', description: '同时结束本人的其他会话。', status: 204, errors: [400] })
  @HttpCode(204)
  async changePassword(@Body() body: ChangePasswordDto, @Req() req: Request, @CurrentActor() actor: Actor) {
    await this.users.changeOwnPassword(
      actor,
      body.currentPassword,
      body.newPassword,
      staffAuthOf(req)?.sessionId ?? null,
    );
  }
}
