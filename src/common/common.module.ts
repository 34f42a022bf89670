import { Global, Module } from '@nestjs/common';
import { Clock } from './clock.js';

/** Process-wide services with a side effect worth replacing in tests (the clock). */
@Global()
@Module({})
export class CommonModule {
  static forRoot(clock: Clock = new Clock()) {
    return { module: CommonModule, providers: [{ provide: Clock, useValue: clock }], exports: [Clock] };
  }
}
