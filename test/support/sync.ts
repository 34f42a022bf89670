import type { AddressInfo } from 'node:net';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Test } from 'supertest';
import { OutboxEntry } from '../../src/outbox/outbox.entity.js';
import { RelayService } from '../../src/sync/relay.service.js';
import { signedHeaders } from '../../src/sync/signing.js';
import type { TestApp } from './test-app.js';

/** Helpers for the platform-sync tests: signed pushes, a city's outbox as messages, a scriptable HTTP peer. */

export interface Key {
  keyId: string;
  secret: string;
}

/** POSTs `body` to /api/v1/ingest of `t`, signed with `key` at `t`'s clock (or `at`). */
export function push(
  t: TestApp,
  key: Key,
  body: unknown,
  idempotencyKey: string,
  o: { at?: Date; nonce?: string; raw?: string; contentType?: string } = {},
): Test {
  const text = o.raw ?? JSON.stringify(body);
  const headers = signedHeaders({
    keyId: key.keyId,
    secret: key.secret,
    body: text,
    idempotencyKey,
    now: o.at ?? t.clock.now(),
    nonce: o.nonce,
  });
  return t
    .http()
    .post('/api/v1/ingest')
    .set(headers)
    .set('Content-Type', o.contentType ?? 'application/json')
    .send(text);
}

/** The messages a city would push to `upstream`, in outbox order, with their idempotency keys. */
export async function outboxMessages(city: TestApp, upstream: string) {
  const entries = await city.db.manager.find(OutboxEntry, { where: { upstream }, order: { id: 'ASC' } });
  const relay = city.app.get(RelayService);
  return Promise.all(
    entries.map(async (e) => ({
      entry: e,
      key: e.idempotencyKey,
      message: JSON.parse(JSON.stringify(await relay.message(e))) as Record<string, any>,
    })),
  );
}

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A loopback HTTP server that records each request and answers with whatever `answer` returns. */
export async function testPeer(
  answer: (
    req: Received,
  ) =>
    | { status: number; body?: unknown; headers?: Record<string, string> }
    | Promise<{ status: number; body?: unknown; headers?: Record<string, string> }>,
) {
  const received: Received[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const r = {
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(r);
      const a = await answer(r);
      res.writeHead(a.status, { 'Content-Type': 'application/json; charset=utf-8', ...a.headers });
      res.end(a.body === undefined ? '' : JSON.stringify(a.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Starts `t` listening on a loopback port; returns its base URL. */
export async function listen(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
}
