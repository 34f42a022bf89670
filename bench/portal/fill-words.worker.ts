import { parentPort, workerData } from 'node:worker_threads';
import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../../src/config/config.js';
import { dataSourceOptions } from '../../src/database/data-source.js';
import { Database } from '../../src/database/database.js';
import { WordIndex, type WordDoc } from './fill-words.js';

/**
 * The worker side of WordIndexWorker: one connection of its own, the batches written in the order they came, a
 * "written" message after each (the fill's backpressure), at the end the keys' counts and then the report. An
 * error ends the worker, which the fill reports.
 */
const { config } = workerData as { config: DatabaseConfig };
const dataSource = new DataSource(dataSourceOptions(config, []));
await dataSource.initialize();
const index = new WordIndex(new Database(dataSource), true);
let queue = Promise.resolve();

parentPort!.on('message', (m: { type: 'add'; docs: WordDoc[] } | { type: 'end' }) => {
  queue = queue.then(async () => {
    if (m.type === 'add') {
      await index.add(m.docs);
      parentPort!.postMessage({ type: 'written' });
    } else {
      const report = await index.end((counts) => parentPort!.postMessage({ type: 'counted', counts }));
      await dataSource.destroy();
      parentPort!.postMessage({ type: 'ended', report });
    }
  });
  queue.catch((e: unknown) => {
    // Thrown out of the handler: the worker's 'error' event carries it to the fill.
    setImmediate(() => {
      throw e;
    });
  });
});
