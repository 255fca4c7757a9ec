// Reading and parsing transcripts off the main thread. Ingest is two halves of about equal cost:
// reading + JSON + tokens, and writing to sql.js. A worker thread does the first while the main
// thread does the second, which also keeps an extension host responsive during a large ingest.
// Where the worker script is not beside the bundle (unit-test bundles), the work runs inline.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { readAndParse, type ReadJob, type ReadResult } from './read';

export type ParseOutcome = { ok: true; result: ReadResult } | { ok: false; path: string; message: string };

/** The worker bundle esbuild writes beside the CLI and extension bundles. */
export function defaultWorkerScript(): string | null {
  const script = join(__dirname, 'parse-worker.js');
  return existsSync(script) ? script : null;
}

export class ParsePool {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, (outcome: ParseOutcome) => void>();
  private failure: Error | null = null;

  constructor(script: string | null) {
    if (!script) return;
    this.worker = new Worker(script);
    this.worker.on('message', (msg: { id: number; outcome: ParseOutcome }) => {
      const resolve = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (this.pending.size === 0) this.worker?.unref();
      resolve?.(msg.outcome);
    });
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => {
      if (this.pending.size > 0) this.fail(new Error(`the parse worker exited with code ${code}`));
    });
    // Keep the process alive only while a job is pending (see parse()).
    this.worker.unref();
  }

  /** Whether jobs ran in a worker thread (false once it failed and jobs ran inline). */
  get threaded(): boolean {
    return this.worker !== null && this.failure === null;
  }

  parse(job: ReadJob): Promise<ParseOutcome> {
    if (!this.worker || this.failure) return Promise.resolve(parseInline(job));
    const id = this.nextId++;
    return new Promise((resolve) => {
      if (this.pending.size === 0) this.worker!.ref();
      this.pending.set(id, resolve);
      this.worker!.postMessage({ id, job });
    });
  }

  close(): void {
    void this.worker?.terminate();
    this.worker = null;
  }

  /** A dead worker does not fail the ingest: its jobs are redone inline. */
  private fail(err: Error): void {
    this.failure = err;
    for (const [id, resolve] of this.pending) {
      this.pending.delete(id);
      resolve({ ok: false, path: '', message: `worker failed: ${err.message}` });
    }
  }
}

export function parseInline(job: ReadJob): ParseOutcome {
  try {
    return { ok: true, result: readAndParse(job) };
  } catch (err) {
    return { ok: false, path: job.path, message: (err as Error).message };
  }
}
