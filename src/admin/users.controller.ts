import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { IdParam } from '../auth/id-param.js';
import { SecondFactorService } from '../auth/second-factor.service.js';
import { STAFF_ROLES, type StaffRole } from '../auth/staff-user.entity.js';
import { Database } from '../database/database.js';
import { StaffSecondFactor } from '../auth/staff-security.entities.js';
import { StaffUsersService } from '../auth/staff-users.service.js';
import { notFound, validationFailed } from '../http/app-error.js';
import { errorMap, field, fieldErrorsOf, flashOf, render, seeOther } from './form-input.js';

const roleOptions = (selected?: string) =>
  Object.entries(STAFF_ROLES).map(([value, label]) => ({ value, label, selected: value === selected }));

/** Staff accounts, roles, password resets and the mandatory two-factor setting (administrators). */
@Controller()
@Roles('admin')
export class AdminUsersController {
  constructor(
    private readonly users: StaffUsersService,
    private readonly secondFactor: SecondFactorService,
    private readonly db: Database,
  ) {}

  @Get('admin/users')
  async list(@Req() req: Request, @Res() res: Response) {
    render(res, 'admin/users', {
      title: '用户与角色',
      flash: flashOf(req),
      ...(await this.listModel()),
      roles: roleOptions('clerk'),
    });
  }

  @Post('admin/users')
  async create(@Res() res: Response, @Body() body: Record<string, unknown>, @CurrentActor() actor: Actor) {
    const input = {
      username: field(body, 'username'),
      displayName: field(body, 'displayName'),
      role: field(body, 'role') as StaffRole,
      password: field(body, 'password'),
    };
    try {
      await this.users.createUser(actor, input);
    } catch (e) {
      const errors = errorMap(fieldErrorsOf(e));
      return render(
        res,
        'admin/users',
        { title: '用户与角色', ...(await this.listModel()), roles: roleOptions(input.role), form: input, errors },
        400,
      );
    }
    seeOther(res, '/admin/users?done=user-created');
  }

  @Get('admin/users/:id')
  async edit(@Req() req: Request, @Res() res: Response, @Param('id', IdParam()) id: number) {
    render(res, 'admin/user', { title: '编辑用户', flash: flashOf(req), ...(await this.userModel(id)) });
  }

  @Post('admin/users/:id')
  async update(
    @Res() res: Response,
    @Param('id', IdParam()) id: number,
    @Body() body: Record<string, unknown>,
    @CurrentActor() actor: Actor,
  ) {
    const active = field(body, 'active');
    try {
      if (active !== 'true' && active !== 'false')
        throw validationFailed([{ field: 'active', message: '请选择启用或停用' }]);
      await this.users.updateUser(actor, id, {
        displayName: field(body, 'displayName'),
        role: field(body, 'role') as StaffRole,
        active: active === 'true',
      });
    } catch (e) {
      return render(
        res,
        'admin/user',
        { title: '编辑用户', ...(await this.userModel(id)), errors: errorMap(fieldErrorsOf(e)) },
        400,
      );
    }
    seeOther(res, `/admin/users/${id}?done=user-updated`);
  }

  @Post('admin/users/:id/password')
  async resetPassword(
    @Res() res: Response,
    @Param('id', IdParam()) id: number,
    @Body() body: Record<string, unknown>,
    @CurrentActor() actor: Actor,
  ) {
    try {
      await this.users.updateUser(actor, id, { password: field(body, 'password') });
    } catch (e) {
      return render(
        res,
        'admin/user',
        { title: '编辑用户', ...(await this.userModel(id)), errors: errorMap(fieldErrorsOf(e)) },
        400,
      );
    }
    seeOther(res, `/admin/users/${id}?done=password-reset`);
  }

  /** A lost phone: the user signs in with the password alone and enrols again. */
  @Post('admin/users/:id/2fa-reset')
  async resetTotp(@Res() res: Response, @Param('id', IdParam()) id: number, @CurrentActor() actor: Actor) {
    await this.userModel(id);
    await this.secondFactor.disable(actor, id);
    seeOther(res, `/admin/users/${id}?done=totp-reset`);
  }

  @Post('admin/settings/2fa')
  async setTotpRequired(@Res() res: Response, @Body() body: Record<string, unknown>, @CurrentActor() actor: Actor) {
    const required = field(body, 'required');
    if (required !== 'true' && required !== 'false')
      throw validationFailed([{ field: 'required', message: '请选择是否要求两步验证' }]);
    await this.secondFactor.setRequired(actor, required === 'true');
    seeOther(res, '/admin/users?done=totp-required');
  }

  private async listModel() {
    const [users, factors, required] = await Promise.all([
      this.users.listUsers(),
      this.db.manager.find(StaffSecondFactor),
      this.secondFactor.isRequired(),
    ]);
    const enrolled = new Set(factors.filter((f) => f.confirmedAt).map((f) => f.userId));
    return {
      users: users.map((u) => ({
        ...u,
        href: `/admin/users/${u.id}`,
        roleName: STAFF_ROLES[u.role],
        totp: enrolled.has(u.id),
      })),
      totpRequired: required,
    };
  }

  private async userModel(id: number) {
    const user = (await this.users.listUsers()).find((u) => u.id === id);
    if (!user) throw notFound('用户');
    return {
      user: { ...user, roleName: STAFF_ROLES[user.role] },
      roles: roleOptions(user.role),
      totp: await this.secondFactor.isEnabled(id),
    };
  }
}
