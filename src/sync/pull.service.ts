import { Inject, Injectable, Logger } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { SYSTEM_ACTOR, type Actor } from '../auth/actor.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig, PeerConfig } from '../config/config.js';
import { Database } from '../database/database.js';
import { AppError } from '../http/app-error.js';
import { forUpdate } from '../database/dialect.js';
import { DomainError } from '../domain/errors.js';
import { Project } from '../trading/project.entity.js';
import { SyncHttpClient } from './http-client.js';
import { RecordImporter } from './importer.js';
import type { JobContext } from '../jobs/job-runner.js';
import { importedId } from './records.js';
import { SyncPeerState, SyncSkip } from './sync.entities.js';

const PAGE = 100;
/** Pages per peer per run, so one busy peer does not hold the job (and its lease) for long. */
const MAX_PAGES = 50;

interface FeedItem {
  seq?: unknown;
  kind: string;
  notice: Record<string, unknown>;
}

interface FeedPage {
  items: FeedItem[];
  next: string;
  more: boolean;
}

/** How a change of a peer's feed is named to staff and in sync_skip: the id of the notice it carries, and its seq. */
export interface ChangeRef {
  id: string;
  seq: number | null;
  kind: string | null;
}

export function changeOf(item: FeedItem): ChangeRef {
  const seq = Number.isSafeInteger(item.seq) ? (item.seq as number) : null;
  const id = typeof item.notice.id === 'string' && item.notice.id ? item.notice.id.slice(0, 80) : `seq-${seq ?? '?'}`;
  return { id, seq, kind: typeof item.kind === 'string' ? item.kind.slice(0, 16) : null };
}

/** A change the importer refused (invalid, conflicting, parent missing): the pull stalls before its page. */
class RejectedChange extends Error {
  constructor(
    readonly change: ChangeRef,
    readonly reason: string,
  ) {
    super(`变更 ${change.id}：${reason}`);
  }
}

/**
 * Follows each peer's change feed (/api/v1/changes format) from a stored cursor. A page is applied in one
 * transaction together with the cursor that follows it, so a crash between fetch and apply loses nothing and
 * repeats nothing: either the page and its cursor are both stored, or neither is and the page is fetched again.
 * Records already here (our own, coming back, or arrived by another route) are recognised and left alone.
 * A change the importer refuses stalls the pull right there (the cursor does not pass a change it did not
 * apply) and is recorded on the peer's state for staff, who may skip it (SyncStatusService.skipChange): skipped
 * changes are left out of every page, which moves the cursor past exactly them.
 */
@Injectable()
export class PullService {
  private readonly logger = new Logger('sync-pull');

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly http: SyncHttpClient,
    private readonly importer: RecordImporter,
  ) {}

  async run(ctx: JobContext = { held: true }): Promise<{ applied: number }> {
    // Counted page by page: pages applied before a failure in the same run stay applied, and are counted.
    const tally = { applied: 0 };
    for (const peer of this.config.peers) {
      if (!ctx.held) break;
      try {
        await this.pull(peer, ctx, tally);
      } catch (e) {
        const message = describe(e).slice(0, 2000);
        this.logger.warn(`pull from ${peer.name} failed: ${message}`);
        await this.failed(peer, message, e instanceof RejectedChange ? e : null);
      }
    }
    return tally;
  }

  /** Counts a failed run; a refused change becomes the one the peer is stalled on (unless staff skipped it meanwhile). */
  private async failed(peer: PeerConfig, message: string, rejected: RejectedChange | null) {
    const now = this.clock.now();
    await this.db.transaction(async (em) => {
      const state = await em.findOneBy(SyncPeerState, { name: peer.name });
      if (!state) return;
      const change: Partial<SyncPeerState> = { failures: state.failures + 1, lastError: message, lastAttemptAt: now };
      if (rejected && !(await em.existsBy(SyncSkip, { peer: peer.name, changeId: rejected.change.id }))) {
        const same = state.stalledChangeId === rejected.change.id;
        Object.assign(change, {
          stalledChangeId: rejected.change.id,
          stalledSeq: rejected.change.seq,
          stalledKind: rejected.change.kind,
          stalledError: rejected.reason.slice(0, 2000),
          stalledAt: same && state.stalledAt ? state.stalledAt : now,
        });
      }
      await em.update(SyncPeerState, { name: peer.name }, change);
    });
  }

  private async pull(peer: PeerConfig, ctx: JobContext, tally: { applied: number }): Promise<void> {
    const actor: Actor = {
      ...SYSTEM_ACTOR,
      username: `pull:${peer.name}`.slice(0, 64),
      displayName: `${peer.name} 拉取`,
      via: 'pull',
    };
    await this.db.transaction((em) =>
      em
        .createQueryBuilder()
        .insert()
        .into(SyncPeerState)
        .values({ name: peer.name, cursor: null, applied: 0, failures: 0 })
        .orIgnore()
        .execute(),
    );
    for (let pages = 0; pages < MAX_PAGES && ctx.held; pages++) {
      const { cursor } = await this.db.consistentRead((em) => em.findOneByOrFail(SyncPeerState, { name: peer.name }));
      const page = await this.fetchPage(peer, cursor);
      const skippedBefore = await this.skipsIn(this.db.manager, peer, page);
      const projects = await this.missingProjects(
        peer,
        page.items.filter((i) => !skippedBefore.has(changeOf(i).id)),
      );
      const done = await this.db.transaction(async (em) => {
        const state = await forUpdate(
          em.createQueryBuilder(SyncPeerState, 's').where('s.name = :name', { name: peer.name }),
          this.db.dialect,
        ).getOneOrFail();
        if (state.cursor !== cursor) return 0; // another run applied this page meanwhile
        // Read again under the peer's lock: a skip recorded since the page was fetched counts.
        const skipped = await this.skipsIn(em, peer, page);
        const imported = new Set<string>();
        let fresh = 0;
        for (const item of page.items) {
          const change = changeOf(item);
          if (skipped.has(change.id)) continue;
          try {
            // The project first, when this is its first change here: a project the importer refuses stalls this change.
            const projectId = String(item.notice.projectId ?? '');
            const project = projects.get(projectId);
            if (project && !imported.has(projectId)) {
              await this.importer.importProject(em, actor, project, () => true);
              imported.add(projectId);
            }
            const result = await this.importer.importNotice(em, actor, item.notice, () => true, item.kind);
            if (result.status === 'applied') fresh++;
          } catch (e) {
            if (e instanceof AppError || e instanceof DomainError) throw new RejectedChange(change, describe(e));
            throw e;
          }
        }
        const now = this.clock.now();
        await em.update(
          SyncPeerState,
          { name: peer.name },
          {
            cursor: page.next,
            applied: state.applied + fresh,
            failures: 0,
            lastError: null,
            lastSuccessAt: now,
            lastAttemptAt: now,
            stalledChangeId: null,
            stalledSeq: null,
            stalledKind: null,
            stalledError: null,
            stalledAt: null,
          },
        );
        const passed = [...skipped.values()].filter((s) => !s.passedAt).map((s) => s.id);
        if (passed.length) await em.update(SyncSkip, { id: In(passed) }, { passedAt: now, passedCursor: page.next });
        return fresh;
      });
      tally.applied += done;
      if (!page.more || page.next === cursor || !page.items.length) break;
    }
  }

  private async fetchPage(peer: PeerConfig, cursor: string | null): Promise<FeedPage> {
    const url = new URL(peer.url);
    if (cursor) url.searchParams.set('after', cursor);
    url.searchParams.set('limit', String(PAGE));
    const body = await this.getJson(url.toString());
    const items = body.items;
    if (
      !Array.isArray(items) ||
      typeof body.next !== 'string' ||
      !items.every((i) => i && typeof i === 'object' && typeof i.notice === 'object' && i.notice)
    ) {
      throw new Error(`${url}: not a change feed page ({"items":[{"kind","notice"}…],"next"})`);
    }
    return { items, next: body.next, more: body.more !== false && items.length > 0 };
  }

  /** Staff's skips among the page's changes, by change id (a notice appears once in a feed, so its id names the change). */
  private async skipsIn(em: EntityManager, peer: PeerConfig, page: FeedPage): Promise<Map<string, SyncSkip>> {
    const ids = [...new Set(page.items.map((i) => changeOf(i).id))];
    if (!ids.length) return new Map();
    return new Map((await em.findBy(SyncSkip, { peer: peer.name, changeId: In(ids) })).map((s) => [s.changeId, s]));
  }

  /** The public JSON of each project these items refer to that is not here yet, from the peer's /api/v1/projects/{id}; by the peer's id. */
  private async missingProjects(peer: PeerConfig, items: FeedItem[]): Promise<Map<string, Record<string, unknown>>> {
    const wanted = new Set<string>();
    for (const { notice } of items) {
      const projectId = String(notice.projectId ?? '');
      const local = [importedId(String(notice.sourcePlatform ?? ''), projectId), projectId];
      if (
        projectId &&
        !wanted.has(projectId) &&
        !(await this.db.manager.existsBy(
          Project,
          local.map((id) => ({ id })),
        ))
      )
        wanted.add(projectId);
    }
    const out = new Map<string, Record<string, unknown>>();
    for (const id of wanted) {
      // A project the peer says it does not have (404) is left out: its change is then refused by the importer
      // (parent missing), which names the change, so staff can skip it. Anything else is retried on the next run.
      const project = await this.getJson(new URL(`projects/${encodeURIComponent(id)}`, peer.url).toString(), [404]);
      if (project) out.set(id, project);
    }
    return out;
  }

  private getJson(url: string): Promise<Record<string, unknown>>;
  private getJson(url: string, absent: number[]): Promise<Record<string, unknown> | null>;
  private async getJson(url: string, absent: number[] = []): Promise<Record<string, unknown> | null> {
    const answer = await this.http.request('GET', url, {
      headers: { Accept: 'application/json' },
      timeoutMs: this.config.sync.httpTimeoutMs,
    });
    if (absent.includes(answer.status)) return null;
    if (answer.status !== 200) throw new Error(`GET ${url}: HTTP ${answer.status}`);
    try {
      const body = JSON.parse(answer.text) as unknown;
      if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
    } catch {
      // fall through
    }
    throw new Error(`GET ${url}: not a JSON object`);
  }
}

/** An error as one line for the status page: the message, and for invalid records each field. */
function describe(e: unknown): string {
  if (e instanceof AppError && e.fields.length)
    return `${e.message}（${e.fields.map((f) => `${f.field} ${f.message}`).join('；')}）`;
  return (e as Error).message;
}
