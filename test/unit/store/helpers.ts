// Helpers for the database file tests: a temporary folder per test, the schema as comparable
// text, and child Node processes that re-run the compiled test file in a "child mode" so that
// locking, reloading and crashes are tested across real processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { Database, SqlValue } from 'sql.js';

export const CHILD_ENV = 'LOUPE_TEST_CHILD';

/** A fresh folder, removed when the test ends. */
export function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-store-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Every table, index, view and trigger, with the SQL that made it, in a stable order. */
export function schemaOf(db: Database): string[][] {
  const rows = db.exec(
    "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
  )[0]?.values;
  return (rows ?? []).map((r) => r.map((v) => String(v)));
}

export function scalar(db: Database, sql: string, params: SqlValue[] = []): unknown {
  return db.exec(sql, params)[0]?.values[0]?.[0];
}

/** Written with writeSync: children run synchronous loops, and an async stdout would never flush. */
export function say(line: string): void {
  writeSync(1, line + '\n');
}

export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export interface Child {
  proc: ChildProcess;
  lines: string[];
  /** Resolves with the first line that satisfies `match` (already received or future). */
  waitFor(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Runs this compiled test file again as a child, in the given mode. */
export function spawnChild(mode: string, args: string[]): Child {
  const proc = spawn(process.execPath, ['--enable-source-maps', __filename, ...args], {
    env: { ...process.env, [CHILD_ENV]: mode },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { match: (l: string) => boolean; resolve: (l: string) => void }[] = [];
  let partial = '';
  let stderr = '';
  proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const w of waiters.filter((w) => w.match(line))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    proc.on('exit', (code, signal) => setImmediate(() => resolve({ code, signal, stderr }))),
  );
  return {
    proc,
    lines,
    exited,
    waitFor(match, timeoutMs = 20_000) {
      const seen = lines.find(match);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`child ${mode} never printed the expected line; stderr: ${stderr}`)), timeoutMs);
        waiters.push({ match, resolve: (l) => (clearTimeout(timer), resolve(l)) });
        void exited.then(({ code, signal }) => {
          clearTimeout(timer);
          reject(new Error(`child ${mode} exited (${code ?? signal}) before the expected line; stderr: ${stderr}`));
        });
      });
    },
  };
}

/** Waits for a child to finish and fails with its stderr if it did not exit cleanly. */
export async function expectCleanExit(child: Child): Promise<void> {
  const { code, signal, stderr } = await child.exited;
  if (code !== 0) throw new Error(`child exited with ${code ?? signal}: ${stderr}`);
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
