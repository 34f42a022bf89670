import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { Database } from '../database/database.js';
import { asBytesSql, sqlMarks } from '../database/dialect.js';
import type { Notice } from '../trading/notice.entity.js';
import {
  EXPORT_NOTICE_COLUMNS,
  exportLinesKey,
  noticeLines,
  STORED_EXPORTS,
  storedExportOf,
  type ExportNotice,
} from './export-rows.js';
import { exportProjectsIn, noticeFromRow, queryByIds } from './published-reads.js';

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

  /**
   * The CSV rows of these notices as UTF-8 bytes, in the order given: the lines kept under the current key, and for
   * a notice without them (published before they were kept, or under another base URL) the lines built from its
   * details — the same bytes. Kept lines are read as bytes (asBytesSql) and go to the socket as the database gave
   * them: no decoding into strings that a large export would leave for the garbage collector to promote and sweep
   * (the server's memory grew with the export's size), and no encoding back.
   */
  async bytes(ids: string[]): Promise<Buffer> {
    const lines = new Map<string, Buffer>();
    const rows = await queryByIds(
      this.db.manager,
      ids,
      (marks) =>
        `SELECT notice_id, lines_key, ${asBytesSql(this.db.dialect, 'csv_lines')} AS csv_lines FROM export_line WHERE notice_id IN (${marks})`,
    );
    for (const r of rows) if (r.lines_key === this.key) lines.set(r.notice_id as string, r.csv_lines as Buffer);
    const missing = ids.filter((id) => !lines.has(id));
    if (missing.length)
      for (const [id, text] of await this.build(await noticesWithDetails(this.db.manager, missing)))
        lines.set(id, Buffer.from(text, 'utf8'));
    return Buffer.concat(ids.flatMap((id) => lines.get(id) ?? []));
  }

  /** The lines of these notices as the export builds them, from their details and projects. */
  async build(notices: ExportNotice[], em: EntityManager = this.db.manager): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const byKind = new Map<(typeof STORED_EXPORTS)[number], ExportNotice[]>();
    for (const n of notices) {
      const kind = storedExportOf(n.type);
      if (!kind) continue;
      if (!byKind.has(kind)) byKind.set(kind, []);
      byKind.get(kind)!.push(n);
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
           WHERE n.id > ? AND n.status = 'published' AND n.type IN (${sqlMarks(types)})
             AND (e.notice_id IS NULL OR e.lines_key <> ?)
           ORDER BY n.id LIMIT ${batch}`,
          [after, ...types, this.key],
        )) as { id: string }[]
      ).map((r) => r.id);
      if (!ids.length) return written;
      await this.db.transaction(async (em) => this.write(em, await noticesWithDetails(em, ids)));
      written += ids.length;
      o.onProgress?.(written);
      after = ids[ids.length - 1];
    }
  }

  private async write(em: EntityManager, notices: ExportNotice[]) {
    const lines = await this.build(notices, em);
    if (!lines.size) return;
    const ids = [...lines.keys()];
    await em.query(`DELETE FROM export_line WHERE notice_id IN (${sqlMarks(ids)})`, ids);
    await em.query(
      `INSERT INTO export_line (notice_id, lines_key, csv_lines) VALUES ${ids.map(() => '(?, ?, ?)').join(', ')}`,
      ids.flatMap((id) => [id, this.key, lines.get(id)!]),
    );
  }
}

/** These published notices with the columns the stored exports print (their details included), in no order. */
async function noticesWithDetails(em: EntityManager, ids: string[]): Promise<ExportNotice[]> {
  const rows = await queryByIds(
    em,
    ids,
    (marks) =>
      `SELECT ${[...EXPORT_NOTICE_COLUMNS, 'details'].join(', ')} FROM notice WHERE id IN (${marks}) AND status = 'published'`,
  );
  return rows.map((r) => noticeFromRow(r));
}
