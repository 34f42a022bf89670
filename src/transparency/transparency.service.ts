import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { Database } from '../database/database.js';
import { validationFailed, type FieldError } from '../http/app-error.js';
import { chinaDateTimeIso } from '../domain/china-time.js';
import { unknownParam } from '../trading/notice-filter.js';
import { checkpointStatement } from './canonical.js';
import { TransparencyCheckpoint, TransparencySigningKey } from './checkpoint.entity.js';
import { PublicationLogEntry, PublicationLogHead } from './publication-log.entity.js';
import {
  generateSigningKey,
  parsePrivateKey,
  privateKeyPem,
  signingKey,
  signStatement,
  type SigningKey,
} from '../config/signing-key.js';

/**
 * One log entry as the public API serves it; the verifier recomputes entryHash from exactly these fields. An
 * annual-report entry has no notice or project (null) and carries `reportYear`, the year whose frozen report
 * (/reports/annual/{year}.json) its contentHash covers; a notice entry has no `reportYear`.
 */
export interface LogEntryView {
  seq: number;
  kind: string;
  noticeId: string | null;
  projectId: string | null;
  reportYear?: number;
  recordedAt: string;
  contentHash: string;
  prevHash: string;
  entryHash: string;
}

/** A signed checkpoint: `signature` is Ed25519 over checkpointStatement({ platform, seq, hash, time }). */
export interface CheckpointView {
  seq: number;
  hash: string;
  time: string;
  platform: string;
  keyFingerprint: string;
  signature: string;
}

export interface PublicKeyView {
  fingerprint: string;
  algorithm: 'Ed25519';
  publicKeyPem: string;
  current: boolean;
  since: string;
}

export interface Paging {
  after: number;
  limit: number;
}

export const MAX_PAGE = 1000;

/** `after` (a seq, default 0) and `limit` (1–1000, default 100) from a query string; 400 on anything else, unknown parameters included. */
export function parsePaging(query: Record<string, unknown>, defaultLimit = 100): Paging {
  const errors: FieldError[] = [];
  const integer = (name: string, fallback: number, min: number, max: number) => {
    const raw = query[name];
    if (raw === undefined) return fallback;
    if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      errors.push({ field: name, message: `应为 ${min} 到 ${max} 之间的整数，且只出现一次` });
      return fallback;
    }
    return Number(raw);
  };
  for (const key of Object.keys(query)) if (key !== 'after' && key !== 'limit') errors.push(unknownParam(key));
  const paging = {
    after: integer('after', 0, 0, Number.MAX_SAFE_INTEGER),
    limit: integer('limit', defaultLimit, 1, MAX_PAGE),
  };
  if (errors.length) throw validationFailed(errors, '分页参数不正确');
  return paging;
}

/**
 * The publication log as the public sees it, and its signed checkpoints. Checkpoints are what make a rewrite
 * of the whole chain detectable: whoever saved one can check it against today's log.
 */
@Injectable()
export class TransparencyService {
  private keyPromise?: Promise<SigningKey>;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async head(): Promise<{ seq: number; hash: string; recordedAt: string | null }> {
    return this.db.consistentRead(async (em) => {
      const head = await em.findOneByOrFail(PublicationLogHead, { id: 1 });
      const last = head.seq ? await em.findOneBy(PublicationLogEntry, { seq: head.seq }) : null;
      return { seq: head.seq, hash: head.hash, recordedAt: last ? chinaDateTimeIso(last.recordedAt) : null };
    });
  }

  /** Entries after `after` in seq order; `next` is the `after` of the following page (unchanged when empty). */
  async log({ after, limit }: Paging): Promise<{ items: LogEntryView[]; next: number }> {
    const rows = await this.db.consistentRead((em) =>
      em
        .createQueryBuilder(PublicationLogEntry, 'l')
        .where('l.seq > :after', { after })
        .orderBy('l.seq', 'ASC')
        .limit(limit)
        .getMany(),
    );
    return { items: rows.map(logEntryView), next: rows.length ? rows[rows.length - 1].seq : after };
  }

  /**
   * The annual-report entries, newest first (/transparency lists them): read by the report-year index, whatever
   * the number of notice entries.
   */
  async annualReportEntries(): Promise<LogEntryView[]> {
    const rows = await this.db.consistentRead((em) =>
      em
        .createQueryBuilder(PublicationLogEntry, 'l')
        .where('l.report_year IS NOT NULL')
        .orderBy('l.report_year', 'DESC')
        .addOrderBy('l.seq', 'DESC')
        .getMany(),
    );
    return rows.map(logEntryView);
  }

  /** The latest entry of a year's report (its publication), or null when it has none. */
  async annualReportEntry(year: number, em = this.db.manager): Promise<LogEntryView | null> {
    const row = await em
      .createQueryBuilder(PublicationLogEntry, 'l')
      .where('l.report_year = :year', { year })
      .orderBy('l.seq', 'DESC')
      .limit(1)
      .getOne();
    return row ? logEntryView(row) : null;
  }

  async checkpoints({ after, limit }: Paging): Promise<{ items: CheckpointView[]; next: number }> {
    const rows = await this.db.consistentRead((em) =>
      em
        .createQueryBuilder(TransparencyCheckpoint, 'c')
        .where('c.seq > :after', { after })
        .orderBy('c.seq', 'ASC')
        .limit(limit)
        .getMany(),
    );
    return { items: rows.map(checkpointView), next: rows.length ? rows[rows.length - 1].seq : after };
  }

  async recentCheckpoints(count: number): Promise<CheckpointView[]> {
    const rows = await this.db.consistentRead((em) =>
      em.createQueryBuilder(TransparencyCheckpoint, 'c').orderBy('c.seq', 'DESC').limit(count).getMany(),
    );
    return rows.map(checkpointView);
  }

  /** The newest signed checkpoint, or null before the first: sent with every upstream push. */
  async latestCheckpoint(): Promise<CheckpointView | null> {
    return (await this.recentCheckpoints(1))[0] ?? null;
  }

  /** Every key that has signed checkpoints, the current one marked. */
  async publicKeys(): Promise<PublicKeyView[]> {
    const current = await this.signingKey();
    const rows = await this.db.consistentRead((em) => em.find(TransparencySigningKey, { order: { createdAt: 'ASC' } }));
    return rows.map((k) => ({
      fingerprint: k.fingerprint,
      algorithm: 'Ed25519',
      publicKeyPem: k.publicKeyPem,
      current: k.fingerprint === current.fingerprint,
      since: chinaDateTimeIso(k.createdAt),
    }));
  }

  /**
   * Signs and records the head when it has moved since the last checkpoint. Safe on several instances: the
   * checkpoint's seq is its primary key and the insert ignores a row another instance recorded first.
   */
  async recordCheckpoint(): Promise<CheckpointView | null> {
    const key = await this.signingKey();
    return this.db.transaction(async (em) => {
      const head = await em.findOneByOrFail(PublicationLogHead, { id: 1 });
      const latest = await em
        .createQueryBuilder(TransparencyCheckpoint, 'c')
        .orderBy('c.seq', 'DESC')
        .limit(1)
        .getOne();
      if (head.seq === 0 || (latest && latest.seq >= head.seq)) return null;
      const recordedAt = this.clock.now();
      const statement = checkpointStatement({
        platform: this.config.platformCode,
        seq: head.seq,
        hash: head.hash,
        time: chinaDateTimeIso(recordedAt),
      });
      await em
        .createQueryBuilder()
        .insert()
        .into(TransparencyCheckpoint)
        .values({
          seq: head.seq,
          hash: head.hash,
          recordedAt,
          platform: this.config.platformCode,
          keyFingerprint: key.fingerprint,
          signature: signStatement(key.privateKey, statement),
        })
        .orIgnore()
        .execute();
      return checkpointView(await em.findOneByOrFail(TransparencyCheckpoint, { seq: head.seq }));
    });
  }

  /** LOG_SIGNING_KEY when set; otherwise the key generated by whichever instance got there first. */
  signingKey(): Promise<SigningKey> {
    this.keyPromise ??= this.loadSigningKey().catch((e) => {
      this.keyPromise = undefined;
      throw e;
    });
    return this.keyPromise;
  }

  private async loadSigningKey(): Promise<SigningKey> {
    if (this.config.logSigningKey) {
      const key = signingKey(parsePrivateKey(this.config.logSigningKey));
      await this.insertKey(key, false);
      return key;
    }
    const generated = () => this.db.consistentRead((em) => em.findOneBy(TransparencySigningKey, { generated: 1 }));
    let row = await generated();
    if (!row) {
      await this.insertKey(generateSigningKey(), true);
      row = await generated();
    }
    return signingKey(parsePrivateKey(row!.privateKeyPem!));
  }

  private insertKey(key: SigningKey, generated: boolean) {
    return this.db.transaction((em) =>
      em
        .createQueryBuilder()
        .insert()
        .into(TransparencySigningKey)
        .values({
          fingerprint: key.fingerprint,
          publicKeyPem: key.publicKeyPem,
          // A configured key's private half stays in the environment, never in the database.
          privateKeyPem: generated ? privateKeyPem(key.privateKey) : null,
          generated: generated ? 1 : null,
          createdAt: this.clock.now(),
        })
        .orIgnore()
        .execute(),
    );
  }
}

export function logEntryView(e: PublicationLogEntry): LogEntryView {
  return {
    seq: e.seq,
    kind: e.kind,
    noticeId: e.noticeId,
    projectId: e.projectId,
    ...(e.reportYear === null ? {} : { reportYear: e.reportYear }),
    recordedAt: chinaDateTimeIso(e.recordedAt),
    contentHash: e.contentHash,
    prevHash: e.prevHash,
    entryHash: e.entryHash,
  };
}

function checkpointView(c: TransparencyCheckpoint): CheckpointView {
  return {
    seq: c.seq,
    hash: c.hash,
    time: chinaDateTimeIso(c.recordedAt),
    platform: c.platform,
    keyFingerprint: c.keyFingerprint,
    signature: c.signature,
  };
}
