import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { Database } from '../database/database.js';
import type { Notice } from '../trading/notice.entity.js';
import { exportLinesKey, noticeLines, STORED_EXPORTS, storedExportOf, type ExportNotice } from './export-rows.js';
import { exportProjectsIn, noticeFromRow } from './published-reads.js';

/** Notice ids a statement when lines are read or written by id. */
const IDS_PER_QUERY = 500;

/**
 * The CSV lines of bids.csv and awards.csv, kept per notice when it is published (in the publishing transaction,
 * beside its search keys and log entry), so an export of all bids reads a text a notice instead of parsing its
 * details and formatting a dozen cells a bid: what made the export a third of the database client's pace
 * (bench/results.md). Lines are kept under a key (EXPORT_LINES_VERSION and the public base URL); lines under
 * another key, or none (notices published before this table), are not served — the export builds them from the
 * details, the same bytes — and `rebuild` (npm run reindex) keeps them anew.
 */
@Injectable()
export class ExportLines {
  /** The key lines are kept and served under. */
  readonly key: string;
  private readonly baseUrl: string;

  constructor(
    private readonly db: Database,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.baseUrl = config.publicBaseUrl;
    this.key = exportLinesKey(this.baseUrl);
  }

  /** In the publishing transaction: keeps the lines of the stored export the notice's type belongs to, if any. */
  async keep(em: EntityManager, notice: Notice): Promise<void> {
    if (!storedExportOf(notice.type)) return;
    await this.write(em, [notice]);
  }

  /** The lines of these notices kept under the current key, by notice id (a notice with no rows: ''). */
  async read(ids: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
      const chunk = ids.slice(i, i + IDS_PER_QUERY);
      const rows = (await this.db.manager.query(
        `SELECT notice_id, lines_key, csv_lines FROM export_line WHERE notice_id IN (${marks(chunk.length)})`,
        chunk,
      )) as { notice_id: string; lines_key: string; csv_lines: string }[];
      for (const r of rows) if (r.lines_key === this.key) out.set(r.notice_id, r.csv_lines);
    }
    return out;
  }

  /** The lines of these notices as the export builds them, from their details and projects. */
  async build(notices: ExportNotice[], em: EntityManager = this.db.manager): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const byKind = new Map<(typeof STORED_EXPORTS)[number], ExportNotice[]>();
    for (const n of notices) {
      const kind = storedExportOf(n.type);
      if (kind) byKind.set(kind, [...(byKind.get(kind) ?? []), n]);
    }
    for (const [kind, list] of byKind) {
      const projects = await exportProjectsIn(
        em,
        list.map((n) => n.projectId),
        kind.lots,
      );
      for (const n of list) {
        const lines: string[] = [];
        noticeLines(kind, n, projects.get(n.projectId)!, this.baseUrl, lines);
        out.set(n.id, lines.join(''));
      }
    }
    return out;
  }

  /**
   * Keeps anew the lines of every published notice of a stored export that has none under the current key, in
   * batches of `batch` notices by id, each in its own transaction (npm run reindex; the benchmark's fill). Returns
   * how many notices it wrote.
   */
  async rebuild(o: { batch?: number; onProgress?: (written: number) => void } = {}): Promise<number> {
    const batch = o.batch ?? 500;
    const types = [...new Set(STORED_EXPORTS.flatMap((k) => k.types!))];
    let after = '';
    let written = 0;
    for (;;) {
      const ids = (
        (await this.db.manager.query(
          `SELECT n.id FROM notice n LEFT JOIN export_line e ON e.notice_id = n.id
           WHERE n.id > ? AND n.status = 'published' AND n.type IN (${marks(types.length)})
             AND (e.notice_id IS NULL OR e.lines_key <> ?)
           ORDER BY n.id LIMIT ${batch}`,
          [after, ...types, this.key],
        )) as { id: string }[]
      ).map((r) => r.id);
      if (!ids.length) return written;
      await this.db.transaction(async (em) => {
        const rows = (await em.query(
          `SELECT id, project_id, type, category, region_code, title, target_notice_id, published_at, content_hash,
                  log_seq, withdrawn_at, withdrawn_by, details
           FROM notice WHERE id IN (${marks(ids.length)}) AND status = 'published'`,
          ids,
        )) as Record<string, unknown>[];
        await this.write(em, rows.map(noticeFromRow));
      });
      written += ids.length;
      o.onProgress?.(written);
      after = ids[ids.length - 1];
    }
  }

  private async write(em: EntityManager, notices: ExportNotice[]) {
    const lines = await this.build(notices, em);
    if (!lines.size) return;
    const ids = [...lines.keys()];
    await em.query(`DELETE FROM export_line WHERE notice_id IN (${marks(ids.length)})`, ids);
    await em.query(
      `INSERT INTO export_line (notice_id, lines_key, csv_lines) VALUES ${ids.map(() => '(?, ?, ?)').join(', ')}`,
      ids.flatMap((id) => [id, this.key, lines.get(id)!]),
    );
  }
}

const marks = (n: number) => Array(n).fill('?').join(', ');
