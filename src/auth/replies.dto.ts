import { ApiProperty } from '@nestjs/swagger';
import { STAFF_ROLES } from './staff-user.entity.js';

/** What the staff API answers about sessions, users and API keys, as response classes for the API description. */
const TIME = {
  type: 'string',
  format: 'date-time',
  description: 'ISO 8601 北京时间（+08:00）',
  example: '2026-05-20T09:30:00+08:00',
} as const;
const ROLE = {
  enum: Object.keys(STAFF_ROLES),
  enumName: 'StaffRole',
  description: 'clerk 录入员；reviewer 审核员；admin 管理员',
} as const;

export class SessionUserDto {
  @ApiProperty({ type: 'integer', example: 3 }) id: number;
  @ApiProperty({ example: 'wang.li' }) username: string;
  @ApiProperty({ example: '王丽' }) displayName: string;
  @ApiProperty(ROLE) role: string;
}

export class LoginReplyDto {
  @ApiProperty({ type: SessionUserDto }) user: SessionUserDto;
  @ApiProperty({ description: '之后每个会话请求都要在 X-CSRF-Token 头中带上' }) csrfToken: string;
}

export class SessionReplyDto {
  @ApiProperty({ type: SessionUserDto }) user: SessionUserDto;
  @ApiProperty({ description: 'session：登录会话；api-key:{编号}：API 密钥', example: 'session' }) via: string;
  @ApiProperty({ type: 'string', nullable: true, description: '会话的 CSRF 令牌；API 密钥为 null' })
  csrfToken: string | null;
  @ApiProperty({ ...TIME, nullable: true, description: '会话到期时间（每次使用顺延）；API 密钥为 null' })
  expiresAt: string | null;
}

export class StaffUserDto {
  @ApiProperty({ type: 'integer', example: 5 }) id: number;
  @ApiProperty({ description: '登录名（小写）', example: 'li.na' }) username: string;
  @ApiProperty({ example: '李娜' }) displayName: string;
  @ApiProperty(ROLE) role: string;
  @ApiProperty({ description: 'false：已停用，不能登录，其 API 密钥失效' }) active: boolean;
  @ApiProperty(TIME) createdAt: string;
  @ApiProperty(TIME) updatedAt: string;
}

export class StaffUserListDto {
  @ApiProperty({ type: [StaffUserDto], description: '按编号排序' }) items: StaffUserDto[];
}

export class ApiKeyDto {
  @ApiProperty({ type: 'integer', example: 2 }) id: number;
  @ApiProperty({ type: 'integer', description: '所属用户（密钥以其身份和角色操作）', example: 5 }) userId: number;
  @ApiProperty({ type: 'string', nullable: true, description: '所属用户的登录名', example: 'li.na' })
  username: string | null;
  @ApiProperty({ example: '电子交易系统' }) name: string;
  @ApiProperty({ description: '密钥的前 12 个字符，用于辨认', example: 'ggzy_Xa81Kq3' }) prefix: string;
  @ApiProperty(TIME) createdAt: string;
  @ApiProperty({ ...TIME, nullable: true, description: '吊销时间；未吊销为 null' }) revokedAt: string | null;
  @ApiProperty({ ...TIME, nullable: true, description: '最近使用时间（约每分钟更新一次）' }) lastUsedAt: string | null;
}

export class NewApiKeyDto extends ApiKeyDto {
  @ApiProperty({
    pattern: '^ggzy_[A-Za-z0-9_-]{43}$',
    description: '密钥本身：只在这一次响应中出现，本平台只保存其摘要，请立即妥善保存',
  })
  key: string;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto], description: '最新的在前；不含密钥本身' }) items: ApiKeyDto[];
}
