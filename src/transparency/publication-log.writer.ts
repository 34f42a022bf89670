import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Database } from '../database/database.js';
import { forUpdate } from '../database/dialect.js';
import { entryHash } from './canonical.js';
import {
  ANNUAL_REPORT_KIND,
  NoticeEventKind,
  NoticeLogEntry,
  PublicationLogEntry,
  PublicationLogHead,
} from './publication-log.entity.js';

/**
 * Appends to the publication log inside the publishing transaction. The head row is locked until commit, so
 * appends are numbered in commit order: a reader that has seen seq n has seen every entry below n. That is
 * what makes the change feed exact under concurrent publishing (auto-increment ids and NOW() are assigned
 * before commit and would not be).
 */
@Injectable()
export class PublicationLogWriter {
  constructor(private readonly db: Database) {}

  /** A notice's publication, correction or withdrawal. */
  async append(
    em: EntityManager,
    e: { kind: NoticeEventKind; noticeId: string; projectId: string; recordedAt: Date; contentHash: string },
  ): Promise<NoticeLogEntry> {
    return (await this.write(em, { ...e, reportYear: null })) as NoticeLogEntry;
  }

  /**
   * A published yearly report, `contentHash` being the SHA-256 of its frozen canonical JSON. Never a notice: the
   * entry names no notice or project, only the report's year.
   */
  appendAnnualReport(
    em: EntityManager,
    r: { year: number; recordedAt: Date; contentHash: string },
  ): Promise<PublicationLogEntry> {
    return this.write(em, {
      kind: ANNUAL_REPORT_KIND,
      noticeId: null,
      projectId: null,
      reportYear: r.year,
      recordedAt: r.recordedAt,
      contentHash: r.contentHash,
    });
  }

  private async write(
    em: EntityManager,
    e: Omit<PublicationLogEntry, 'seq' | 'prevHash' | 'entryHash'>,
  ): Promise<PublicationLogEntry> {
    const head = await forUpdate(
      em.createQueryBuilder(PublicationLogHead, 'h').where('h.id = 1'),
      this.db.dialect,
    ).getOneOrFail();
    const seq = head.seq + 1;
    const entry = em.create(PublicationLogEntry, { ...e, seq, prevHash: head.hash, entryHash: '' });
    entry.entryHash = entryHash(entry);
    await em.insert(PublicationLogEntry, entry);
    await em.update(PublicationLogHead, { id: 1 }, { seq, hash: entry.entryHash });
    // The head moved: once this commits, cached public responses of the old head are no longer served.
    this.db.markPublicChange(em);
    return entry;
  }
}
