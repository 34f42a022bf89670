import { Injectable } from '@nestjs/common';

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/** A request that got no HTTP answer (refused, reset, timed out). */
export class TransportError extends Error {}

/**
 * Outbound HTTP for push, pull and alerts, injected so a test can point it at a test peer or replace it.
 * Only the status, headers and text come back; the caller decides what they mean.
 */
@Injectable()
export class SyncHttpClient {
  async request(
    method: 'GET' | 'POST',
    url: string,
    o: { headers?: Record<string, string>; body?: string; timeoutMs: number },
  ): Promise<HttpAnswer> {
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: o.headers,
        body: o.body,
        signal: AbortSignal.timeout(o.timeoutMs),
        redirect: 'error',
      });
      return { status: res.status, headers: res.headers, text: await res.text() };
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      const reason =
        err.name === 'TimeoutError'
          ? `timeout after ${o.timeoutMs} ms`
          : (err.cause?.code ?? err.cause?.message ?? err.message);
      throw new TransportError(`${method} ${url}: ${reason}`);
    }
  }
}
