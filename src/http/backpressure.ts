import type { Writable } from 'node:stream';

/**
 * Resolves when `out` drains or closes (a client that hangs up never drains), leaving no listener behind: a long
 * export waits many times, and a listener left per wait would pile up on the response.
 */
export function drainedOrClosed(out: Writable): Promise<void> {
  // Already gone: no event is coming.
  if (out.destroyed || out.closed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}
