/**
 * The baseline of the hot-page benchmark: a bare `node:http` server that answers each recorded request with
 * the bytes the portal sent for it — same status, same headers (names, values, order), same body — and 304
 * with the portal's 304 headers to a matching If-None-Match. What the portal could reach if rendering and
 * reading cost nothing.
 *
 *   node dist/bench/portal/bare-server.js <responses.json> <port>
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

export interface RecordedResponse {
  path: string;
  status: number;
  /** Raw header pairs as the portal sent them, without Date, Connection and Keep-Alive (node adds its own). */
  headers: [string, string][];
  bodyBase64: string;
  etag: string | null;
  notModifiedHeaders: [string, string][] | null;
}

const [file, port] = process.argv.slice(2);
if (file && port) {
  const recorded: RecordedResponse[] = JSON.parse(readFileSync(file, 'utf8'));
  const byPath = new Map(recorded.map((r) => [r.path, { ...r, body: Buffer.from(r.bodyBase64, 'base64') }]));
  createServer((req, res) => {
    if (req.url === '/__ready') {
      res.end('ok');
      return;
    }
    const r = byPath.get(req.url ?? '');
    if (!r) {
      res.statusCode = 404;
      res.end();
      return;
    }
    if (r.etag && r.notModifiedHeaders && req.headers['if-none-match'] === r.etag) {
      res.writeHead(304, r.notModifiedHeaders.flat());
      res.end();
      return;
    }
    res.writeHead(r.status, r.headers.flat());
    res.end(r.body);
  }).listen(Number(port), '127.0.0.1');
}
