import { ClockWatch, weakEtag } from '../http/conditional.js';
import { safeReturnPath } from './page-locals.js';
import { snippet } from './notice-view.js';

describe('ClockWatch', () => {
  const now = new Date('2026-12-25T02:00:00Z');

  it('knows whether a page read the clock, and the last clock-dependent change that has happened', () => {
    const watch = new ClockWatch(now);
    expect(watch.dependsOnClock).toBe(false);
    expect(watch.passed('2026-12-24T10:00:00+08:00')).toBe(true);
    expect(watch.passed('2026-12-28T17:00:00+08:00')).toBe(false);
    expect(watch.passed(null)).toBe(false);
    expect(watch.dependsOnClock).toBe(true);
    // The data changed before the publicity began: the page last changed when it began.
    expect(watch.lastModified(new Date('2026-12-20T00:00:00Z')).toISOString()).toBe('2026-12-24T02:00:00.000Z');
    // Data changed later: the data's time wins.
    expect(watch.lastModified(new Date('2026-12-25T01:00:00Z')).toISOString()).toBe('2026-12-25T01:00:00.000Z');
  });

  it('knows the earliest future instant a page compared against: when its content next changes', () => {
    const watch = new ClockWatch(now);
    expect(watch.nextChange).toBeNull();
    watch.passed('2026-12-24T10:00:00+08:00');
    expect(watch.nextChange).toBeNull();
    watch.passed('2026-12-30T17:00:00+08:00');
    watch.passed('2026-12-28T17:00:00+08:00');
    watch.changesAt(new Date('2026-12-29T00:00:00+08:00'));
    watch.changesAt(new Date('2026-12-01T00:00:00+08:00')); // already past: not a future change
    expect(watch.nextChange?.toISOString()).toBe('2026-12-28T09:00:00.000Z');
  });

  it('leaves a page that never read the clock dated by its data', () => {
    const watch = new ClockWatch(now);
    expect(watch.lastModified(new Date(0)).getTime()).toBe(0);
  });
});

describe('page helpers', () => {
  it('makes weak ETags that change with the body', () => {
    expect(weakEtag('a')).toMatch(/^W\/"[\w-]{27}"$/);
    expect(weakEtag('a')).not.toBe(weakEtag('b'));
  });

  it.each([
    ['/notices?category=procurement', '/notices?category=procurement'],
    ['//evil.example.com/', '/'],
    ['/\\evil.example.com', '/'],
    ['https://evil.example.com/', '/'],
    ['/ok\r\nSet-Cookie: x=1', '/'],
    [['/a', '/b'], '/'],
    [undefined, '/'],
  ])('returns to %p as %p after switching the display mode', (back, path) => expect(safeReturnPath(back)).toBe(path));

  it('cuts a snippet around the first search match', () => {
    const body = `${'前'.repeat(60)}道路改造${'后'.repeat(100)}`;
    const s = snippet(body, '道路');
    expect(s.startsWith('…')).toBe(true);
    expect(s).toContain('道路改造');
    expect(s.endsWith('…')).toBe(true);
    expect(snippet('短文本', undefined)).toBe('短文本');
  });
});
