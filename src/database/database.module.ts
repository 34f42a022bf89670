import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { openDataSource, type EntityList } from './data-source.js';
import { DATA_SOURCE, Database } from './database.js';

/** The one DataSource and `Database`, global. It knows no feature: the root passes every module's entities in. */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  static forRoot(entities: EntityList): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DATA_SOURCE,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) =>
            openDataSource(config.database, entities, config.migrateOnStart ? 'run' : 'check'),
        },
        Database,
      ],
      exports: [DATA_SOURCE, Database],
    };
  }

  async onApplicationShutdown() {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
