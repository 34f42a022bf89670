import type { AppConfig } from '../config/config.js';
import type { PublicVersion, PublicVersionSource } from './public-version.js';
import { ResponseCache } from './response-cache.js';

describe('ResponseCache', () => {
  const versions = { current: { head: 10, settings: 2 } as PublicVersion | null };
  const cache = new ResponseCache(
    versions as unknown as PublicVersionSource,
    { cache: { enabled: true, maxBytes: 1024 * 1024, pollMs: 250 } } as AppConfig,
  );
  const offered = (body: string) => ({
    type: 'html',
    body,
    etag: `W/"${body}"`,
    lastModified: null,
    headers: { 'Cache-Control': 'no-cache' },
  });
  const at = (iso: string) => new Date(iso);
  const t0 = at('2026-12-01T00:00:00Z');
  const forever = { from: t0, until: Infinity };

  beforeEach(() => {
    versions.current = { head: 10, settings: 2 };
  });

  it('serves what was read at the newest version until the head or the settings version moves', () => {
    cache.store('/a', { head: 10, settings: 2 }, forever, offered('a'), t0);
    expect(cache.lookup('/a', t0)?.body.toString()).toBe('a');
    versions.current = { head: 11, settings: 2 };
    expect(cache.lookup('/a', t0)).toBeUndefined();
    cache.store('/b', { head: 11, settings: 2 }, forever, offered('b'), t0);
    versions.current = { head: 11, settings: 3 };
    expect(cache.lookup('/b', t0)).toBeUndefined();
  });

  it('never keeps content read at an older version than one already known (a lagging replica)', () => {
    const before = cache.stats().unkeptNewerVersion;
    cache.store('/lag', { head: 9, settings: 2 }, forever, offered('old'), t0);
    expect(cache.lookup('/lag', t0)).toBeUndefined();
    expect(cache.stats().unkeptNewerVersion - before).toBe(1);
    // Before any version is known nothing is kept, and no newer version is counted.
    versions.current = null;
    cache.store('/unknown', { head: 10, settings: 2 }, forever, offered('x'), t0);
    expect(cache.stats().unkeptNewerVersion - before).toBe(1);
  });

  it('serves a clock-dependent response only from its render to the first instant it depends on', () => {
    cache.store(
      '/open',
      { head: 10, settings: 2 },
      { from: t0, until: at('2026-12-16T01:30:00Z').getTime() },
      offered('open'),
      t0,
    );
    expect(cache.lookup('/open', at('2026-12-16T01:29:59.999Z'))).toBeDefined();
    expect(cache.lookup('/open', at('2026-11-30T23:59:59Z'))).toBeUndefined(); // the clock went back: dropped
    cache.store(
      '/open',
      { head: 10, settings: 2 },
      { from: t0, until: at('2026-12-16T01:30:00Z').getTime() },
      offered('open'),
      t0,
    );
    expect(cache.lookup('/open', at('2026-12-16T01:30:00Z'))).toBeUndefined();
  });

  it('does not keep a response whose validity already ended while it was rendered', () => {
    const before = cache.stats().unkeptExpired;
    cache.store('/late', { head: 10, settings: 2 }, { from: t0, until: t0.getTime() }, offered('late'), t0);
    expect(cache.lookup('/late', t0)).toBeUndefined();
    expect(cache.stats().unkeptExpired - before).toBe(1);
  });

  it('counts a render of a key whose stored response went stale apart from a first render', () => {
    const before = cache.stats();
    cache.countMiss('/fresh');
    cache.store('/s', { head: 10, settings: 2 }, forever, offered('s'), t0);
    versions.current = { head: 11, settings: 2 };
    expect(cache.lookup('/s', t0)).toBeUndefined();
    expect(cache.lookup('/s', t0)).toBeUndefined(); // the fast path and the interceptor both look: one stale miss
    cache.countMiss('/s');
    cache.countMiss('/s'); // asked again before it was stored: a first render again
    const after = cache.stats();
    expect(after.misses - before.misses).toBe(3);
    expect(after.staleMisses - before.staleMisses).toBe(1);
  });
});
