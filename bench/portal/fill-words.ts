import { Worker } from 'node:worker_threads';
import type { DatabaseConfig } from '../../src/config/config.js';
import type { Database } from '../../src/database/database.js';
import { BlockBuilder, PostingBatch } from '../../src/trading/search-blocks.js';
import { documentGrams } from '../../src/trading/search-grams.js';
import { preparingSql } from '../fill-rows.js';

/** A notice's folded text (its search document's content) and its publication instant, in ms. */
export interface WordDoc {
  instant: number;
  content: string;
}

/** Notices holding each word key. */
export type WordCounts = [string, number][];

/** What the word index of a fill did. */
export interface WordIndexReport {
  postings: number;
  /** Spent writing the blocks. */
  seconds: number;
  /** Spent finding and gathering the word keys of each notice. */
  gatherSeconds: number;
}

/** Word postings gathered before they go to their keys' runs (a key looked up once a flush, not once a posting). */
const WORD_POSTINGS_PER_FLUSH = 10_000_000;
/** Documents whose keys are gathered between two turns of the event loop (when writes are in flight). */
const GATHER_SLICE = 200;

/**
 * The fill's word index: each notice's word keys' instants built into their blocks (BlockBuilder: the fill
 * publishes in order, and nothing else writes the blocks meanwhile, so each block is written once, when cut, and
 * the open ones at the end), with how many notices hold each key. The folded texts themselves (notice_search_text)
 * go in with their notices, in the fill's own transaction.
 */
export class WordIndex {
  private readonly blocks = new BlockBuilder();
  private readonly words = new PostingBatch();
  /** The closed blocks being written (one write at a time). */
  private flushing: Promise<void> = Promise.resolve();
  private postings = 0;
  private seconds = 0;
  private gatherSeconds = 0;

  /**
   * `overlap` (a worker with its own connections): a flush's blocks are written while the keys of the next
   * notices are gathered. Else (SQLite's one connection, shared with the fill) one at a time.
   */
  constructor(
    private readonly db: Database,
    private readonly overlap = false,
  ) {}

  async add(docs: WordDoc[]): Promise<void> {
    // A document holds each of its keys once: a key's notices are its postings, counted once a flush. In slices,
    // letting the writes in flight go on between them.
    const t = process.hrtime.bigint();
    for (let i = 0; i < docs.length; i += GATHER_SLICE) {
      for (const d of docs.slice(i, i + GATHER_SLICE))
        for (const gram of documentGrams(d.content)) this.words.add(gram, d.instant);
      if (this.overlap) await new Promise((resolve) => setImmediate(resolve));
    }
    this.gatherSeconds += Number(process.hrtime.bigint() - t) / 1e9;
    if (this.words.size >= WORD_POSTINGS_PER_FLUSH) await this.flush();
  }

  /**
   * Writes the last blocks. The keys' counts are complete before the open blocks are written: `counted` has them
   * then, so that the fill writes them meanwhile.
   */
  async end(counted: (counts: WordCounts) => void): Promise<WordIndexReport> {
    await this.flush();
    await this.flushing;
    counted([...this.blocks.noticesByKey()]);
    await this.timed('seconds', () => this.db.transaction((em) => this.blocks.end(preparingSql(em), this.db.dialect)));
    return {
      postings: this.postings,
      seconds: this.seconds,
      gatherSeconds: this.gatherSeconds,
    };
  }

  /**
   * Moves the gathered postings into their keys' runs and starts writing the blocks they closed, once the write
   * before has ended; waits for it unless overlapping.
   */
  private async flush() {
    this.postings += this.words.size;
    this.words.moveInto(this.blocks);
    await this.flushing;
    this.flushing = this.timed('seconds', () =>
      this.db.transaction((em) => this.blocks.writeClosed(preparingSql(em), this.db.dialect)),
    );
    this.flushing.catch(() => undefined);
    if (!this.overlap) await this.flushing;
  }

  private async timed(what: 'seconds', work: () => Promise<unknown>): Promise<void> {
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
 * The word index in a worker thread with its own connection (fill-words.worker.ts), so that keying the texts and
 * writing their postings — a third of the fill's work — runs on the second core beside the generators.
 * MySQL/MariaDB only: two writers of one SQLite file would wait on each other's locks.
 */
export class WordIndexWorker {
  private readonly worker: Worker;
  private inFlight = 0;
  private failure: Error | null = null;
  private waiting: (() => void) | null = null;
  private ended: ((r: WordIndexReport) => void) | null = null;
  private counted: ((counts: WordCounts) => void) | null = null;
  private failed: ((e: Error) => void) | null = null;

  constructor(config: DatabaseConfig) {
    // Every key's open block stays in the worker's memory until the end: some millions of keys at 1,000,000 notices.
    this.worker = new Worker(new URL('./fill-words.worker.js', import.meta.url), {
      workerData: { config },
      resourceLimits: { maxOldGenerationSizeMb: 8192 },
    });
    type Message =
      { type: 'written' } | { type: 'counted'; counts: WordCounts } | { type: 'ended'; report: WordIndexReport };
    this.worker.on('message', (m: Message) => {
      if (m.type === 'written') {
        this.inFlight--;
        this.wake();
      } else if (m.type === 'counted') this.counted?.(m.counts);
      else this.ended?.(m.report);
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

  async end(counted: (counts: WordCounts) => void): Promise<WordIndexReport> {
    if (this.failure) throw this.failure;
    this.counted = counted;
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
