import { Global, Module } from '@nestjs/common';
import { AppConfig } from './config.js';

export const APP_CONFIG = Symbol('APP_CONFIG');

/** The validated configuration, read once in main.ts (or by a test) and provided everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig) {
    return { module: ConfigModule, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] };
  }
}
