import { backoffMs, decide, retryAfterMs, type AttemptResult, type Decision } from './retry-policy.js';

const policy = { maxAttempts: 5, baseMs: 1000, maxMs: 60_000 };
const NOW = new Date('2026-11-25T02:00:00Z');
const half = () => 0.5;

describe('delivery decisions', () => {
  const cases: [string, AttemptResult, number, Decision['action']][] = [
    ['200', { status: 200 }, 1, 'delivered'],
    ['201', { status: 201 }, 3, 'delivered'],
    ['500', { status: 500 }, 1, 'retry'],
    ['503', { status: 503 }, 4, 'retry'],
    ['408', { status: 408 }, 1, 'retry'],
    ['429', { status: 429 }, 1, 'retry'],
    ['409 (parent not there yet)', { status: 409 }, 1, 'retry'],
    ['a timeout', { transportError: 'timeout' }, 1, 'retry'],
    ['a refused connection', { transportError: 'ECONNREFUSED' }, 2, 'retry'],
    ['400', { status: 400 }, 1, 'park'],
    ['401', { status: 401 }, 1, 'park'],
    ['403', { status: 403 }, 1, 'park'],
    ['404', { status: 404 }, 1, 'park'],
    ['413', { status: 413 }, 1, 'park'],
    ['422', { status: 422 }, 1, 'park'],
    ['503 at the last attempt', { status: 503 }, 5, 'park'],
    ['409 at the last attempt', { status: 409 }, 5, 'park'],
    ['a timeout at the last attempt', { transportError: 'timeout' }, 5, 'park'],
  ];
  it.each(cases)('%s → %s', (_, result, attempts, action) => {
    expect(decide(result, attempts, policy, NOW, half).action).toBe(action);
  });

  it('says why it parked', () => {
    expect(decide({ status: 422 }, 1, policy, NOW)).toEqual({ action: 'park', reason: 'HTTP 422' });
    expect(decide({ status: 503 }, 5, policy, NOW)).toEqual({ action: 'park', reason: 'HTTP 503；已失败 5 次' });
  });

  it('honours Retry-After in seconds and as a date, within the ceiling', () => {
    expect(decide({ status: 429, retryAfter: '7' }, 1, policy, NOW, half)).toEqual({
      action: 'retry',
      delayMs: 7000,
      reason: 'HTTP 429',
    });
    expect(decide({ status: 503, retryAfter: 'Wed, 25 Nov 2026 02:00:30 GMT' }, 1, policy, NOW, half)).toMatchObject({
      delayMs: 30_000,
    });
    expect(decide({ status: 503, retryAfter: '86400' }, 1, policy, NOW, half)).toMatchObject({ delayMs: 60_000 });
    expect(decide({ status: 503, retryAfter: 'soon' }, 1, policy, NOW, half)).toMatchObject({ delayMs: 750 });
  });
});

describe('backoff', () => {
  it('doubles per failure up to the ceiling, between half and all of each step', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, policy, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((n) => backoffMs(n, policy, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(30, policy, () => 1)).toBe(60_000);
    expect(backoffMs(10_000, policy, () => 0)).toBe(30_000);
  });

  it('spreads retries (jitter)', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffMs(5, policy)));
    expect(delays.size).toBeGreaterThan(40);
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(8000);
  });

  it('reads Retry-After', () => {
    expect(retryAfterMs('120', NOW)).toBe(120_000);
    expect(retryAfterMs('Wed, 25 Nov 2026 01:00:00 GMT', NOW)).toBe(0);
    expect(retryAfterMs(undefined, NOW)).toBeUndefined();
    expect(retryAfterMs('-1', NOW)).toBeUndefined();
  });
});
