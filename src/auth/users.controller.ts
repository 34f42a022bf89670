import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import type { Actor } from './actor.js';
import { StaffUsersService } from './staff-users.service.js';
import { CurrentActor, Roles } from './decorators.js';
import { CreateUserDto, UpdateUserDto } from './dto.js';
import { IdParam } from './id-param.js';
import { StaffUserDto, StaffUserListDto } from './replies.dto.js';
import { ApiReply } from '../http/api-reply.js';

/** Staff accounts (administrators only). Responses never carry a password hash. */
@Controller('api/admin/users')
@Roles('admin')
export class UsersController {
  constructor(private readonly users: StaffUsersService) {}

  @Get()
  @ApiReply({ summary: '工作人员账号列表', type: StaffUserListDto })
  async list() {
    return { items: await this.users.listUsers() };
  }

  @Post()
  @ApiReply({ summary: '新建工作人员账号', status: 201, type: StaffUserDto, errors: [400, 409] })
  create(@Body() body: CreateUserDto, @CurrentActor() actor: Actor) {
    return this.users.createUser(actor, body);
  }

  @Patch(':id')
  @ApiReply({
    summary: '修改账号（姓名、角色、启用、重设密码）',
    description: '停用账号或重设密码会结束其全部会话。',
    type: StaffUserDto,
    errors: [400, 404, 409],
  })
  update(@Param('id', IdParam()) id: number, @Body() body: UpdateUserDto, @CurrentActor() actor: Actor) {
    return this.users.updateUser(actor, id, body);
  }
}
