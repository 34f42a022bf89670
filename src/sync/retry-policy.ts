/**
 * What the relay does after one delivery attempt, and when it tries again. Plain functions, tested by table.
 */
export type AttemptResult = { status: number; retryAfter?: string | null } | { transportError: string };

export type Decision =
  { action: 'delivered' } | { action: 'retry'; delayMs: number; reason: string } | { action: 'park'; reason: string };

export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
}

/**
 * 2xx: delivered. 5xx, timeouts and network errors, 408, 429 and 409 (the receiver lacks the parent record yet):
 * retried until `maxAttempts` failures, then parked. Any other 4xx will not get better by itself: parked at once.
 * `attempts` counts this attempt.
 */
export function decide(
  result: AttemptResult,
  attempts: number,
  policy: RetryPolicy,
  now: Date,
  random = Math.random,
): Decision {
  if ('transportError' in result) return retryOrPark(result.transportError, attempts, policy, undefined, random);
  const { status } = result;
  if (status >= 200 && status < 300) return { action: 'delivered' };
  const reason = `HTTP ${status}`;
  if (status >= 500 || status === 408 || status === 429 || status === 409) {
    return retryOrPark(reason, attempts, policy, retryAfterMs(result.retryAfter, now), random);
  }
  return { action: 'park', reason };
}

function retryOrPark(
  reason: string,
  attempts: number,
  policy: RetryPolicy,
  retryAfter: number | undefined,
  random: () => number,
): Decision {
  if (attempts >= policy.maxAttempts) return { action: 'park', reason: `${reason}；已失败 ${attempts} 次` };
  // The receiver's Retry-After wins over our own schedule (it may be longer or shorter), within our ceiling.
  const delayMs = retryAfter !== undefined ? Math.min(retryAfter, policy.maxMs) : backoffMs(attempts, policy, random);
  return { action: 'retry', delayMs, reason };
}

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so retries never come sooner
 * than half the schedule and a fleet of senders does not retry in step.
 */
export function backoffMs(
  failures: number,
  policy: Pick<RetryPolicy, 'baseMs' | 'maxMs'>,
  random = Math.random,
): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, Math.min(failures - 1, 40)));
  return Math.round(step / 2 + random() * (step / 2));
}

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function retryAfterMs(value: string | null | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(v) ? Date.parse(v) : NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
