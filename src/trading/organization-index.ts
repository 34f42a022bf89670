import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { Database } from '../database/database.js';
import { truncateSql, upsertAddSql, sqlMarks, sqlRows } from '../database/dialect.js';
import { chinaDate } from '../domain/china-time.js';
import { Notice, storedPublishedAt } from './notice.entity.js';
import { ProjectParty } from './project-party.entity.js';
import { noticeFacts, OWNER_ROLES, partyFacts, sectionOf, totalKeys, type OrgFact } from './organization-facts.js';

export const ORG_FACT = 'org_fact';
export const ORG_NAME = 'org_name';
export const ORG_TOTAL = 'org_total';

interface Totals {
  n: number;
  fen: bigint;
  unpriced: number;
}

/**
 * The organisation index: one row per appearance of a credit code in published data (org_fact), the names each
 * code was published under (org_name), and totals kept in the publishing transaction (org_total, keys in
 * organization-facts.ts), so an organisation page reads a bounded number of rows however many notices exist.
 *
 * A withdrawal marks the withdrawn notice's facts and takes them out of the totals; names stay (they were
 * published). The index is a projection of the published notices: `npm run reindex` rebuilds it.
 */
const FACT_COLUMNS = [
  'credit_code',
  'section',
  'role',
  'award',
  'notice_id',
  'project_id',
  'notice_type',
  'lot_code',
  'name',
  'price_form',
  'price_value',
  'price_unit',
  'price_yuan',
  'place',
  'category',
  'region_code',
  'published_at',
  'withdrawn',
];

/** What a batch of publications adds to the index, written at once by `flush`. */
class Pending {
  readonly rows: unknown[][] = [];
  /** (code, name) → appearances, first and last publication. */
  readonly names = new Map<string, { code: string; name: string; n: number; first: Date; last: Date }>();
  readonly totals = new Map<string, Totals>();
  /** Notices whose facts a withdrawal marks (after this batch's own rows are in). */
  readonly withdrawn: string[] = [];

  /** A notice's facts, added (sign 1) or taken away by its withdrawal (sign -1). */
  add(notice: Notice, facts: OrgFact[], buyers: string[], sign: 1 | -1) {
    const publishedAt = notice.publishedAt!;
    if (sign === 1) {
      for (const f of facts) {
        this.rows.push([
          f.creditCode,
          sectionOf(f.role),
          f.role,
          f.award ? 1 : 0,
          notice.id,
          notice.projectId,
          notice.type,
          f.lotCode,
          f.name,
          f.price?.form ?? null,
          f.price?.value ?? null,
          f.price?.unit ?? null,
          f.price?.yuan ?? null,
          f.rank,
          notice.category,
          notice.regionCode,
          publishedAt,
          0,
        ]);
        const key = `${f.creditCode}\u0000${f.name}`;
        const seen = this.names.get(key);
        if (!seen)
          this.names.set(key, { code: f.creditCode, name: f.name, n: 1, first: publishedAt, last: publishedAt });
        else {
          seen.n++;
          if (publishedAt < seen.first) seen.first = publishedAt;
          if (publishedAt > seen.last) seen.last = publishedAt;
        }
      }
    } else this.withdrawn.push(notice.id);
    const context = { year: chinaDate(publishedAt).slice(0, 4), category: notice.category, buyers };
    for (const f of facts) {
      for (const { key, fen } of totalKeys(f, context)) {
        const t = this.totals.get(key) ?? { n: 0, fen: 0n, unpriced: 0 };
        t.n += sign;
        if (fen !== null) t.fen += BigInt(sign) * fen;
        else if (f.award && !key.startsWith('s|')) t.unpriced += sign;
        this.totals.set(key, t);
      }
    }
  }
}

@Injectable()
export class OrganizationIndex {
  constructor(private readonly db: Database) {}

  /**
   * Indexes a notice being published (the caller's transaction): its own facts, its project's parties when it is
   * the project's first publication, and a withdrawal's effect on the notice it withdraws.
   */
  async indexPublished(
    em: EntityManager,
    notice: Notice,
    firstOfProject: boolean,
    withdrawn: Notice | null,
  ): Promise<void> {
    const pending = new Pending();
    this.collect(
      pending,
      notice,
      await em.findBy(ProjectParty, { projectId: notice.projectId }),
      firstOfProject,
      withdrawn,
    );
    await this.flush(em, pending);
  }

  private collect(
    pending: Pending,
    notice: Notice,
    parties: ProjectParty[],
    firstOfProject: boolean,
    withdrawn: Notice | null,
  ) {
    const facts = [...noticeFacts(notice.type, notice.details), ...(firstOfProject ? partyFacts(parties) : [])];
    const buyers = ownerCodes(parties);
    if (facts.length) pending.add(notice, facts, buyers, 1);
    if (withdrawn) {
      const gone = noticeFacts(withdrawn.type, withdrawn.details);
      if (gone.length) pending.add(withdrawn, gone, buyers, -1);
    }
  }

  /** Writes a batch: its rows, then the withdrawals' marks, the names and the totals, each in key order. */
  private async flush(em: EntityManager, pending: Pending) {
    // Stored as the notices' own published_at is, on both databases.
    const at = (d: Date) => storedPublishedAt(em.connection, d);
    for (let i = 0; i < pending.rows.length; i += 100) {
      const chunk = pending.rows.slice(i, i + 100);
      await em.query(
        `INSERT INTO ${ORG_FACT} (${FACT_COLUMNS.join(', ')}) VALUES ${sqlRows(chunk.length, FACT_COLUMNS.length)}`,
        chunk.flatMap((r) => r.map((v) => (v instanceof Date ? at(v) : v))),
      );
    }
    for (let i = 0; i < pending.withdrawn.length; i += 100) {
      const chunk = pending.withdrawn.slice(i, i + 100);
      await em.query(
        `UPDATE ${ORG_FACT} SET withdrawn = 1 WHERE notice_id IN (${sqlMarks(chunk)}) AND withdrawn = 0`,
        chunk,
      );
    }
    // In key order, so concurrent publishers wait for each other rather than deadlock.
    const names = [...pending.names.keys()].sort().map((k) => pending.names.get(k)!);
    for (let i = 0; i < names.length; i += 500) {
      const chunk = names.slice(i, i + 500);
      await em.query(
        upsertAddSql(this.db.dialect, ORG_NAME, ['credit_code', 'name'], ['appearances'], chunk.length, {
          keep: ['first_seen'],
          latest: ['last_seen'],
        }),
        chunk.flatMap((x) => [x.code, x.name, x.n, at(x.first), at(x.last)]),
      );
    }
    const keys = [...pending.totals.keys()].filter((k) => {
      const t = pending.totals.get(k)!;
      return t.n !== 0 || t.fen !== 0n || t.unpriced !== 0;
    });
    keys.sort();
    for (let i = 0; i < keys.length; i += 500) {
      const chunk = keys.slice(i, i + 500);
      await em.query(
        upsertAddSql(this.db.dialect, ORG_TOTAL, ['total_key'], ['n', 'fen', 'unpriced'], chunk.length),
        chunk.flatMap((k) => {
          const t = pending.totals.get(k)!;
          return [k, t.n, t.fen.toString(), t.unpriced];
        }),
      );
    }
  }

  /**
   * Rebuilds the whole index from the published notices, oldest first, a batch a transaction (`npm run reindex`):
   * after an upgrade that adds it, or when the facts a notice yields change. Run it with publishing paused.
   */
  async reindexAll(options: { batchSize?: number; onProgress?: (notices: number) => void } = {}): Promise<number> {
    const batchSize = options.batchSize ?? 1000;
    for (const table of [ORG_FACT, ORG_NAME, ORG_TOTAL])
      await this.db.manager.query(truncateSql(this.db.dialect, table));
    // In publication order: by time, then by the log's sequence (notices published in the same millisecond, and a
    // withdrawal after what it withdraws). Batches are read along ix_notice_list (status, published_at, id) and end
    // on a whole instant — the rest of the last one read by its key — so each is a range of the index, ordered by
    // the log in memory (ordering by log_seq in SQL sorted everything after the cursor for every batch).
    let after: Date | undefined;
    let notices = 0;
    const seenProjects = new Set<string>();
    const published = () =>
      this.db.manager.createQueryBuilder(Notice, 'n').where('n.status = :published', { published: 'published' });
    for (;;) {
      const qb = published();
      if (after) qb.andWhere('n.published_at > :after', { after });
      const batch = await qb.orderBy('n.published_at', 'ASC').addOrderBy('n.id', 'ASC').limit(batchSize).getMany();
      if (!batch.length) break;
      const last = batch[batch.length - 1];
      if (batch.length === batchSize)
        batch.push(
          ...(await published()
            .andWhere('n.published_at = :at', { at: last.publishedAt })
            .andWhere('n.id > :id', { id: last.id })
            .orderBy('n.id', 'ASC')
            .getMany()),
        );
      batch.sort((a, b) => a.publishedAt!.getTime() - b.publishedAt!.getTime() || Number(a.logSeq) - Number(b.logSeq));
      after = last.publishedAt!;
      await this.db.transaction(async (em) => {
        const targets = batch.flatMap((n) => (n.type === 'withdrawal' && n.targetNoticeId ? [n.targetNoticeId] : []));
        const byId = new Map(batch.map((n) => [n.id, n]));
        for (let i = 0; i < targets.length; i += 100)
          for (const t of await em.findBy(Notice, { id: In(targets.slice(i, i + 100)) })) byId.set(t.id, t);
        const projectIds = [...new Set(batch.map((n) => n.projectId))];
        const parties = new Map<string, ProjectParty[]>();
        for (let i = 0; i < projectIds.length; i += 100)
          for (const p of await em.findBy(ProjectParty, { projectId: In(projectIds.slice(i, i + 100)) }))
            parties.set(p.projectId, [...(parties.get(p.projectId) ?? []), p]);
        const pending = new Pending();
        for (const notice of batch) {
          // Projects first published before a reindex still count as first here, once, in publication order.
          const first = !seenProjects.has(notice.projectId);
          seenProjects.add(notice.projectId);
          const target =
            notice.type === 'withdrawal' && notice.targetNoticeId ? byId.get(notice.targetNoticeId) : undefined;
          this.collect(pending, notice, parties.get(notice.projectId) ?? [], first, target ?? null);
        }
        await this.flush(em, pending);
      });
      notices += batch.length;
      options.onProgress?.(notices);
    }
    return notices;
  }
}

/** The credit codes of a project's owners (招标人/采购人), the buyers of its awards. */
function ownerCodes(parties: ProjectParty[]): string[] {
  return [
    ...new Set(parties.filter((p) => (OWNER_ROLES as string[]).includes(p.role)).map((p) => p.creditCode)),
  ].sort();
}
