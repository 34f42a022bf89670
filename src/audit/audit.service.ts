import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { Database } from '../database/database.js';
import { validationFailed } from '../http/app-error.js';
import { currentRequestId } from '../http/request-id.js';
import { chinaDateTimeIso, chinaDayEnd, chinaDayStart } from '../domain/china-time.js';
import { auditImageOf } from './audit-images.js';
import { AuditLogEntry } from './audit-log.entity.js';

/** Who made a change, as far as the log records it (auth's Actor is one; the audit log sits below auth). */
export interface AuditActor {
  /** 0 for the system (no staff_user row). */
  userId: number;
  username: string;
  via: string;
  ip: string | null;
}

@Injectable()
export class AuditService {
  constructor(
    private readonly clock: Clock,
    private readonly db: Database,
  ) {}

  /**
   * Records one change inside the caller's transaction (`em`), so the change and its audit entry commit or roll
   * back together. Images are stored without secrets (password and key hashes, tokens). The entry carries the id
   * of the request being served (null in jobs and scripts).
   */
  async record(
    em: EntityManager,
    actor: AuditActor,
    action: string,
    entityType: string,
    entityId: string,
    before: unknown,
    after: unknown,
  ): Promise<void> {
    await em.insert(AuditLogEntry, {
      at: this.clock.now(),
      actorId: actor.userId > 0 ? actor.userId : null,
      actorName: actor.username,
      via: actor.via.slice(0, 32),
      action,
      entityType,
      entityId: String(entityId),
      // images are plain JSON values; the cast only satisfies TypeORM's partial-entity type
      before: auditImageOf(entityType, before) as object,
      after: auditImageOf(entityType, after) as object,
      ip: actor.ip ? actor.ip.slice(0, 64) : null,
      requestId: currentRequestId(),
    });
  }

  /** Newest first, keyset-paged by id: `nextBefore` is the `before` of the following page (null at the end). */
  async search(filter: AuditFilter) {
    if (filter.from && filter.to && filter.from > filter.to) {
      throw validationFailed([{ field: 'to', message: '结束日期不能早于开始日期' }]);
    }
    const limit = filter.limit ?? 50;
    const qb = this.db.manager
      .createQueryBuilder(AuditLogEntry, 'a')
      .orderBy('a.id', 'DESC')
      .take(limit + 1);
    if (filter.actor) qb.andWhere('a.actorName = :actor', { actor: filter.actor });
    if (filter.action) qb.andWhere('a.action = :action', { action: filter.action });
    if (filter.entityType) qb.andWhere('a.entityType = :entityType', { entityType: filter.entityType });
    if (filter.entityId) qb.andWhere('a.entityId = :entityId', { entityId: filter.entityId });
    if (filter.from) qb.andWhere('a.at >= :from', { from: chinaDayStart(filter.from) });
    if (filter.to) qb.andWhere('a.at <= :to', { to: chinaDayEnd(filter.to) });
    if (filter.before) qb.andWhere('a.id < :before', { before: filter.before });
    const rows = await qb.getMany();
    const page = rows.slice(0, limit);
    return {
      items: page.map((a) => ({
        id: a.id,
        at: chinaDateTimeIso(a.at),
        actor: { id: a.actorId, username: a.actorName },
        via: a.via,
        action: a.action,
        entityType: a.entityType,
        entityId: a.entityId,
        before: a.before ?? null,
        after: a.after ?? null,
        ip: a.ip,
        requestId: a.requestId,
      })),
      nextBefore: rows.length > limit ? page[page.length - 1].id : null,
    };
  }
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  /** Inclusive dates (YYYY-MM-DD) in China Standard Time. */
  from?: string;
  to?: string;
  limit?: number;
  before?: number;
}
