import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import type { Actor } from './actor.js';
import { ApiKeysService } from './api-keys.service.js';
import { CurrentActor, Roles } from './decorators.js';
import { CreateApiKeyDto } from './dto.js';
import { IdParam } from './id-param.js';

/** Keys for machine clients (the e-trading system); each acts as its owner. */
@Controller('api/admin/api-keys')
@Roles('admin')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Get()
  async list() {
    return { items: await this.apiKeys.listApiKeys() };
  }

  /** The only response that ever contains the key itself. */
  @Post()
  create(@Body() body: CreateApiKeyDto, @CurrentActor() actor: Actor) {
    return this.apiKeys.createApiKey(actor, body.userId, body.name);
  }

  @Delete(':id')
  revoke(@Param('id', IdParam()) id: number, @CurrentActor() actor: Actor) {
    return this.apiKeys.revokeApiKey(actor, id);
  }
}
