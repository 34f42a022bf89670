import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import type { Actor } from './actor.js';
import { AuthService } from './auth.service.js';
import { CurrentActor, Roles } from './decorators.js';
import { CreateApiKeyDto } from './dto.js';
import { IdParam } from './id-param.js';

/** Keys for machine clients (the e-trading system); each acts as its owner. */
@Controller('api/admin/api-keys')
@Roles('admin')
export class ApiKeysController {
  constructor(private readonly auth: AuthService) {}

  @Get()
  async list() {
    return { items: await this.auth.listApiKeys() };
  }

  /** The only response that ever contains the key itself. */
  @Post()
  create(@Body() body: CreateApiKeyDto, @CurrentActor() actor: Actor) {
    return this.auth.createApiKey(actor, body.userId, body.name);
  }

  @Delete(':id')
  revoke(@Param('id', IdParam()) id: number, @CurrentActor() actor: Actor) {
    return this.auth.revokeApiKey(actor, id);
  }
}
