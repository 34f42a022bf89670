import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DialectName, dialectOf } from './dialect.js';

export const DATA_SOURCE = Symbol('DATA_SOURCE');

/** A promise queue: one holder at a time, in arrival order. */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/**
 * The application's handle on the database. Write transactions go through `transaction`: on MySQL a real
 * connection-level transaction; on SQLite, whose TypeORM driver shares one connection, transactions are queued
 * so they never interleave, and `consistentRead` waits for them so no reader sees a half-written change.
 */
@Injectable()
export class Database {
  readonly dialect: DialectName;
  private readonly sqliteQueue = new Mutex();

  constructor(@Inject(DATA_SOURCE) readonly dataSource: DataSource) {
    this.dialect = dialectOf(dataSource);
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    if (this.dialect === 'sqlite') return this.sqliteQueue.run(() => this.dataSource.transaction(work));
    return this.dataSource.transaction('READ COMMITTED', work);
  }

  /** Reads that must only see committed data (the change feed, the log). */
  consistentRead<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    if (this.dialect === 'sqlite') return this.sqliteQueue.run(() => work(this.dataSource.manager));
    return work(this.dataSource.manager);
  }

  async ping(): Promise<boolean> {
    try {
      await this.dataSource.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }
}
