import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { STAFF_ROLES, type StaffRole } from './staff-user.entity.js';
import { ApiFromValidation } from '../http/api-schema.js';

// Shapes only; the rules (username form, password policy) live in StaffUsersService so the CLI obeys them too.
const ROLE_NAMES = Object.keys(STAFF_ROLES);

@ApiFromValidation()
export class LoginDto {
  @IsString() @IsNotEmpty() @MaxLength(64) username: string;
  @IsString() @IsNotEmpty() @MaxLength(200) password: string;
  /** The authenticator's current code, for a user who has enabled two-factor sign-in. */
  @IsOptional() @IsString() @MaxLength(20) totpCode?: string;
}

@ApiFromValidation()
export class ChangePasswordDto {
  @IsString() @IsNotEmpty() @MaxLength(200) currentPassword: string;
  @IsString() @IsNotEmpty() @MaxLength(200) newPassword: string;
}

@ApiFromValidation()
export class CreateUserDto {
  @IsString() @IsNotEmpty() @MaxLength(64) username: string;
  @IsString() @IsNotEmpty() @MaxLength(100) displayName: string;
  @IsIn(ROLE_NAMES) role: StaffRole;
  @IsString() @IsNotEmpty() @MaxLength(200) password: string;
}

@ApiFromValidation()
export class UpdateUserDto {
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) displayName?: string;
  @IsOptional() @IsIn(ROLE_NAMES) role?: StaffRole;
  @IsOptional() @IsBoolean() active?: boolean;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) password?: string;
}

@ApiFromValidation()
export class CreateApiKeyDto {
  @IsInt() @Min(1) @Max(2_147_483_647) userId: number;
  @IsString() @IsNotEmpty() @MaxLength(100) name: string;
}
