import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import type { Actor } from './actor.js';
import { StaffUsersService } from './staff-users.service.js';
import { CurrentActor, Roles } from './decorators.js';
import { CreateUserDto, UpdateUserDto } from './dto.js';
import { IdParam } from './id-param.js';

/** Staff accounts (administrators only). Responses never carry a password hash. */
@Controller('api/admin/users')
@Roles('admin')
export class UsersController {
  constructor(private readonly users: StaffUsersService) {}

  @Get()
  async list() {
    return { items: await this.users.listUsers() };
  }

  @Post()
  create(@Body() body: CreateUserDto, @CurrentActor() actor: Actor) {
    return this.users.createUser(actor, body);
  }

  @Patch(':id')
  update(@Param('id', IdParam()) id: number, @Body() body: UpdateUserDto, @CurrentActor() actor: Actor) {
    return this.users.updateUser(actor, id, body);
  }
}
