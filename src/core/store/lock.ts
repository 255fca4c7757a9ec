// One writer at a time across processes (every VS Code window runs its own extension host, and
// the CLI runs beside them). The lock is a file created with O_EXCL ('wx'), which is atomic on
// local file systems. Its content names the holder; its mtime is the heartbeat (refresh() touches
// it), so a holder that died or hung without releasing is detected and replaced.
//
// The lock is synchronous on purpose: sql.js work is synchronous, and a write must not yield to
// the event loop between reading the file and saving it.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';

export const DEFAULT_LOCK_STALE_MS = 30_000;
export const DEFAULT_LOCK_TIMEOUT_MS = 10_000;
const DEFAULT_RETRY_MS = 25;
const NAMELESS_GRACE_MS = 1_000;

export interface LockHolder {
  pid: number;
  hostname: string;
  acquiredAt: string;
  /** Random per acquisition, so ownership is checked by identity rather than by a pid that can be reused. */
  token?: string;
}

export interface LockOptions {
  /** A lock whose file was not touched for this long is presumed abandoned. */
  staleMs?: number;
  timeoutMs?: number;
  retryMs?: number;
}

/** Call to release. `refresh()` keeps a long hold from looking stale; both are no-ops once the lock is lost. */
export interface LockRelease {
  (): void;
  readonly lockPath: string;
  /** Whether the lock file is still ours (false after release, or if another process took it over). */
  isHeld(): boolean;
  /** Touches the lock file; returns false if the lock is no longer ours. */
  refresh(): boolean;
}

export class LockTimeoutError extends Error {
  constructor(
    readonly lockPath: string,
    readonly holder: LockHolder | undefined,
    timeoutMs: number,
  ) {
    const who = holder
      ? `pid ${holder.pid} on ${holder.hostname} (since ${holder.acquiredAt})`
      : 'a process that has not written its name yet';
    super(`timed out after ${timeoutMs} ms waiting for the lock ${lockPath}, held by ${who}`);
    this.name = 'LockTimeoutError';
  }
}

export function lockPathFor(resourcePath: string): string {
  return `${resourcePath}.lock`;
}

/** Locks `resourcePath` (the lock file is `<resourcePath>.lock`), waiting up to `timeoutMs`. */
export function acquireLockSync(resourcePath: string, options: LockOptions = {}): LockRelease {
  const lockPath = lockPathFor(resourcePath);
  const staleMs = options.staleMs ?? DEFAULT_LOCK_STALE_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const retryMs = options.retryMs ?? DEFAULT_RETRY_MS;
  const token = randomUUID();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (createExclusive(lockPath, token)) return releaser(lockPath, token);
    const seen = inspect(lockPath);
    if (seen && isStale(seen, staleMs) && takeOver(lockPath, seen, token, staleMs)) return releaser(lockPath, token);
    const left = deadline - Date.now();
    if (left <= 0) throw new LockTimeoutError(lockPath, seen?.holder ?? inspect(lockPath)?.holder, timeoutMs);
    // If the file vanished between our attempt and our look, try again at once.
    if (seen) sleep(Math.min(left, retryMs * (0.5 + Math.random()))); // jitter: waiters don't retry in lockstep
  }
}

interface Inspected {
  holder: LockHolder | undefined;
  ino: number;
  mtimeMs: number;
}

function createExclusive(lockPath: string, token: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(lockPath, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  const holder: LockHolder = { pid: process.pid, hostname: os.hostname(), acquiredAt: new Date().toISOString(), token };
  try {
    fs.writeSync(fd, JSON.stringify(holder));
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(lockPath, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  return true;
}

/** The lock file's holder and identity, or undefined if there is no lock file. */
function inspect(lockPath: string): Inspected | undefined {
  let fd: number;
  try {
    fd = fs.openSync(lockPath, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    // fstat on the open descriptor: the identity and the content are of the same file.
    const st = fs.fstatSync(fd);
    return { holder: parseHolder(fs.readFileSync(fd, 'utf8')), ino: st.ino, mtimeMs: st.mtimeMs };
  } finally {
    fs.closeSync(fd);
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.pid !== 'number' || typeof v.hostname !== 'string') return undefined;
    return { pid: v.pid, hostname: v.hostname, acquiredAt: String(v.acquiredAt ?? ''), token: v.token };
  } catch {
    // Created but not yet written (the moment between 'wx' and write), or damaged.
    return undefined;
  }
}

function isStale(seen: Inspected, staleMs: number): boolean {
  const age = Date.now() - seen.mtimeMs;
  if (age > staleMs) return true;
  const h = seen.holder;
  // Writing the holder right after 'wx' takes microseconds; a file still nameless after a second
  // belongs to a process that died in between (seen in the crash test). Were its creator only
  // stalled, write() notices the lost lock before committing.
  if (h === undefined) return age > Math.min(staleMs, NAMELESS_GRACE_MS);
  // A pid can only be checked on its own machine (several hosts may share a network folder).
  return h.hostname === os.hostname() && h.pid !== process.pid && !isAlive(h.pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/**
 * Replaces a stale lock. Unlink-then-create alone races: two waiters both judge the same lock
 * stale, A replaces it, then B deletes A's fresh lock and both believe they hold it. So takeovers
 * are serialised by a second 'wx' file, and the lock is deleted only if it is still the very file
 * that was judged stale (same inode, mtime and token).
 */
function takeOver(lockPath: string, seen: Inspected, token: string, staleMs: number): boolean {
  const guard = `${lockPath}.takeover`;
  if (!createExclusive(guard, token)) {
    // Another takeover is under way, or one crashed inside this short window: clear the latter.
    const g = inspect(guard);
    if (g && isStale(g, staleMs)) fs.rmSync(guard, { force: true });
    return false;
  }
  try {
    const now = inspect(lockPath);
    if (now && (now.ino !== seen.ino || now.mtimeMs !== seen.mtimeMs || now.holder?.token !== seen.holder?.token)) {
      return false; // released and re-taken, or refreshed, since we looked
    }
    if (now) fs.rmSync(lockPath, { force: true });
    return createExclusive(lockPath, token); // may still lose to a plain acquirer: then we wait
  } finally {
    fs.rmSync(guard, { force: true });
  }
}

function releaser(lockPath: string, token: string): LockRelease {
  let released = false;
  const isHeld = (): boolean => !released && inspect(lockPath)?.holder?.token === token;
  const release = (): void => {
    if (released) return;
    // Delete only our own file: if we were judged stale and replaced, the lock is someone else's.
    if (isHeld()) fs.rmSync(lockPath, { force: true });
    released = true;
  };
  const refresh = (): boolean => {
    if (!isHeld()) return false;
    const now = new Date();
    fs.utimesSync(lockPath, now, now);
    return true;
  };
  return Object.assign(release, { lockPath, isHeld, refresh });
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the thread without spinning: nothing ever notifies the cell, so the wait runs to its timeout. */
function sleep(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, Math.max(1, Math.floor(ms)));
}
