import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { openDataSource } from './data-source.js';
import { DATA_SOURCE, Database } from './database.js';

@Global()
@Module({
  providers: [
    { provide: DATA_SOURCE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => openDataSource(config.database, config.migrateOnStart ? 'run' : 'check') },
    Database,
  ],
  exports: [DATA_SOURCE, Database],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async onApplicationShutdown() {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
