import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { Clock } from '../../common/clock.js';
import { Database } from '../../database/database.js';
import { notFound } from '../../http/app-error.js';
import { JobRunner } from '../../jobs/job-runner.js';
import { addDays, chinaDate, chinaDayEnd, chinaDayStart } from '../../domain/china-time.js';
import { PublishedReads } from '../../published/published-reads.js';
import { ChangesService } from '../api/changes.service.js';
import { ExportsService } from '../exports/exports.service.js';
import { BulkFile } from './bulk-file.entity.js';

/**
 * A day is written this long after it ends in China Standard Time: a publication's time is taken just before
 * its transaction commits, so one stamped 23:59:59 may commit a moment after midnight.
 */
export const BULK_GRACE_MS = 15 * 60 * 1000;
const JOB = 'bulk-files';
const JOB_EVERY_MS = 10 * 60 * 1000;
/** Days written per run, so a first run over years of history does not hold the lease for long. */
const DAYS_PER_RUN = 400;

export type BulkFileInfo = Omit<BulkFile, 'bytes'>;

/**
 * Daily bulk files: gzip JSON Lines of the day's change-feed entries and gzip CSV of the day's notices, one
 * pair per CST day from the first publication on. A day's files are written once the day is over and never
 * change (insert-only; a duplicate insert by another instance is ignored); their bytes are in the database.
 */
@Injectable()
export class BulkService implements OnApplicationBootstrap {
  private readonly logger = new Logger('bulk-files');

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly changes: ChangesService,
    private readonly reads: PublishedReads,
    private readonly exports: ExportsService,
    private readonly jobs: JobRunner,
  ) {}

  onApplicationBootstrap() {
    // Scheduled only when JOBS_ENABLED (JobRunner), on one instance at a time.
    this.jobs.register(JOB, JOB_EVERY_MS, () => this.writeMissingDays());
  }

  /** The last CST day that is over (plus the grace period) at `now`. */
  lastFinishedDay(now: Date): string {
    return addDays(chinaDate(new Date(now.getTime() - BULK_GRACE_MS)), -1);
  }

  /** Writes every finished day that has no files yet; returns the days written. */
  async writeMissingDays(): Promise<string[]> {
    const first = await this.reads.firstLogEntry();
    if (!first) return [];
    const latest = await this.db.manager
      .createQueryBuilder(BulkFile, 'f')
      .select('MAX(f.day)', 'day')
      .getRawOne<{ day: string | null }>();
    const last = this.lastFinishedDay(this.clock.now());
    const written: string[] = [];
    for (
      let day = latest?.day ? addDays(latest.day, 1) : chinaDate(first.recordedAt);
      day <= last && written.length < DAYS_PER_RUN;
      day = addDays(day, 1)
    ) {
      await this.writeDay(day);
      written.push(day);
    }
    if (written.length)
      this.logger.log(`wrote ${written.length} day(s), ${written[0]} to ${written[written.length - 1]}`);
    return written;
  }

  private async writeDay(day: string) {
    const from = chinaDayStart(day);
    const to = chinaDayEnd(day);
    const entries = this.changes.entries(await this.reads.changesRecordedBetween(from, to));
    const jsonl = entries.map((e) => `${JSON.stringify(e)}\n`).join('');
    const csv = await this.collect((out) =>
      this.exports.write('notices', this.exports.filterFor('notices', { from: day, to: day }), out, () => false),
    );
    const now = this.clock.now();
    const file = (kind: BulkFile['kind'], name: string, plain: Buffer, items: number) => {
      const bytes = gzipSync(plain);
      return {
        name,
        day,
        kind,
        contentType: 'application/gzip',
        bytes,
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        items,
        createdAt: now,
      };
    };
    const csvRows = entries.filter(
      (e) => e.notice.publishedAt && chinaDate(new Date(e.notice.publishedAt)) === day,
    ).length;
    const files = [
      file('changes', `changes-${day}.jsonl.gz`, Buffer.from(jsonl, 'utf8'), entries.length),
      file('notices', `notices-${day}.csv.gz`, csv, csvRows),
    ];
    // Another instance may have written the same day meanwhile: its bytes stand, ours are dropped.
    await this.db.transaction((em) =>
      em.createQueryBuilder().insert().into(BulkFile).values(files).orIgnore().execute(),
    );
  }

  private async collect(write: (out: Writable) => Promise<void>): Promise<Buffer> {
    const chunks: Buffer[] = [];
    const out = new Writable({
      write(chunk: Buffer, _enc, cb) {
        chunks.push(Buffer.from(chunk));
        cb();
      },
    });
    await write(out);
    return Buffer.concat(chunks);
  }

  list(): Promise<BulkFileInfo[]> {
    return this.db.manager.find(BulkFile, { order: { day: 'DESC', name: 'ASC' } });
  }

  async file(name: string): Promise<BulkFile> {
    const file = await this.db.manager
      .createQueryBuilder(BulkFile, 'f')
      .addSelect('f.bytes')
      .where('f.name = :name', { name })
      .getOne();
    if (!file) throw notFound('文件');
    return file;
  }
}
