import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import type { Actor } from './actor.js';
import { AuthService } from './auth.service.js';
import { CurrentActor, Roles } from './decorators.js';
import { CreateUserDto, UpdateUserDto } from './dto.js';
import { IdParam } from './id-param.js';

/** Staff accounts (administrators only). Responses never carry a password hash. */
@Controller('api/admin/users')
@Roles('admin')
export class UsersController {
  constructor(private readonly auth: AuthService) {}

  @Get()
  async list() {
    return { items: await this.auth.listUsers() };
  }

  @Post()
  create(@Body() body: CreateUserDto, @CurrentActor() actor: Actor) {
    return this.auth.createUser(actor, body);
  }

  @Patch(':id')
  update(@Param('id', IdParam()) id: number, @Body() body: UpdateUserDto, @CurrentActor() actor: Actor) {
    return this.auth.updateUser(actor, id, body);
  }
}
