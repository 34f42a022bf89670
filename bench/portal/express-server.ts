/**
 * The framework ceiling of the hot-page benchmark: Express (through Nest's own adapter) with the portal's
 * per-request middleware — the access log (pino-http at the benchmark's level), the request id and its context,
 * helmet's security headers — answering each recorded request from memory as the bare server does (bare-server.ts).
 * What the portal could reach on this stack if its cache cost nothing: the issue allows the hot-page target to be
 * closed by a measured ceiling of the framework, and this is that measure.
 *
 *   node dist/bench/portal/express-server.js <responses.json> <port>
 */
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express, Request, Response } from 'express';
import helmet from 'helmet';
import { readFileSync } from 'node:fs';
import { accessLog, createLogger } from '../../src/http/access-log.js';
import { requestContext } from '../../src/http/request-id.js';
import type { RecordedResponse } from './bare-server.js';

const [file, port] = process.argv.slice(2);
if (file && port) {
  const recorded: RecordedResponse[] = JSON.parse(readFileSync(file, 'utf8'));
  const byPath = new Map(recorded.map((r) => [r.path, { ...r, body: Buffer.from(r.bodyBase64, 'base64') }]));
  const app = new ExpressAdapter().getInstance<Express>();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(accessLog(createLogger('warn')));
  app.use(requestContext);
  app.use(helmet());
  app.use((req: Request, res: Response) => {
    if (req.url === '/__ready') {
      res.end('ok');
      return;
    }
    const r = byPath.get(req.url);
    if (!r) {
      res.status(404).end();
      return;
    }
    const send = (status: number, headers: [string, string][], body?: Buffer) => {
      for (const [name, value] of headers) if (!/^x-request-id$/i.test(name)) res.setHeader(name, value);
      res.status(status).end(body);
    };
    if (r.etag && r.notModifiedHeaders && req.headers['if-none-match'] === r.etag) send(304, r.notModifiedHeaders);
    else send(r.status, r.headers, r.body);
  });
  app.listen(Number(port), '127.0.0.1');
}
