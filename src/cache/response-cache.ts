import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { isNotModified } from '../http/conditional-request.js';
import { ByteBudgetLru } from './lru.js';
import { PublicVersionSource, sameVersion, type PublicVersion } from './public-version.js';
import type { OfferedResponse } from '../http/render-scope.js';

/**
 * A stored response: valid while the public version is `version` and the clock is in [validFrom, validUntil)
 * (from its render, which saw the clock then, to the first instant its content depends on).
 */
interface CachedResponse {
  version: PublicVersion;
  /** Set when it shows only this set of notices (RenderScope.key): then valid while that set is unchanged. */
  scope: string | undefined;
  validFrom: number;
  validUntil: number;
  type: string;
  body: Buffer;
  etag: string;
  lastModified: Date | null;
  headers: Record<string, string>;
}

/** What /health reports, so a benchmark can give the hit rate of its mix. */
export interface CacheStats {
  enabled: boolean;
  /** Requests to cacheable routes answered from memory (200 or 304). */
  hits: number;
  /** …of which 304 Not Modified. */
  notModified: number;
  /** Requests to cacheable routes that were rendered (and stored, when they could be). */
  misses: number;
  /**
   * …of which the key had a stored response that a publication, a settings change or the clock had made stale:
   * the misses a running portal keeps having. The others are first requests of a key (or one the byte budget
   * evicted), which a warm cache stops having.
   */
  staleMisses: number;
  /** Requests to cacheable routes that may not be cached: staff, deep pages, searches. */
  passes: number;
  /**
   * Renders not kept: a newer version was known when the render ended (a publication meanwhile: its copy would be
   * stale at once), or what it shows had already changed with the clock (its validity over when it ended).
   */
  unkeptNewerVersion: number;
  unkeptExpired: number;
  /** hits / (hits + misses + passes); null before the first such request. */
  hitRate: number | null;
  entries: number;
  bytes: number;
  maxBytes: number;
  evictions: number;
}

/** Keys remembered by askedBefore, and stale keys remembered for the miss counts. */
const ASKED_MAX = 20_000;

// Overhead counted per entry beside its body: key, headers, bookkeeping.
const ENTRY_OVERHEAD_BYTES = 512;

/**
 * Rendered public responses in memory, under a byte budget, each labelled with the version it was read at. A
 * response that shows only one project's data (a notice's or project's page and JSON), or only one category's and
 * region's (a filtered list, feed or API page), outlives publications elsewhere; everything else is current only
 * at its own version.
 */
@Injectable()
export class ResponseCache {
  readonly enabled: boolean;
  private readonly entries: ByteBudgetLru<CachedResponse>;
  private counts = {
    hits: 0,
    notModified: 0,
    misses: 0,
    staleMisses: 0,
    passes: 0,
    unkeptNewerVersion: 0,
    unkeptExpired: 0,
  };
  /** Keys asked for once (askedBefore), so that only a repeated one is kept. */
  private readonly asked = new Set<string>();
  /** Keys whose stored response lookup dropped as stale, until their next miss is counted (stats only). */
  private readonly droppedStale = new Set<string>();

  constructor(
    private readonly versions: PublicVersionSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.enabled = config.cache.enabled;
    this.entries = new ByteBudgetLru(config.cache.maxBytes);
  }

  /** The stored response for `key` if it is still current; a stale one is dropped. */
  lookup(key: string, now: Date): CachedResponse | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const current = this.versions.current;
    const versionValid =
      current !== null &&
      (entry.scope === undefined
        ? sameVersion(entry.version, current)
        : this.versions.keyCurrent(entry.version, entry.scope));
    if (versionValid && now.getTime() >= entry.validFrom && now.getTime() < entry.validUntil) return entry;
    this.entries.delete(key);
    if (this.droppedStale.size >= ASKED_MAX) this.droppedStale.clear();
    this.droppedStale.add(key);
    return undefined;
  }

  /** Keeps a response rendered at `version` when that is the newest version known (never an older one's). */
  store(
    key: string,
    version: PublicVersion,
    valid: { from: Date; until: number },
    offered: OfferedResponse,
    now: Date,
    scope?: string,
  ) {
    const current = this.versions.current;
    // No version known yet (before the first read at start): nothing to label it with, and nothing newer to count.
    if (!current) return;
    if (!sameVersion(current, version)) {
      this.counts.unkeptNewerVersion++;
      return;
    }
    if (valid.until <= now.getTime()) {
      this.counts.unkeptExpired++;
      return;
    }
    const body = Buffer.isBuffer(offered.body) ? offered.body : Buffer.from(offered.body, 'utf8');
    const entry: CachedResponse = {
      version,
      scope,
      validFrom: valid.from.getTime(),
      validUntil: valid.until,
      type: offered.type,
      body,
      etag: offered.etag,
      lastModified: offered.lastModified,
      headers: offered.headers,
    };
    this.entries.set(key, entry, body.length + key.length * 2 + ENTRY_OVERHEAD_BYTES);
  }

  /** Answers from a stored response: 304 when the client's copy matches, else the stored bytes. */
  serve(req: Request, res: Response, entry: CachedResponse) {
    this.counts.hits++;
    for (const [name, value] of Object.entries(entry.headers)) res.setHeader(name, value);
    res.setHeader('ETag', entry.etag);
    res.setHeader('X-Cache', 'hit');
    if (isNotModified(req.method, req.headers, entry)) {
      this.counts.notModified++;
      res.status(304).end();
      return;
    }
    res.type(entry.type);
    res.setHeader('Content-Length', entry.body.length);
    res.status(200).end(req.method === 'HEAD' ? undefined : entry.body);
  }

  /**
   * Whether `key` was asked for before on this instance (and notes it). Searches are countless and most are asked
   * once: keeping each would push the hot pages out, so a route keeps a search only when it is asked for again.
   * The memory starts afresh past ASKED_MAX keys.
   */
  askedBefore(key: string): boolean {
    if (this.asked.has(key)) return true;
    if (this.asked.size >= ASKED_MAX) this.asked.clear();
    this.asked.add(key);
    return false;
  }

  /** A render of `key`: stale when lookup last dropped its stored response (see CacheStats.staleMisses). */
  countMiss(key: string) {
    this.counts.misses++;
    if (this.droppedStale.delete(key)) this.counts.staleMisses++;
  }

  countPass() {
    this.counts.passes++;
  }

  stats(): CacheStats {
    const { hits, misses, passes } = this.counts;
    const total = hits + misses + passes;
    return {
      enabled: this.enabled,
      ...this.counts,
      hitRate: total ? hits / total : null,
      entries: this.entries.size,
      bytes: this.entries.bytes,
      maxBytes: this.entries.maxBytes,
      evictions: this.entries.evictions,
    };
  }
}
