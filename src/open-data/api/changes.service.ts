import { Injectable } from '@nestjs/common';
import { PublishedReads, type PublicChange, type PublicNoticeFields } from '../../published/published-reads.js';
import { chinaDateTimeIso } from '../../domain/china-time.js';
import type { Project } from '../../trading/project.entity.js';
import { checkParams, parseLimit } from '../http.js';
import { OpenDataReadService } from '../open-data-read.service.js';
import { publicNotice, type PublicLinks } from '../public-json.js';
import { decodeChangeCursor, encodeChangeCursor } from './change-cursor.js';

export const CHANGES_LIMIT = { default: 100, max: 1000 };

/** A change feed entry's own fields, in order: everything but its notice's JSON, which comes last. */
const changeEntryFields = (e: PublicChange['entry']) => ({
  seq: e.seq,
  kind: e.kind,
  recordedAt: chinaDateTimeIso(e.recordedAt),
  noticeId: e.noticeId,
  projectId: e.projectId,
  contentHash: e.contentHash,
  prevHash: e.prevHash,
  entryHash: e.entryHash,
});
const CLOSE_ENTRY = Buffer.from('}', 'utf8');
const CLOSE_PAGE = Buffer.from(']}', 'utf8');

/** One change feed entry: a publication-log entry with the public JSON of its notice as it is now. */
export function changeEntry(
  e: PublicChange['entry'],
  notice: PublicNoticeFields,
  project: Pick<Project, 'id' | 'dealCode'>,
  links: PublicLinks,
) {
  return { ...changeEntryFields(e), notice: publicNotice(notice, project, links) };
}

export type ChangeEntry = ReturnType<typeof changeEntry>;

/**
 * The change feed: the notices' publication-log entries in seq order. Seqs are assigned under the log head's row
 * lock, so seq order is commit order and the committed entries are always a prefix 1..n: a consumer that
 * continues after the last seq it saw can never skip an entry that commits later. A yearly report's entry is not
 * trading data and is left out (PublishedReads): its seq is a gap here, and the next notice's prevHash names it.
 */
@Injectable()
export class ChangesService {
  constructor(
    private readonly reads: PublishedReads,
    private readonly read: OpenDataReadService,
  ) {}

  /**
   * A page as UTF-8 bytes, the same as JSON.stringify of {next, more, links, items} with each item a changeEntry:
   * each entry's fields are encoded here, its notice's JSON is spliced in as kept at publication
   * (PublishedReads.changesAsJson), never decoded and encoded again.
   */
  async page(rawQuery: Record<string, unknown>): Promise<Buffer> {
    const params = checkParams(rawQuery, ['after', 'limit']);
    const after = params.after ? decodeChangeCursor(params.after) : 0;
    const limit = parseLimit(params.limit, CHANGES_LIMIT.default, CHANGES_LIMIT.max);
    const read = await this.reads.changesAsJson(after, limit + 1);
    const more = read.length > limit;
    const page = read.slice(0, limit);
    const next = encodeChangeCursor(page.length ? page[page.length - 1].entry.seq : after);
    const head = JSON.stringify({
      next,
      more,
      links: {
        next: `${this.read.links.baseUrl}/api/v1/changes?${new URLSearchParams({ after: next, ...(params.limit ? { limit: String(limit) } : {}) })}`,
      },
    });
    const parts: Buffer[] = [Buffer.from(`${head.slice(0, -1)},"items":[`, 'utf8')];
    page.forEach(({ entry, notice }, i) => {
      const fields = JSON.stringify(changeEntryFields(entry));
      parts.push(Buffer.from(`${i ? ',' : ''}${fields.slice(0, -1)},"notice":`, 'utf8'), notice, CLOSE_ENTRY);
    });
    parts.push(CLOSE_PAGE);
    return Buffer.concat(parts);
  }

  /** Change-feed entries of logged changes (read through PublishedReads.changes). */
  entries(changes: PublicChange[]): ChangeEntry[] {
    return changes.map((c) => changeEntry(c.entry, c.notice, c.project, this.read.links));
  }
}
