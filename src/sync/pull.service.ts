import { Inject, Injectable, Logger } from '@nestjs/common';
import { SYSTEM_ACTOR, type Actor } from '../auth/actor.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig, PeerConfig } from '../config/config.js';
import { Database } from '../database/database.js';
import { AppError } from '../http/app-error.js';
import { forUpdate } from '../database/dialect.js';
import { Project } from '../trading/project.entity.js';
import { SyncHttpClient } from './http-client.js';
import { RecordImporter } from './importer.js';
import type { JobContext } from './job-runner.js';
import { importedId } from './records.js';
import { SyncPeerState } from './sync.entities.js';

const PAGE = 100;
/** Pages per peer per run, so one busy peer does not hold the job (and its lease) for long. */
const MAX_PAGES = 50;

interface FeedPage {
  items: { kind: string; notice: Record<string, unknown> }[];
  next: string;
  more: boolean;
}

/**
 * Follows each peer's change feed (/api/v1/changes format) from a stored cursor. A page is applied in one
 * transaction together with the cursor that follows it, so a crash between fetch and apply loses nothing and
 * repeats nothing: either the page and its cursor are both stored, or neither is and the page is fetched again.
 * Records already here (our own, coming back, or arrived by another route) are recognised and left alone.
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
    let applied = 0;
    for (const peer of this.config.peers) {
      if (!ctx.held) break;
      try {
        applied += await this.pull(peer, ctx);
      } catch (e) {
        const message = describe(e).slice(0, 2000);
        this.logger.warn(`pull from ${peer.name} failed: ${message}`);
        await this.db.transaction((em) => em.increment(SyncPeerState, { name: peer.name }, 'failures', 1)
          .then(() => em.update(SyncPeerState, { name: peer.name }, { lastError: message, lastAttemptAt: this.clock.now() })));
      }
    }
    return { applied };
  }

  private async pull(peer: PeerConfig, ctx: JobContext): Promise<number> {
    const actor: Actor = { ...SYSTEM_ACTOR, username: `pull:${peer.name}`.slice(0, 64), displayName: `${peer.name} 拉取`, via: 'pull' };
    await this.db.transaction((em) => em.createQueryBuilder().insert().into(SyncPeerState).values({ name: peer.name, cursor: null, applied: 0, failures: 0 }).orIgnore().execute());
    let applied = 0;
    for (let pages = 0; pages < MAX_PAGES && ctx.held; pages++) {
      const { cursor } = await this.db.consistentRead((em) => em.findOneByOrFail(SyncPeerState, { name: peer.name }));
      const page = await this.fetchPage(peer, cursor);
      const projects = await this.missingProjects(peer, page);
      const done = await this.db.transaction(async (em) => {
        const state = await forUpdate(em.createQueryBuilder(SyncPeerState, 's').where('s.name = :name', { name: peer.name }), this.db.dialect).getOneOrFail();
        if (state.cursor !== cursor) return 0; // another run applied this page meanwhile
        for (const project of projects) await this.importer.importProject(em, actor, project, () => true);
        let fresh = 0;
        for (const item of page.items) {
          const result = await this.importer.importNotice(em, actor, item.notice, () => true, item.kind).catch((e: unknown) => {
            throw new Error(`变更 ${String(item.notice.id)}：${describe(e)}`);
          });
          if (result.status === 'applied') fresh++;
        }
        const now = this.clock.now();
        await em.update(SyncPeerState, { name: peer.name }, {
          cursor: page.next, applied: state.applied + fresh, failures: 0, lastError: null, lastSuccessAt: now, lastAttemptAt: now,
        });
        return fresh;
      });
      applied += done;
      if (!page.more || page.next === cursor || !page.items.length) break;
    }
    return applied;
  }

  private async fetchPage(peer: PeerConfig, cursor: string | null): Promise<FeedPage> {
    const url = new URL(peer.url);
    if (cursor) url.searchParams.set('after', cursor);
    url.searchParams.set('limit', String(PAGE));
    const body = await this.getJson(url.toString());
    const items = body.items;
    if (!Array.isArray(items) || typeof body.next !== 'string' || !items.every((i) => i && typeof i === 'object' && typeof i.notice === 'object' && i.notice)) {
      throw new Error(`${url}: not a change feed page ({"items":[{"kind","notice"}…],"next"})`);
    }
    return { items, next: body.next, more: body.more !== false && items.length > 0 };
  }

  /** The public JSON of each project the page refers to that is not here yet, from the peer's /api/v1/projects/{id}. */
  private async missingProjects(peer: PeerConfig, page: FeedPage): Promise<Record<string, unknown>[]> {
    const wanted = new Map<string, string>();
    for (const { notice } of page.items) {
      const projectId = String(notice.projectId ?? '');
      const local = [importedId(String(notice.sourcePlatform ?? ''), projectId), projectId];
      if (projectId && !wanted.has(projectId) && !(await this.db.manager.existsBy(Project, local.map((id) => ({ id }))))) wanted.set(projectId, projectId);
    }
    const out: Record<string, unknown>[] = [];
    for (const id of wanted.keys()) out.push(await this.getJson(new URL(`projects/${encodeURIComponent(id)}`, peer.url).toString()));
    return out;
  }

  private async getJson(url: string): Promise<Record<string, unknown>> {
    const answer = await this.http.request('GET', url, { headers: { Accept: 'application/json' }, timeoutMs: this.config.sync.httpTimeoutMs });
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
  if (e instanceof AppError && e.fields.length) return `${e.message}（${e.fields.map((f) => `${f.field} ${f.message}`).join('；')}）`;
  return (e as Error).message;
}
