import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { Database } from '../database/database.js';

/**
 * The version of everything the public sees: the publication log's head (every publication, correction and
 * withdrawal moves it) and the settings version (timing rules, calendar: settings-version.ts). Both only grow.
 */
export interface PublicVersion {
  head: number;
  settings: number;
}

export const sameVersion = (a: PublicVersion, b: PublicVersion) => a.head === b.head && a.settings === b.settings;

// Two primary-key lookups in one round trip.
const VERSION_SQL =
  'SELECT (SELECT seq FROM publication_log_head WHERE id = 1) AS head, (SELECT version FROM settings_version WHERE id = 1) AS settings';

/**
 * The newest public version this instance knows of, kept in memory: polled from the database (so a publication
 * on another instance is seen within one interval), raised at once after a local publication commits, and
 * raised by every render that read a newer one.
 */
@Injectable()
export class PublicVersionSource implements OnApplicationBootstrap, OnModuleDestroy {
  private known: PublicVersion | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  private readonly logger = new Logger('PublicVersion');
  private pollFailing = false;

  constructor(
    private readonly db: Database,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The newest version known here; null before the first read. */
  get current(): PublicVersion | null {
    return this.known;
  }

  /** Reads the version through `em` (a render's snapshot: call it first there) and makes it known. */
  async read(em: EntityManager): Promise<PublicVersion> {
    const [row] = (await em.query(VERSION_SQL)) as { head: unknown; settings: unknown }[];
    const version = { head: Number(row?.head ?? 0), settings: Number(row?.settings ?? 0) };
    this.advance(version);
    return version;
  }

  /** Reads the committed version now (the poll, and after a local publication). */
  refresh(): Promise<PublicVersion> {
    return this.db.consistentRead((em) => this.read(em));
  }

  private advance(v: PublicVersion) {
    // A lagging replica may answer an older version than one already seen: never go back.
    this.known = this.known
      ? { head: Math.max(this.known.head, v.head), settings: Math.max(this.known.settings, v.settings) }
      : v;
  }

  async onApplicationBootstrap() {
    if (!this.config.cache.enabled) return;
    this.db.onPublicChange(async () => {
      await this.refresh();
    });
    await this.refresh();
    // unref: the poll never keeps the process alive; onModuleDestroy stops it before the database closes.
    this.timer = setInterval(() => void this.poll(), this.config.cache.pollMs).unref();
  }

  onModuleDestroy() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async poll() {
    if (this.polling) return;
    this.polling = true;
    try {
      await this.refresh();
      if (this.pollFailing) this.logger.log('reading the public version works again');
      this.pollFailing = false;
    } catch (e) {
      if (!this.pollFailing) this.logger.warn(`cannot read the public version: ${(e as Error).message}`);
      this.pollFailing = true;
    } finally {
      this.polling = false;
    }
  }
}
