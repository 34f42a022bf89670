import { Inject, Injectable, Logger } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';
import { DialectName, dialectOf } from './dialect.js';

export const DATA_SOURCE = Symbol('DATA_SOURCE');

/**
 * Readers share, a writer is alone, in arrival order: a writer waiting keeps later readers out, so a stream of
 * reads never starves a publication.
 */
class ReadWriteLock {
  private readers = 0;
  private writing = false;
  private readonly waiting: { write: boolean; start: () => void }[] = [];

  read<T>(fn: () => Promise<T>): Promise<T> {
    return this.hold(false, fn);
  }

  write<T>(fn: () => Promise<T>): Promise<T> {
    return this.hold(true, fn);
  }

  private async hold<T>(write: boolean, fn: () => Promise<T>): Promise<T> {
    if (!this.admits(write)) await new Promise<void>((start) => this.waiting.push({ write, start }));
    else this.enter(write);
    try {
      return await fn();
    } finally {
      if (write) this.writing = false;
      else this.readers--;
      this.wake();
    }
  }

  private admits(write: boolean): boolean {
    return !this.writing && this.waiting.length === 0 && (!write || this.readers === 0);
  }

  private enter(write: boolean) {
    if (write) this.writing = true;
    else this.readers++;
  }

  private wake() {
    while (this.waiting.length && !this.writing && (!this.waiting[0].write || this.readers === 0)) {
      const next = this.waiting.shift()!;
      this.enter(next.write);
      next.start();
      if (next.write) return;
    }
  }
}

/**
 * The application's handle on the database. Write transactions go through `transaction`: on MySQL a real
 * connection-level transaction; on SQLite, whose TypeORM driver shares one connection, transactions take turns
 * (a write lock) so they never interleave, and `consistentRead` and `readSnapshot` hold a read lock, so no reader
 * sees a half-written change.
 */
@Injectable()
export class Database {
  readonly dialect: DialectName;
  private readonly sqliteLock = new ReadWriteLock();
  /** The manager of the read snapshot the current call chain runs in (see readSnapshot). */
  private readonly snapshot = new AsyncLocalStorage<EntityManager>();
  private readonly publicChanges = new WeakSet<EntityManager>();
  private readonly publicChangeListeners: (() => Promise<void>)[] = [];
  private readonly logger = new Logger('Database');
  private replicaFailing = false;

  constructor(@Inject(DATA_SOURCE) readonly dataSource: DataSource) {
    this.dialect = dialectOf(dataSource);
  }

  /** The connection's manager; inside `readSnapshot`, the snapshot's, so every read there sees the same state. */
  get manager(): EntityManager {
    return this.snapshot.getStore() ?? this.dataSource.manager;
  }

  async transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    // A render labelled with one version must not change data (and on SQLite would wait for itself forever).
    if (this.snapshot.getStore()) throw new Error('a write transaction was started inside a read snapshot');
    let manager: EntityManager | undefined;
    const run = (em: EntityManager) => {
      manager = em;
      return work(em);
    };
    const result =
      this.dialect === 'sqlite'
        ? await this.sqliteLock.write(() => this.dataSource.transaction(run))
        : await this.dataSource.transaction('READ COMMITTED', run);
    if (manager && this.publicChanges.has(manager)) await this.afterPublicChange();
    return result;
  }

  /** Reads that must only see committed data (the change feed, the log). */
  consistentRead<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    const within = this.snapshot.getStore();
    if (within) return work(within);
    if (this.dialect === 'sqlite') return this.sqliteLock.read(() => work(this.dataSource.manager));
    return work(this.dataSource.manager);
  }

  /**
   * Runs `work` on one consistent state of the database: everything it reads through `manager` (any service's)
   * comes from the same snapshot, so a version read first labels exactly the content read after it.
   * - MySQL/MariaDB: a REPEATABLE READ transaction on one connection; its snapshot is taken at the first read.
   * - SQLite: one connection for everybody, so a read lock keeps write transactions out until `work` is done.
   * `replica`: on a replica when there are any (MySQL/MariaDB, DATABASE_REPLICA_URLS): only for anonymous public
   * reads, which may lag the primary by the replica's delay; a staff member's reads and the change feed never ask.
   */
  readSnapshot<T>(work: (em: EntityManager) => Promise<T>, options: { replica?: boolean } = {}): Promise<T> {
    const within = this.snapshot.getStore();
    if (within) return work(within);
    if (this.dialect === 'sqlite') {
      const em = this.dataSource.manager;
      return this.sqliteLock.read(() => this.snapshot.run(em, () => work(em)));
    }
    if (options.replica && this.hasReplicas) return this.replicaSnapshot(work);
    return this.dataSource.transaction('REPEATABLE READ', (em) => this.snapshot.run(em, () => work(em)));
  }

  /**
   * Reads that may come from a replica (an anonymous visitor's page that is not cached): in a snapshot on a
   * replica when there are replicas (DATABASE_REPLICA_URLS), else as they are, on the primary.
   */
  readFromReplica<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    const within = this.snapshot.getStore();
    if (within) return work(within);
    return this.hasReplicas ? this.replicaSnapshot(work) : work(this.manager);
  }

  /** MySQL/MariaDB with DATABASE_REPLICA_URLS: TypeORM replication, every query on the primary unless sent here. */
  get hasReplicas(): boolean {
    return this.dataSource.options.type === 'mysql' && this.dataSource.options.replication !== undefined;
  }

  /**
   * A REPEATABLE READ snapshot on one replica connection: the version read first there labels exactly what that
   * replica holds, however far behind the primary it is. With no replica reachable, the primary's snapshot.
   */
  private async replicaSnapshot<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner('slave');
    try {
      await runner.connect();
      await runner.startTransaction('REPEATABLE READ');
    } catch (e) {
      await runner.release().catch(() => undefined);
      if (!this.replicaFailing) this.logger.warn(`no replica answers, reading the primary: ${(e as Error).message}`);
      this.replicaFailing = true;
      return this.dataSource.transaction('REPEATABLE READ', (em) => this.snapshot.run(em, () => work(em)));
    }
    if (this.replicaFailing) this.logger.log('a replica answers again');
    this.replicaFailing = false;
    try {
      const result = await this.snapshot.run(runner.manager, () => work(runner.manager));
      await runner.commitTransaction();
      return result;
    } catch (e) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw e;
    } finally {
      await runner.release();
    }
  }

  /**
   * Marks the write transaction `em` as changing what the public sees (the publication log's head, a setting
   * pages show): once it commits, and before `transaction` returns, every `onPublicChange` listener runs.
   */
  markPublicChange(em: EntityManager) {
    this.publicChanges.add(em);
  }

  onPublicChange(listener: () => Promise<void>) {
    this.publicChangeListeners.push(listener);
  }

  private async afterPublicChange() {
    for (const listener of this.publicChangeListeners) {
      // The change is committed: a listener's failure must not turn it into an error for the caller.
      await listener().catch((e: unknown) => this.logger.warn(`after a public change: ${(e as Error).message}`));
    }
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
