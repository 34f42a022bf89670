import { Body, Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import QRCode from 'qrcode';
import type { Actor } from '../auth/actor.js';
import { ALL_ROLES, CurrentActor, OpenDuringTotpEnrolment, Roles } from '../auth/decorators.js';
import { SecondFactorService } from '../auth/second-factor.service.js';
import { staffAuthOf } from '../auth/staff-auth.js';
import { StaffUsersService } from '../auth/staff-users.service.js';
import { groupedSecret, otpauthUri } from '../auth/totp.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { errorMap, field, fieldErrorsOf, flashOf, render, seeOther } from './form-input.js';

/** The signed-in user's own account: password and two-factor sign-in. */
@Controller('admin/account')
@Roles(...ALL_ROLES)
export class AdminAccountController {
  constructor(
    private readonly users: StaffUsersService,
    private readonly secondFactor: SecondFactorService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('password')
  passwordPage(@Req() req: Request, @Res() res: Response) {
    render(res, 'admin/password', { title: '修改密码', flash: flashOf(req) });
  }

  @Post('password')
  async changePassword(
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: Record<string, unknown>,
    @CurrentActor() actor: Actor,
  ) {
    try {
      await this.users.changeOwnPassword(
        actor,
        field(body, 'currentPassword'),
        field(body, 'newPassword'),
        staffAuthOf(req)?.sessionId ?? null,
      );
    } catch (e) {
      return render(res, 'admin/password', { title: '修改密码', errors: errorMap(fieldErrorsOf(e)) }, 400);
    }
    seeOther(res, '/admin/account/password?done=password');
  }

  @Get('2fa')
  @OpenDuringTotpEnrolment()
  async totpPage(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor) {
    render(res, 'admin/totp', { title: '两步验证', flash: flashOf(req), ...(await this.totpModel(actor)) });
  }

  @Post('2fa/confirm')
  @OpenDuringTotpEnrolment()
  async confirm(@Res() res: Response, @Body() body: Record<string, unknown>, @CurrentActor() actor: Actor) {
    try {
      await this.secondFactor.confirm(actor, field(body, 'code'));
    } catch (e) {
      return render(
        res,
        'admin/totp',
        { title: '两步验证', errors: errorMap(fieldErrorsOf(e)), ...(await this.totpModel(actor)) },
        400,
      );
    }
    seeOther(res, '/admin/account/2fa?done=totp-enabled');
  }

  @Post('2fa/disable')
  async disable(@Res() res: Response, @Body() body: Record<string, unknown>, @CurrentActor() actor: Actor) {
    if (await this.secondFactor.isRequired()) {
      return render(
        res,
        'admin/totp',
        {
          title: '两步验证',
          error: '管理员已要求所有工作人员使用两步验证，不能关闭',
          ...(await this.totpModel(actor)),
        },
        409,
      );
    }
    try {
      await this.secondFactor.disable(actor, actor.userId, field(body, 'code'));
    } catch (e) {
      return render(
        res,
        'admin/totp',
        { title: '两步验证', errors: errorMap(fieldErrorsOf(e)), ...(await this.totpModel(actor)) },
        400,
      );
    }
    seeOther(res, '/admin/account/2fa?done=totp-disabled');
  }

  private async totpModel(actor: Actor) {
    const [enabled, required] = await Promise.all([
      this.secondFactor.isEnabled(actor.userId),
      this.secondFactor.isRequired(),
    ]);
    if (enabled) return { enabled, required };
    const secret = (await this.secondFactor.pendingSecret(actor.userId))!;
    const uri = otpauthUri(secret, this.config.site.name, actor.username);
    const svg = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    return {
      enabled,
      required,
      uri,
      secret: groupedSecret(secret),
      qr: svg
        .trim()
        .replace(
          '<svg ',
          '<svg class="qr" role="img" aria-label="两步验证绑定二维码（内容即下方的 otpauth 地址）" focusable="false" ',
        ),
    };
  }
}
