import { Injectable } from '@nestjs/common';
import { Brackets, In, type EntityManager } from 'typeorm';
import { Database } from '../database/database.js';
import { truncateSql, upsertAddSql } from '../database/dialect.js';
import { chinaDate } from '../domain/china-time.js';
import { Notice } from './notice.entity.js';
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
    const parties = await em.findBy(ProjectParty, { projectId: notice.projectId });
    const facts = [...noticeFacts(notice.type, notice.details), ...(firstOfProject ? partyFacts(parties) : [])];
    const buyers = ownerCodes(parties);
    if (facts.length) await this.write(em, notice, facts, buyers, 1);
    if (withdrawn) await this.withdraw(em, withdrawn, buyers);
  }

  private async write(em: EntityManager, notice: Notice, facts: OrgFact[], buyers: string[], sign: 1 | -1) {
    const publishedAt = notice.publishedAt!;
    // Stored as the notice's own published_at is, on both databases.
    const at = em.connection.driver.preparePersistentValue(
      publishedAt,
      em.connection.getMetadata(Notice).findColumnWithPropertyName('publishedAt')!,
    );
    if (sign === 1) {
      const columns = [
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
      const rows = facts.map((f) => [
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
        at,
        0,
      ]);
      for (let i = 0; i < rows.length; i += 100) {
        const chunk = rows.slice(i, i + 100);
        await em.query(
          `INSERT INTO ${ORG_FACT} (${columns.join(', ')}) VALUES ${chunk.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ')}`,
          chunk.flat(),
        );
      }
      // Each (code, name) once, in key order (concurrent publishers then wait for each other, never deadlock).
      const names = new Map<string, [string, string, number]>();
      for (const f of facts) {
        const key = `${f.creditCode}\u0000${f.name}`;
        const seen = names.get(key);
        if (seen) seen[2]++;
        else names.set(key, [f.creditCode, f.name, 1]);
      }
      const sorted = [...names.keys()].sort().map((k) => names.get(k)!);
      await em.query(
        upsertAddSql(this.db.dialect, ORG_NAME, ['credit_code', 'name'], ['appearances'], sorted.length, {
          keep: ['first_seen'],
          latest: ['last_seen'],
        }),
        sorted.flatMap(([code, name, n]) => [code, name, n, at, at]),
      );
    }
    const totals = new Map<string, Totals>();
    const context = { year: chinaDate(publishedAt).slice(0, 4), category: notice.category, buyers };
    for (const f of facts) {
      for (const { key, fen } of totalKeys(f, context)) {
        const t = totals.get(key) ?? { n: 0, fen: 0n, unpriced: 0 };
        t.n += sign;
        if (fen !== null) t.fen += BigInt(sign) * fen;
        else if (f.award && !key.startsWith('s|')) t.unpriced += sign;
        totals.set(key, t);
      }
    }
    const keys = [...totals.keys()].sort();
    for (let i = 0; i < keys.length; i += 500) {
      const chunk = keys.slice(i, i + 500);
      await em.query(
        upsertAddSql(this.db.dialect, ORG_TOTAL, ['total_key'], ['n', 'fen', 'unpriced'], chunk.length),
        chunk.flatMap((k) => {
          const t = totals.get(k)!;
          return [k, t.n, t.fen.toString(), t.unpriced];
        }),
      );
    }
  }

  /** Marks a withdrawn notice's facts and subtracts them from the totals. */
  private async withdraw(em: EntityManager, notice: Notice, buyers: string[]) {
    const facts = noticeFacts(notice.type, notice.details);
    if (!facts.length) return;
    await em.query(`UPDATE ${ORG_FACT} SET withdrawn = 1 WHERE notice_id = ? AND withdrawn = 0`, [notice.id]);
    await this.write(em, notice, facts, buyers, -1);
  }

  /**
   * Rebuilds the whole index from the published notices, oldest first, in batches (`npm run reindex`): after an
   * upgrade that adds it, or when the facts a notice yields change. Run it with publishing paused.
   */
  async reindexAll(options: { batchSize?: number; onProgress?: (notices: number) => void } = {}): Promise<number> {
    const batchSize = options.batchSize ?? 1000;
    for (const table of [ORG_FACT, ORG_NAME, ORG_TOTAL])
      await this.db.manager.query(truncateSql(this.db.dialect, table));
    // In publication order: by time, then by the log's sequence (notices published in the same millisecond, and a
    // withdrawal after what it withdraws).
    let after: { at: Date; seq: number } | undefined;
    let notices = 0;
    const seenProjects = new Set<string>();
    for (;;) {
      const qb = this.db.manager
        .createQueryBuilder(Notice, 'n')
        .where('n.status = :published', { published: 'published' });
      if (after) {
        const { at, seq } = after;
        qb.andWhere('n.published_at >= :at', { at }).andWhere(
          new Brackets((w) => w.where('n.published_at > :at', { at }).orWhere('n.log_seq > :seq', { seq })),
        );
      }
      const batch = await qb.orderBy('n.published_at', 'ASC').addOrderBy('n.log_seq', 'ASC').limit(batchSize).getMany();
      if (!batch.length) break;
      after = { at: batch[batch.length - 1].publishedAt!, seq: batch[batch.length - 1].logSeq! };
      await this.db.transaction(async (em) => {
        const byId = new Map(batch.map((n) => [n.id, n]));
        const targets = batch.flatMap((n) => (n.type === 'withdrawal' && n.targetNoticeId ? [n.targetNoticeId] : []));
        const withdrawnTargets = targets.length ? await em.findBy(Notice, { id: In(targets) }) : [];
        for (const t of withdrawnTargets) byId.set(t.id, t);
        for (const notice of batch) {
          // Projects first published before a reindex still count as first here, once, in publication order.
          const first = !seenProjects.has(notice.projectId);
          seenProjects.add(notice.projectId);
          const target =
            notice.type === 'withdrawal' && notice.targetNoticeId ? byId.get(notice.targetNoticeId) : undefined;
          await this.indexPublished(em, notice, first, target ?? null);
        }
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
