import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditModule } from '../audit/audit.module.js';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiKeysService } from './api-keys.service.js';
import { LoginThrottle } from './login-throttle.js';
import { SecondFactorService } from './second-factor.service.js';
import { SessionController } from './session.controller.js';
import { StaffSessionsService } from './staff-sessions.service.js';
import { StaffUsersService } from './staff-users.service.js';
import { StaffAuthenticator } from './staff-auth.js';
import { StaffAuthGuard } from './staff-auth.guard.js';
import { UsersController } from './users.controller.js';
import { ApiKey } from './api-key.entity.js';
import { AppSetting, LoginChallenge, LoginThrottleRow, StaffSecondFactor } from './staff-security.entities.js';
import { StaffSession } from './staff-session.entity.js';
import { StaffUser } from './staff-user.entity.js';

/** The tables this module owns (composed into the one DataSource by app.module.ts). */
export const AUTH_ENTITIES = [
  StaffUser,
  ApiKey,
  StaffSession,
  LoginThrottleRow,
  StaffSecondFactor,
  LoginChallenge,
  AppSetting,
];

/** Staff accounts, sessions, API keys and the global guard that closes /api/admin to anyone not signed in. */
@Module({
  imports: [AuditModule],
  controllers: [SessionController, UsersController, ApiKeysController],
  providers: [
    StaffUsersService,
    StaffSessionsService,
    ApiKeysService,
    StaffAuthenticator,
    LoginThrottle,
    SecondFactorService,
    { provide: APP_GUARD, useClass: StaffAuthGuard },
  ],
  exports: [StaffUsersService, StaffSessionsService, ApiKeysService, StaffAuthenticator, SecondFactorService],
})
export class AuthModule {}
