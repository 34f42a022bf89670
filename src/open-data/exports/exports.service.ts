import { Injectable } from '@nestjs/common';
import { setImmediate } from 'node:timers/promises';
import type { Writable } from 'node:stream';
import { Clock } from '../../common/clock.js';
import { AppError } from '../../http/app-error.js';
import { streamCsv } from '../../http/csv.js';
import { categoryBySlug, noticeTypeBySlug } from '../../domain/catalog.js';
import { chinaDate } from '../../domain/china-time.js';
import { parseNoticeFilter, type NoticeFilter } from '../../trading/notice-filter.js';
import { PublishedReads } from '../../published/published-reads.js';
import { OpenDataReadService } from '../open-data-read.service.js';
import { ExportReader } from './export-reader.js';
import { ExportLines } from '../../published/export-lines.js';
import { EXPORTS, noticeLines, STORED_EXPORTS, type ExportKind, type ExportSlug } from '../../published/export-rows.js';

/** Notices a batch: a few hundred KB of rows at most (bids.csv reads details, not bodies). */
const BATCH = 1000;
/** Notices whose kept lines are read and sent together (one statement: ExportLines reads 100 ids at a time). */
const LINES_CHUNK = 100;

/**
 * CSV exports, streamed: notices are read by keyset batches (ExportReader), each batch turned
 * into rows and written with backpressure, so memory stays flat whatever the size. Written by the portal's one
 * CSV writer (src/http/csv.ts): RFC 4180, UTF-8 with a BOM so Excel and WPS read the Chinese headers.
 */
@Injectable()
export class ExportsService {
  constructor(
    private readonly reader: ExportReader,
    private readonly read: OpenDataReadService,
    private readonly reads: PublishedReads,
    private readonly clock: Clock,
    private readonly lines: ExportLines,
  ) {}

  /** The export's filter: the /notices filters, with `type` limited to what the export holds. */
  filterFor(slug: ExportSlug, rawQuery: Record<string, unknown>): NoticeFilter {
    const kind = EXPORTS[slug] as ExportKind<unknown>;
    const filter = parseNoticeFilter(rawQuery);
    if (filter.type && kind.types && !kind.types.includes(filter.type)) {
      const names = kind.types.map((t) => `${t}（${noticeTypeBySlug(t)?.name}）`).join('、');
      throw new AppError('filter.invalid', `${slug}.csv 只包含以下公告类型：${names}`, [
        { field: 'type', message: `可选：${names}` },
      ]);
    }
    // Exports are in publication order, newest first.
    return { ...filter, sort: 'published', ...(kind.types ? { types: kind.types } : {}) };
  }

  /** "notices-construction-210200-20261125.csv", and a Chinese name for clients that read filename*. */
  fileNames(slug: ExportSlug, filter: NoticeFilter): { ascii: string; utf8: string } {
    const day = chinaDate(this.clock.now()).replaceAll('-', '');
    const range =
      filter.from || filter.to
        ? [`${(filter.from ?? '').replaceAll('-', '')}-${(filter.to ?? '').replaceAll('-', '')}`]
        : [];
    const ascii = [
      slug,
      filter.category,
      filter.type,
      filter.region,
      ...range,
      filter.open ? 'open' : undefined,
      filter.q ? 'search' : undefined,
      day,
    ];
    const utf8 = [
      EXPORTS[slug].title,
      filter.category && categoryBySlug(filter.category)?.name,
      filter.type && noticeTypeBySlug(filter.type)?.name,
      filter.region,
      ...range,
      filter.open ? '正在报名' : undefined,
      filter.q,
      day,
    ];
    const join = (parts: unknown[]) => `${parts.filter(Boolean).join('-')}.csv`;
    return { ascii: join(ascii).replace(/[^A-Za-z0-9._-]/g, '_'), utf8: join(utf8) };
  }

  /** Writes the whole export to `out`; stops early when `aborted()` says the client has gone. */
  async write(slug: ExportSlug, filter: NoticeFilter, out: Writable, aborted: () => boolean): Promise<void> {
    const kind = EXPORTS[slug] as ExportKind<unknown>;
    const next: () => Promise<string | Buffer | null> = STORED_EXPORTS.includes(kind)
      ? this.keptLines(filter, aborted)
      : this.builtLines(kind, filter, aborted);
    // Each chunk (a batch, or LINES_CHUNK notices' kept lines) one write, awaited when the client is slower than
    // the database.
    await streamCsv(out, kind.columns, aborted, async (send) => {
      // The database reads the next chunk while this one is sent: two chunks at most in memory. A failed read is
      // seen where it is awaited, not as an unhandled rejection while a write waits for the client.
      const ahead = () => {
        const p = next();
        p.catch(() => undefined);
        return p;
      };
      let pending = ahead();
      for (;;) {
        const chunk = await pending;
        if (chunk === null || aborted()) break;
        // The chunk is handed to the socket first (a write is synchronous until the client's window is full),
        // then the next read starts and runs while the client drains it.
        const sent = chunk ? send(chunk) : Promise.resolve();
        pending = ahead();
        await sent;
      }
      // A chunk still being read when the client left is awaited, so its query does not outlive the request.
      await pending.catch(() => null);
    });
  }

  /**
   * bids.csv and awards.csv: each batch's ids in list order, then their lines as kept at publication (ExportLines),
   * LINES_CHUNK notices at a time, each sent while the next is read (a batch's first lines leave before its last
   * are read); a notice without lines under the current key gets them built from its details, as the other
   * exports do.
   */
  private keptLines(filter: NoticeFilter, aborted: () => boolean): () => Promise<Buffer | null> {
    const batches = this.reader.idBatches(filter, BATCH);
    const chunks: string[][] = [];
    return async () => {
      while (!chunks.length) {
        const next = await batches.next();
        if (next.done) return null;
        for (let i = 0; i < next.value.length; i += LINES_CHUNK) chunks.push(next.value.slice(i, i + LINES_CHUNK));
      }
      // A client that hung up while the ids were read costs no more reads.
      return aborted() ? null : this.lines.bytes(chunks.shift()!);
    };
  }

  /** notices.csv: each batch's notices read with the column it prints, and their lines built. */
  private builtLines(
    kind: ExportKind<unknown>,
    filter: NoticeFilter,
    aborted: () => boolean,
  ): () => Promise<string | null> {
    const batches = this.reader.batches(filter, BATCH, kind.reads);
    return async () => {
      const next = await batches.next();
      if (next.done || aborted()) return null;
      const notices = next.value;
      const projects = await this.reads.exportProjects(
        notices.map((n) => n.projectId),
        kind.lots,
      );
      // Lets the next batch's query go out to the database before this batch's lines are built.
      await setImmediate();
      // Lines joined once (not appended one by one, which leaves a long rope to flatten and collect).
      const lines: string[] = [];
      for (const notice of notices)
        noticeLines(kind, notice, projects.get(notice.projectId)!, this.read.links.baseUrl, lines);
      return lines.join('');
    };
  }
}
