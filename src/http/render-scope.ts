import { AsyncLocalStorage } from 'node:async_hooks';

/** A response as a send point (sendConditional, sendJson) hands it to the cache: everything needed to replay it. */
export interface OfferedResponse {
  /** As res.type() takes it: 'html', 'application/json; charset=utf-8', … */
  type: string;
  /** The response body: text, or its UTF-8 bytes. */
  body: string | Buffer;
  etag: string;
  lastModified: Date | null;
  /** Caching headers sent with it (Cache-Control, Vary, Last-Modified), replayed as they are. */
  headers: Record<string, string>;
}

/**
 * What one cacheable render learns while it runs: the response it sent, and the earliest future instant its
 * content depends on (a deadline, a publicity period's end, midnight), after which it must be rendered again.
 * Code anywhere in the render reaches it through `currentRender()` without being passed it.
 */
export class RenderScope {
  offered: OfferedResponse | null = null;
  /**
   * The one set of published notices the content shows, when it shows nothing else published: a project's
   * (`project:<id>`: a notice's page, a project's page, their JSON) or a category's and region's (a list, feed or
   * API page filtered by them: their filter key, trading/search-grams.ts). It then stays valid while no log entry
   * of that set is written, whatever else is published. Undefined: it depends on everything published.
   */
  key: string | undefined;
  /**
   * The publication log's head as the render's snapshot read it first (the cache's version read): what the
   * render's own data-version read would return in the same snapshot, so it need not be read twice.
   */
  dataVersion: { seq: number; at: Date | null } | undefined;
  private until: number = Infinity;
  private readonly pending = new Map<string, Promise<Date | null>>();

  offer(response: OfferedResponse) {
    this.offered = response;
  }

  /** The content shows only this project's published data (see `key`). */
  onlyProject(projectId: string) {
    this.key = `project:${projectId}`;
  }

  /** The content shows only notices of this filter key's category and region (see `key`); none: everything. */
  onlyFilterKey(filterKey: string | undefined) {
    this.key = filterKey;
  }

  /** The content changes at `instant` (ignored when null). */
  changesAt(instant: Date | null | undefined) {
    if (instant && instant.getTime() < this.until) this.until = instant.getTime();
  }

  /**
   * The content changes at an instant `find` reads (from the database, inside the render's snapshot). Started
   * at once, once per `what` and render, and awaited before the response is stored.
   */
  changesAtQueried(what: string, find: () => Promise<Date | null>) {
    if (this.pending.has(what)) return;
    const found = find();
    found.catch(() => undefined);
    this.pending.set(what, found);
  }

  /** When the content stops being valid, as epoch ms (Infinity: only a new version invalidates it). */
  async validUntil(): Promise<number> {
    for (const instant of await Promise.all(this.pending.values())) this.changesAt(instant);
    return this.until;
  }
}

const storage = new AsyncLocalStorage<RenderScope>();

/** The cacheable render in progress, or undefined (cache off, a bypassed request, a route that does not opt in). */
export const currentRender = (): RenderScope | undefined => storage.getStore();

export const inRenderScope = <T>(scope: RenderScope, fn: () => Promise<T>): Promise<T> => storage.run(scope, fn);
