import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import type { Actor } from './actor.js';
import { ApiKeysService } from './api-keys.service.js';
import { CurrentActor, Roles } from './decorators.js';
import { CreateApiKeyDto } from './dto.js';
import { IdParam } from './id-param.js';
import { ApiKeyDto, ApiKeyListDto, NewApiKeyDto } from './replies.dto.js';
import { ApiReply } from '../http/api-reply.js';

/** Keys for machine clients (the e-trading system); each acts as its owner. */
@Controller('api/admin/api-keys')
@Roles('admin')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Get()
  @ApiReply({ summary: 'API 密钥列表', type: ApiKeyListDto })
  async list() {
    return { items: await this.apiKeys.listApiKeys() };
  }

  /** The only response that ever contains the key itself. */
  @Post()
  @ApiReply({ summary: '签发 API 密钥（密钥只显示这一次）', status: 201, type: NewApiKeyDto, errors: [400] })
  create(@Body() body: CreateApiKeyDto, @CurrentActor() actor: Actor) {
    return this.apiKeys.createApiKey(actor, body.userId, body.name);
  }

  @Delete(':id')
  @ApiReply({ summary: '吊销 API 密钥', type: ApiKeyDto, errors: [400, 404] })
  revoke(@Param('id', IdParam()) id: number, @CurrentActor() actor: Actor) {
    return this.apiKeys.revokeApiKey(actor, id);
  }
}
