// The measured side of each benchmark, run in its own process (see bench.ts).
import { appendFileSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { compactSession } from '../../src/core/assemble/compact';
import { join } from 'node:path';
import { ingestPaths } from '../../src/core/ingest';
import { catchUp } from '../../src/core/recall/write';
import { openStore } from '../../src/core/store/store';

export interface ChildResult {
  seconds: number;
  maxRssMb: number;
  extra: Record<string, number>;
}

function jsonlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.jsonl'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** The baseline: read every file and JSON.parse every line, nothing else. */
function baseline(dir: string): Record<string, number> {
  let lines = 0;
  for (const file of jsonlFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    for (const line of text.split('\n')) {
      if (line === '') continue;
      JSON.parse(line);
      lines++;
    }
  }
  return { lines };
}

export async function runChild(argv: string[]): Promise<ChildResult> {
  const [what, dir, db] = argv;
  const started = performance.now();
  let extra: Record<string, number>;
  if (what === 'baseline') {
    extra = baseline(dir!);
  } else if (what === 'ingest') {
    const store = await openStore(db!);
    // The worker bundle the CLI and the extension use (built by `node esbuild.mjs --bench`).
    const workerScript = join(__dirname, '..', '..', '..', 'dist', 'parse-worker.js');
    const report = await ingestPaths(store, [dir!], { workerScript });
    const ingestDbBytes = statSync(db!).size;
    // What `loupe ingest` does next: recall's index and graph of the new events, timed apart.
    const t = performance.now();
    await catchUp(store);
    const indexSeconds = (performance.now() - t) / 1000;
    store.close();
    extra = { events: report.events, files: report.filesRead, indexSeconds, ingestDbBytes };
  } else if (what === 'compact') {
    // argv: folder db fullFile partialFile. Ingest the partial session, compact it (cold), append
    // the missing turns, ingest, compact again (incremental). Only the compactions are timed.
    const [, , , fullFile, partialFile] = argv;
    const store = await openStore(db!);
    await ingestPaths(store, [dir!], { workerScript: null });
    const id = store.listSessions().sort((a, b) => b.turns - a.turns)[0]!.id;
    let t = performance.now();
    await compactSession(store, id, { budget: 8_000 });
    const coldSeconds = (performance.now() - t) / 1000;
    const full = readFileSync(fullFile!);
    appendFileSync(partialFile!, full.subarray(statSync(partialFile!).size));
    await ingestPaths(store, [dir!], { workerScript: null });
    t = performance.now();
    await compactSession(store, id, { budget: 8_000 });
    const incrementalSeconds = (performance.now() - t) / 1000;
    store.close();
    extra = { coldSeconds, incrementalSeconds };
  } else {
    throw new Error(`unknown benchmark child "${what}"`);
  }
  const seconds = (performance.now() - started) / 1000;
  return { seconds, maxRssMb: process.resourceUsage().maxRSS / 1024, extra };
}
