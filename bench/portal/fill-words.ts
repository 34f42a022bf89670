import { Worker } from 'node:worker_threads';
import type { DatabaseConfig } from '../../src/config/config.js';
import type { Database } from '../../src/database/database.js';
import { PostingBatch } from '../../src/trading/search-blocks.js';
import { documentGrams } from '../../src/trading/search-grams.js';
import { insertRows } from '../fill-rows.js';

/** A notice's folded text (its search document's content) and its publication instant, in ms. */
export interface WordDoc {
  id: string;
  instant: number;
  content: string;
}

/** What the word index of a fill holds at its end. */
export interface WordIndexReport {
  /** Notices holding each word key. */
  counts: [string, number][];
  postings: number;
  /** Spent writing postings into their blocks. */
  seconds: number;
  /** Spent writing the folded texts, and finding and gathering the word keys of each notice. */
  textSeconds: number;
  gatherSeconds: number;
}

/** Word postings held in memory before they go into their blocks (about 100,000 notices' worth). */
const WORD_POSTINGS_PER_FLUSH = 50_000_000;
/** Documents whose keys are gathered between two turns of the event loop (when writes are in flight). */
const GATHER_SLICE = 200;

/**
 * The fill's word index: each notice's folded text kept (notice_search_text) and its word keys' instants added to
 * their blocks, many batches at a time (as a rebuild does: each key's open block read and rewritten once a flush
 * rather than once a batch), with how many notices hold each key.
 */
export class WordIndex {
  private words = new PostingBatch();
  /** The postings being written into their blocks (one flush at a time: the next reads the blocks it wrote). */
  private flushing: Promise<void> = Promise.resolve();
  private readonly counts = new Map<string, number>();
  private postings = 0;
  private seconds = 0;
  private textSeconds = 0;
  private gatherSeconds = 0;

  /**
   * `overlap` (a worker with its own connections): the texts of a batch and a flush's blocks are written while
   * the keys of the next notices are gathered. Else (SQLite's one connection, shared with the fill) one at a time.
   */
  constructor(
    private readonly db: Database,
    private readonly overlap = false,
  ) {}

  async add(docs: WordDoc[]): Promise<void> {
    const texts = this.timed('textSeconds', () =>
      this.db.transaction((em) =>
        insertRows(
          em,
          'notice_search_text',
          ['notice_id', 'content'],
          docs.map((d) => [d.id, d.content]),
          100,
        ),
      ),
    );
    texts.catch(() => undefined);
    if (!this.overlap) await texts;
    // A document holds each of its keys once: a key's notices are its postings, counted once a flush. In slices,
    // letting the writes in flight go on between them.
    const t = process.hrtime.bigint();
    for (let i = 0; i < docs.length; i += GATHER_SLICE) {
      for (const d of docs.slice(i, i + GATHER_SLICE))
        for (const gram of documentGrams(d.content)) this.words.add(gram, d.instant);
      if (this.overlap) await new Promise((resolve) => setImmediate(resolve));
    }
    this.gatherSeconds += Number(process.hrtime.bigint() - t) / 1e9;
    await texts;
    if (this.words.size >= WORD_POSTINGS_PER_FLUSH) await this.flush();
  }

  async end(): Promise<WordIndexReport> {
    await this.flush();
    await this.flushing;
    return {
      counts: [...this.counts],
      postings: this.postings,
      seconds: this.seconds,
      textSeconds: this.textSeconds,
      gatherSeconds: this.gatherSeconds,
    };
  }

  /** Starts writing the gathered postings, once the flush before has ended; waits for it unless overlapping. */
  private async flush() {
    await this.flushing;
    const words = this.words;
    this.words = new PostingBatch();
    this.postings += words.size;
    for (const [gram, n] of words.postingsByKey()) this.counts.set(gram, (this.counts.get(gram) ?? 0) + n);
    this.flushing = this.timed('seconds', () => this.db.transaction((em) => words.flush(em, this.db.dialect)));
    this.flushing.catch(() => undefined);
    if (!this.overlap) await this.flushing;
  }

  private async timed(what: 'seconds' | 'textSeconds', work: () => Promise<unknown>): Promise<void> {
    const t = process.hrtime.bigint();
    try {
      await work();
    } finally {
      this[what] += Number(process.hrtime.bigint() - t) / 1e9;
    }
  }
}

/** Batches handed to the worker and not yet written: the fill waits beyond this many (memory stays bounded). */
const IN_FLIGHT = 3;

/**
 * The word index in a worker thread with its own connection (fill-words.worker.ts), so that folding, keying and
 * writing the texts' postings — a third of the fill's work — runs on the second core beside the generators.
 * MySQL/MariaDB only: two writers of one SQLite file would wait on each other's locks.
 */
export class WordIndexWorker {
  private readonly worker: Worker;
  private inFlight = 0;
  private failure: Error | null = null;
  private waiting: (() => void) | null = null;
  private ended: ((r: WordIndexReport) => void) | null = null;
  private failed: ((e: Error) => void) | null = null;

  constructor(config: DatabaseConfig) {
    this.worker = new Worker(new URL('./fill-words.worker.js', import.meta.url), { workerData: { config } });
    this.worker.on('message', (m: { type: 'written' } | { type: 'ended'; report: WordIndexReport }) => {
      if (m.type === 'written') {
        this.inFlight--;
        this.wake();
      } else this.ended?.(m.report);
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => {
      if (code !== 0) this.fail(new Error(`the word index worker stopped with code ${code}`));
    });
  }

  async add(docs: WordDoc[]): Promise<void> {
    if (this.failure) throw this.failure;
    this.inFlight++;
    this.worker.postMessage({ type: 'add', docs });
    while (this.inFlight >= IN_FLIGHT && !this.failure) await new Promise<void>((resolve) => (this.waiting = resolve));
    if (this.failure) throw this.failure;
  }

  async end(): Promise<WordIndexReport> {
    if (this.failure) throw this.failure;
    const report = new Promise<WordIndexReport>((resolve, reject) => {
      this.ended = resolve;
      this.failed = reject;
    });
    this.worker.postMessage({ type: 'end' });
    const r = await report;
    await this.worker.terminate();
    return r;
  }

  private fail(e: Error) {
    this.failure ??= e;
    this.wake();
    this.failed?.(e);
  }

  private wake() {
    const w = this.waiting;
    this.waiting = null;
    w?.();
  }
}
