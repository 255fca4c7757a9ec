// `npm run bench`: Loupe's speed and memory targets, each measured beside a baseline in the same
// run (these machines are noisy: ratios travel, absolute times do not). Prints a table.
//
//   LOUPE_BENCH_MB=100   size of the generated transcript folder (default 100)
//   LOUPE_BENCH_RUNS=3   runs per measurement; the median is reported
//   LOUPE_BENCH_ONLY=ingest|compact|recall|webview   run one part
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSession, writeCorpus, writeProjects } from '../fixtures/generate';
import { runChild } from './child';
import { benchRecall } from './recall';
import { benchWebview } from './webview';
import type { BenchRow } from './row';

type Row = BenchRow;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Runs one measurement in a fresh process, so that peak memory is its own. */
function child(args: string[]): { seconds: number; maxRssMb: number; extra: Record<string, number> } {
  const r = spawnSync(process.execPath, ['--expose-gc', __filename, '--child', ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`benchmark child failed (${args.join(' ')}):\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.jsonl')) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

function printTable(rows: Row[]): void {
  const header = ['measure', 'baseline', 'loupe', 'ratio', 'target', ''];
  const cells = [header, ...rows.map((r) => [r.measure, r.baseline, r.loupe, r.ratio, r.target, r.ok === null ? '' : r.ok ? 'ok' : 'MISSED'])];
  const widths = header.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => '| ' + c.map((s, i) => s.padEnd(widths[i]!)).join(' | ') + ' |';
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const c of cells.slice(1)) console.log(line(c));
}

function benchIngest(rows: Row[], runs: number): void {
  const mb = Number(process.env.LOUPE_BENCH_MB ?? 100);
  const work = mkdtempSync(join(tmpdir(), 'loupe-bench-'));
  try {
    const corpus = join(work, 'corpus');
    process.stderr.write(`generating a ${mb} MB transcript folder…\n`);
    writeCorpus(corpus, { seed: 7, targetBytes: mb * 1024 * 1024 });
    const bytes = folderBytes(corpus);
    const transcriptMb = bytes / (1024 * 1024);
    const base: number[] = [];
    const ours: number[] = [];
    const withIndex: number[] = [];
    let rss = 0;
    let baseRss = 0;
    let dbBytes = 0;
    let ingestDbBytes = 0;
    for (let i = 0; i < runs; i++) {
      process.stderr.write(`run ${i + 1}/${runs}…\n`);
      const b = child(['baseline', corpus]);
      base.push(b.seconds);
      baseRss = Math.max(baseRss, b.maxRssMb);
      const db = join(work, `run${i}.db`);
      const l = child(['ingest', corpus, db]);
      ours.push(l.seconds - l.extra.indexSeconds!);
      withIndex.push(l.seconds);
      rss = Math.max(rss, l.maxRssMb);
      dbBytes = statSync(db).size;
      ingestDbBytes = l.extra.ingestDbBytes!;
      for (const suffix of ['', '.bak']) if (existsSync(db + suffix)) rmSync(db + suffix);
    }
    const baseSpeed = transcriptMb / median(base);
    const ourSpeed = transcriptMb / median(ours);
    const ratio = ourSpeed / baseSpeed;
    const dbPerMb = dbBytes / (1024 * 1024) / transcriptMb;
    rows.push(
      {
        measure: `ingest ${transcriptMb.toFixed(0)} MB (MB/s)`,
        baseline: `${baseSpeed.toFixed(1)} (read+JSON.parse)`,
        loupe: ourSpeed.toFixed(1),
        ratio: `${ratio.toFixed(2)}×`,
        target: '≥ 0.30×',
        ok: ratio >= 0.3,
      },
      {
        measure: 'ingest, then recall index + graph (MB/s)',
        baseline: `${baseSpeed.toFixed(1)} (read+JSON.parse)`,
        loupe: (transcriptMb / median(withIndex)).toFixed(1),
        ratio: `${(transcriptMb / median(withIndex) / baseSpeed).toFixed(2)}×`,
        target: '',
        ok: null,
      },
      {
        measure: 'database per transcript MB (ingest)',
        baseline: '',
        loupe: `${(ingestDbBytes / (1024 * 1024) / transcriptMb).toFixed(3)} MB`,
        ratio: '',
        target: '≤ 0.5 MB',
        ok: ingestDbBytes / (1024 * 1024) / transcriptMb <= 0.5,
      },
      {
        measure: 'database per transcript MB (with index + graph)',
        baseline: '',
        loupe: `${dbPerMb.toFixed(3)} MB`,
        ratio: '',
        target: '',
        ok: null,
      },
      {
        measure: 'peak memory (RSS)',
        baseline: `${baseRss.toFixed(0)} MB`,
        loupe: `${rss.toFixed(0)} MB`,
        ratio: `${(rss / baseRss).toFixed(2)}×`,
        target: '≤ 1024 MB',
        ok: rss <= 1024,
      },
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Compaction of a ~5 MB session: cold (every turn distilled), and after an ingest that appended
 * turns (only those are distilled, R3 rebuilt). Baseline: reading and parsing the same file.
 */
function benchCompact(rows: Row[], runs: number): void {
  const work = mkdtempSync(join(tmpdir(), 'loupe-bench-compact-'));
  try {
    const full = generateSession({ seed: 11, turns: 420 });
    const partial = generateSession({ seed: 11, turns: 420 });
    writeProjects(join(work, 'full'), [full]);
    writeProjects(join(work, 'partial'), [partial]);
    // The partial copy lacks the last turns of the main file: the child appends them before the second compaction.
    const main = full.files.find((f) => f.relPath.endsWith(`${full.sessionId}.jsonl`))!;
    const lines = main.content.split('\n');
    const cut = lines.slice(0, Math.floor(lines.length * 0.97)).join('\n') + '\n';
    writeFileSync(join(work, 'partial', 'projects', main.relPath), cut);
    const mb = Buffer.byteLength(main.content) / (1024 * 1024);
    const cold: number[] = [];
    const incremental: number[] = [];
    const base: number[] = [];
    for (let i = 0; i < runs; i++) {
      const r = child(['compact', join(work, 'partial'), join(work, `c${i}.db`), join(work, 'full', 'projects', main.relPath), join(work, 'partial', 'projects', main.relPath)]);
      cold.push(r.extra.coldSeconds!);
      incremental.push(r.extra.incrementalSeconds!);
      base.push(child(['baseline', join(work, 'full')]).seconds);
    }
    const b = median(base);
    rows.push(
      {
        measure: `compact ${mb.toFixed(1)} MB session, cold (s)`,
        baseline: `${b.toFixed(2)} (read+JSON.parse)`,
        loupe: median(cold).toFixed(2),
        ratio: `${(median(cold) / b).toFixed(1)}×`,
        target: '',
        ok: null,
      },
      {
        measure: 'compact after appending turns (s)',
        baseline: `${b.toFixed(2)} (read+JSON.parse)`,
        loupe: median(incremental).toFixed(2),
        ratio: `${(median(incremental) / b).toFixed(1)}×`,
        target: '< 1 s',
        ok: median(incremental) < 1,
      },
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') {
    const result = await runChild(argv.slice(1));
    console.log(JSON.stringify(result));
    return;
  }
  const runs = Number(process.env.LOUPE_BENCH_RUNS ?? 3);
  const rows: Row[] = [];
  if (!process.env.LOUPE_BENCH_ONLY || process.env.LOUPE_BENCH_ONLY === 'ingest') benchIngest(rows, runs);
  if (!process.env.LOUPE_BENCH_ONLY || process.env.LOUPE_BENCH_ONLY === 'compact') benchCompact(rows, runs);
  if (!process.env.LOUPE_BENCH_ONLY || process.env.LOUPE_BENCH_ONLY === 'recall') await benchRecall(rows);
  if (!process.env.LOUPE_BENCH_ONLY || process.env.LOUPE_BENCH_ONLY === 'webview') await benchWebview(rows);
  console.log('');
  printTable(rows);
  if (rows.some((r) => r.ok === false)) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
