import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Database } from '../../database/database.js';
import { PublishedReads, type PublicChange, type PublicNoticeFields } from '../../published/published-reads.js';
import { chinaDateTimeIso } from '../../domain/china-time.js';
import type { Project } from '../../trading/project.entity.js';
import { checkParams, parseLimit } from '../http.js';
import { OpenDataReadService } from '../open-data-read.service.js';
import { publicNotice, type PublicLinks } from '../public-json.js';
import { decodeChangeCursor, encodeChangeCursor } from './change-cursor.js';
import { ChangePageWriter, changeFeedColumns } from './change-feed-json.js';

export const CHANGES_LIMIT = { default: 100, max: 1000 };

/** One change feed entry: a publication-log entry with the public JSON of its notice as it is now. */
export function changeEntry(
  e: PublicChange['entry'],
  notice: PublicNoticeFields,
  project: Pick<Project, 'id' | 'dealCode'>,
  links: PublicLinks,
) {
  return {
    seq: e.seq,
    kind: e.kind,
    recordedAt: chinaDateTimeIso(e.recordedAt),
    noticeId: e.noticeId,
    projectId: e.projectId,
    contentHash: e.contentHash,
    prevHash: e.prevHash,
    entryHash: e.entryHash,
    notice: publicNotice(notice, project, links),
  };
}

export type ChangeEntry = ReturnType<typeof changeEntry>;

/** A change-feed page's parameters: after this seq, this many entries (`limitGiven`: named in the URL). */
export interface ChangesQuery {
  after: number;
  limit: number;
  limitGiven: boolean;
}

/**
 * The change feed: the notices' publication-log entries in seq order. Seqs are assigned under the log head's row
 * lock, so seq order is commit order and the committed entries are always a prefix 1..n: a consumer that
 * continues after the last seq it saw can never skip an entry that commits later. A yearly report's entry is not
 * trading data and is left out (PublishedReads): its seq is a gap here, and the next notice's prevHash names it.
 */
@Injectable()
export class ChangesService {
  private readonly columns: { log: string; notice: string };
  private readonly writer: ChangePageWriter;

  constructor(
    private readonly reads: PublishedReads,
    private readonly read: OpenDataReadService,
    db: Database,
  ) {
    this.columns = changeFeedColumns(db.dialect);
    this.writer = new ChangePageWriter(read.links);
  }

  /** A page's parameters, checked (a 400 before anything is read). */
  query(rawQuery: Record<string, unknown>): ChangesQuery {
    const params = checkParams(rawQuery, ['after', 'limit']);
    return {
      after: params.after ? decodeChangeCursor(params.after) : 0,
      limit: parseLimit(params.limit, CHANGES_LIMIT.default, CHANGES_LIMIT.max),
      limitGiven: !!params.limit,
    };
  }

  /**
   * A page's validators: its entries never change and its notices change only by publications, each of which moves
   * the log's head, so the head labels the page (with what else it prints: its position, its size as named, the
   * links' base). Read before the page, so a page read after is never older than its label and a 304 never keeps
   * a client on an older page; a conditional request is answered from this alone.
   */
  async version({ after, limit, limitGiven }: ChangesQuery): Promise<{ etag: string; at: Date | null }> {
    const head = await this.reads.dataVersion();
    const page = createHash('sha256')
      .update(`${this.read.links.baseUrl}|${after}|${limitGiven ? limit : ''}`)
      .digest('base64url')
      .slice(0, 16);
    return { etag: `W/"${head.seq}-${page}"`, at: head.at };
  }

  /**
   * A page as the bytes of its JSON (ChangePageWriter: the database writes most of each entry). Read after its
   * version, so never older than its label.
   */
  async page({ after, limit, limitGiven }: ChangesQuery): Promise<Buffer> {
    const rows = await this.reads.changeFeedRows(after, limit + 1, this.columns);
    const more = rows.log.length > limit;
    if (more) rows.log.length = limit;
    const next = encodeChangeCursor(rows.log.length ? Number(rows.log[rows.log.length - 1].seq) : after);
    const head = {
      next,
      more,
      links: {
        next: `${this.read.links.baseUrl}/api/v1/changes?${new URLSearchParams({ after: next, ...(limitGiven ? { limit: String(limit) } : {}) })}`,
      },
      items: [] as [],
    };
    return this.writer.page(head, rows);
  }

  /** Change-feed entries of logged changes (read through PublishedReads) as objects (the daily bulk files). */
  entries(changes: PublicChange[]): ChangeEntry[] {
    return changes.map((c) => changeEntry(c.entry, c.notice, c.project, this.read.links));
  }
}
