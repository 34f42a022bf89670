import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import type { NoticeLogEntry } from '../transparency/publication-log.entity.js';
import { OutboxEntry } from './outbox.entity.js';

/**
 * Records, in the publishing transaction, one delivery per configured upstream platform: so a publication is
 * never committed without its pushes, nor a push queued for a publication that rolled back.
 */
@Injectable()
export class OutboxWriter {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async enqueue(em: EntityManager, entry: NoticeLogEntry, firstOfProject: boolean): Promise<void> {
    const rows: Partial<OutboxEntry>[] = [];
    for (const upstream of this.config.upstreams) {
      const base = {
        upstream: upstream.name,
        logSeq: entry.seq,
        projectId: entry.projectId,
        status: 'pending' as const,
        attempts: 0,
        nextAttemptAt: entry.recordedAt,
        createdAt: entry.recordedAt,
      };
      // A project's own record travels before its first notice (the receiver rejects orphans).
      if (firstOfProject)
        rows.push({
          ...base,
          kind: 'project',
          noticeId: null,
          idempotencyKey: `${this.config.platformCode}:project:${entry.projectId}`,
        });
      rows.push({
        ...base,
        kind: entry.kind,
        noticeId: entry.noticeId,
        idempotencyKey: `${this.config.platformCode}:log:${entry.seq}`,
      });
    }
    if (rows.length) await em.insert(OutboxEntry, rows);
  }
}
