import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ResponseCacheInterceptor } from './cache.interceptor.js';
import { PublicVersionSource } from './public-version.js';
import { ResponseCache } from './response-cache.js';

/** The public response cache: routes opt in with @CachedResponse(); /health reports its counters. */
@Module({
  providers: [PublicVersionSource, ResponseCache, { provide: APP_INTERCEPTOR, useClass: ResponseCacheInterceptor }],
  exports: [ResponseCache],
})
export class CacheModule {}
