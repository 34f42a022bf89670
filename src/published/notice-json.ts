import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { Database } from '../database/database.js';
import type { Project } from '../trading/project.entity.js';
import { noticeFromRow, PUBLIC_NOTICE_SELECT, type PublicNoticeFields } from './notice-row.js';
import { publicNotice, type PublicLinks } from './public-notice.js';

/** Notice ids a statement when JSON is read or written by id. */
const IDS_PER_QUERY = 500;

/**
 * Raise with any change to a notice's public JSON (public-notice.ts): JSON kept under another version is not
 * served, and `npm run reindex` keeps it anew.
 */
export const NOTICE_JSON_VERSION = 1;

/**
 * Each published notice's public JSON (publicNotice) as UTF-8 bytes, kept in the publishing transaction — when the
 * notice is published, and again for the notice a withdrawal withdraws, the only later change its JSON sees — so
 * the change feed splices stored bytes into its pages instead of reading a dozen columns a notice, building an
 * object and encoding it (what kept the crawl at a quarter of its queries' pace: bench/results.md). Kept under a
 * key (the version and the links' base URL and OCID prefix): JSON under another key, or none (notices published
 * before this table), is not served — the reader builds it, the same bytes — and `rebuild` keeps it anew.
 */
@Injectable()
export class NoticeJson {
  readonly key: string;
  readonly links: PublicLinks;

  constructor(
    private readonly db: Database,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'publicBaseUrl' | 'ocidPrefix'>,
  ) {
    this.links = { baseUrl: config.publicBaseUrl, ocidPrefix: config.ocidPrefix };
    this.key = `${NOTICE_JSON_VERSION} ${this.links.baseUrl} ${this.links.ocidPrefix}`;
  }

  /** The bytes of a notice's public JSON, as kept and as served. */
  bytes(notice: PublicNoticeFields, project: Pick<Project, 'id' | 'dealCode'>): Buffer {
    return Buffer.from(JSON.stringify(publicNotice(notice, project, this.links)), 'utf8');
  }

  /** In the publishing transaction: keeps (or rewrites) these notices' JSON as they now are. */
  async keep(em: EntityManager, notices: PublicNoticeFields[], project: Pick<Project, 'id' | 'dealCode'>) {
    await this.write(
      em,
      notices.map((n) => [n.id, this.bytes(n, project)]),
    );
  }

  /** The JSON kept under the current key for these notices, by id, read through `em` (the caller's snapshot). */
  async read(em: EntityManager, ids: string[]): Promise<Map<string, Buffer>> {
    const out = new Map<string, Buffer>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
      const chunk = unique.slice(i, i + IDS_PER_QUERY);
      const rows = (await em.query(
        `SELECT notice_id, json_key, json_bytes FROM notice_json WHERE notice_id IN (${marks(chunk.length)})`,
        chunk,
      )) as { notice_id: string; json_key: string; json_bytes: Buffer }[];
      for (const r of rows) if (r.json_key === this.key) out.set(r.notice_id, r.json_bytes);
    }
    return out;
  }

  /**
   * Keeps anew the JSON of every published notice that has none under the current key, in batches of `batch`
   * notices by id, each in its own transaction (npm run reindex; the benchmark's fill). Returns how many it wrote.
   */
  async rebuild(o: { batch?: number; onProgress?: (written: number) => void } = {}): Promise<number> {
    const batch = o.batch ?? 500;
    let after = '';
    let written = 0;
    for (;;) {
      const ids = (
        (await this.db.manager.query(
          `SELECT n.id FROM notice n LEFT JOIN notice_json j ON j.notice_id = n.id
           WHERE n.id > ? AND n.status = 'published' AND (j.notice_id IS NULL OR j.json_key <> ?)
           ORDER BY n.id LIMIT ${batch}`,
          [after, this.key],
        )) as { id: string }[]
      ).map((r) => r.id);
      if (!ids.length) return written;
      await this.db.transaction(async (em) => {
        // Locked, so a withdrawal committing meanwhile is either seen here or rewrites the JSON after.
        const notices = (
          (await em.query(
            `SELECT ${PUBLIC_NOTICE_SELECT} FROM notice WHERE id IN (${marks(ids.length)}) AND status = 'published'${this.db.dialect === 'mysql' ? ' FOR UPDATE' : ''}`,
            ids,
          )) as Record<string, unknown>[]
        ).map(noticeFromRow);
        const projectIds = [...new Set(notices.map((n) => n.projectId))];
        const projects = new Map(
          (
            (await em.query(
              `SELECT id, deal_code FROM project WHERE id IN (${marks(projectIds.length)})`,
              projectIds,
            )) as { id: string; deal_code: string }[]
          ).map((p) => [p.id, { id: p.id, dealCode: p.deal_code }]),
        );
        await this.write(
          em,
          notices.map((n) => [n.id, this.bytes(n, projects.get(n.projectId)!)]),
        );
      });
      written += ids.length;
      o.onProgress?.(written);
      after = ids[ids.length - 1];
    }
  }

  private async write(em: EntityManager, rows: [string, Buffer][]) {
    if (!rows.length) return;
    const ids = rows.map(([id]) => id);
    await em.query(`DELETE FROM notice_json WHERE notice_id IN (${marks(ids.length)})`, ids);
    await em.query(
      `INSERT INTO notice_json (notice_id, json_key, json_bytes) VALUES ${rows.map(() => '(?, ?, ?)').join(', ')}`,
      rows.flatMap(([id, bytes]) => [id, this.key, bytes]),
    );
  }
}

const marks = (n: number) => Array(n).fill('?').join(', ');
