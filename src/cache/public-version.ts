import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { Database } from '../database/database.js';
import { sqlDateTime } from '../database/dialect.js';
import { filterKeys } from '../trading/search-grams.js';

/**
 * The version of everything the public sees: the publication log's head (every publication, correction and
 * withdrawal moves it) and the settings version (timing rules, calendar: settings-version.ts). Both only grow.
 */
export interface PublicVersion {
  head: number;
  settings: number;
  /** When the head's entry was recorded (null: an empty log); not part of the version's identity. */
  headAt?: Date | null;
}

export const sameVersion = (a: PublicVersion, b: PublicVersion) => a.head === b.head && a.settings === b.settings;

// Three primary-key lookups in one round trip: the head, the settings version, and when the head was recorded.
const VERSION_SQL =
  'SELECT (SELECT seq FROM publication_log_head WHERE id = 1) AS head, (SELECT version FROM settings_version WHERE id = 1) AS settings, ' +
  '(SELECT recorded_at FROM publication_log WHERE seq = (SELECT seq FROM publication_log_head WHERE id = 1)) AS head_at';

/** Log entries read at most in one refresh; a larger jump starts afresh (MAX_CHANGES_READ). */
const MAX_CHANGES_READ = 5_000;
/** Sets remembered as changed; past this, the memory starts afresh (and responses scoped to a set with it). */
const MAX_KEYS_TRACKED = 200_000;

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
  /**
   * The sets of notices that log entries read here (by refresh) fell in — their project (`project:<id>`) and the
   * filter keys of their category and region — each with the seq of its newest such entry.
   */
  private readonly keyChanges = new Map<string, number>();
  /** Every log entry with seq ≤ this has been read into keyChanges, from `horizon` on. */
  private changesReadThrough = 0;
  /** keyChanges holds the entries after this head; a response rendered before it cannot be judged by them. */
  private horizon: number | null = null;

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
    const [row] = (await em.query(VERSION_SQL)) as { head: unknown; settings: unknown; head_at: unknown }[];
    const version = {
      head: Number(row?.head ?? 0),
      settings: Number(row?.settings ?? 0),
      headAt: sqlDateTime(row?.head_at),
    };
    this.advance(version);
    return version;
  }

  /**
   * Whether a response rendered at `version` that shows only the notices of one set (RenderScope.key) is still
   * current: the settings have not changed and no log entry in that set was read since its head. Unknown means
   * no: when a render has seen a newer head than the log entries read so far, or the response is older than what
   * keyChanges remembers.
   */
  keyCurrent(version: PublicVersion, key: string): boolean {
    const known = this.known;
    if (!known || this.horizon === null || version.settings !== known.settings) return false;
    if (this.changesReadThrough < known.head || version.head < this.horizon) return false;
    return (this.keyChanges.get(key) ?? 0) <= version.head;
  }

  /**
   * Reads the committed version now (the poll, and after a local publication), and the sets the log entries
   * since the last read fall in, so responses that show only other sets stay valid.
   */
  refresh(): Promise<PublicVersion> {
    return this.db.consistentRead(async (em) => {
      const version = await this.read(em);
      await this.readKeyChanges(em, version.head);
      return version;
    });
  }

  private async readKeyChanges(em: EntityManager, head: number) {
    const from = this.changesReadThrough;
    if (this.horizon === null || head - from > MAX_CHANGES_READ) {
      // First read, or too many entries at once (an import): forget, and judge only responses rendered from here.
      this.keyChanges.clear();
      this.horizon = head;
      this.changesReadThrough = Math.max(this.changesReadThrough, head);
      return;
    }
    if (head <= from) return;
    // A correction or a withdrawal is of its project's category and region, as the notice it changes is.
    const rows = (await em.query(
      `SELECT l.seq, l.project_id, n.category, n.region_code FROM publication_log l JOIN notice n ON n.id = l.notice_id
       WHERE l.seq > ? AND l.seq <= ? ORDER BY l.seq`,
      [from, head],
    )) as { seq: unknown; project_id: string; category: string; region_code: string }[];
    for (const r of rows) {
      const seq = Number(r.seq);
      for (const key of [`project:${r.project_id}`, ...filterKeys(r.category, r.region_code)])
        if (seq > (this.keyChanges.get(key) ?? 0)) this.keyChanges.set(key, seq);
    }
    if (this.keyChanges.size > MAX_KEYS_TRACKED) {
      this.keyChanges.clear();
      this.horizon = head;
    }
    this.changesReadThrough = Math.max(this.changesReadThrough, head);
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
