// Worker thread entry (bundled as dist/parse-worker.js): reads and parses transcript files for
// ingest on the main thread. See parse-pool.ts.
import { parentPort } from 'node:worker_threads';
import { parseInline } from './parse-pool';
import type { ReadJob } from './read';

parentPort?.on('message', (msg: { id: number; job: ReadJob }) => {
  parentPort!.postMessage({ id: msg.id, outcome: parseInline(msg.job) });
});
