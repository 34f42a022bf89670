import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Actor } from '../auth/actor.js';
import { ApiKeysService } from '../auth/api-keys.service.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { IdParam } from '../auth/id-param.js';
import { StaffUsersService } from '../auth/staff-users.service.js';
import { errorMap, field, fieldErrorsOf, flashOf, render, seeOther } from './form-input.js';

/** Keys for the e-trading system: created here (the key is shown once), revoked here. */
@Controller('admin/api-keys')
@Roles('admin')
export class AdminApiKeysController {
  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly users: StaffUsersService,
  ) {}

  @Get()
  async list(@Req() req: Request, @Res() res: Response) {
    render(res, 'admin/api-keys', { title: 'API 密钥', flash: flashOf(req), ...(await this.model()) });
  }

  @Post()
  async create(@Res() res: Response, @Body() body: Record<string, unknown>, @CurrentActor() actor: Actor) {
    const userId = Number(field(body, 'userId'));
    try {
      const created = await this.apiKeys.createApiKey(
        actor,
        Number.isSafeInteger(userId) ? userId : 0,
        field(body, 'name'),
      );
      // The only page that ever shows the key: not cached, not redirected to.
      render(res, 'admin/api-keys', { title: 'API 密钥', created, ...(await this.model()) }, 201);
    } catch (e) {
      render(
        res,
        'admin/api-keys',
        {
          title: 'API 密钥',
          errors: errorMap(fieldErrorsOf(e)),
          name: field(body, 'name'),
          ...(await this.model(userId)),
        },
        400,
      );
    }
  }

  @Post(':id/revoke')
  async revoke(@Res() res: Response, @Param('id', IdParam()) id: number, @CurrentActor() actor: Actor) {
    await this.apiKeys.revokeApiKey(actor, id);
    seeOther(res, '/admin/api-keys?done=key-revoked');
  }

  private async model(selectedUser?: number) {
    const [keys, users] = await Promise.all([this.apiKeys.listApiKeys(), this.users.listUsers()]);
    return {
      keys,
      users: users
        .filter((u) => u.active)
        .map((u) => ({ id: u.id, label: `${u.displayName}（${u.username}）`, selected: u.id === selectedUser })),
    };
  }
}
