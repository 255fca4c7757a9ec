// The Loupe database file: an sql.js database held in memory and saved whole, shared by every
// VS Code window and the CLI. One writer at a time (lock.ts); a writer first reloads whatever
// another process saved, so no update is lost; saves are atomic (persist.ts). The transcripts are
// the source of truth, so a damaged file is set aside and rebuilt rather than repaired.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Database, SqlJsStatic } from 'sql.js';
import { acquireLockSync, DEFAULT_LOCK_STALE_MS, type LockOptions, type LockRelease } from './lock';
import { migrate, SchemaTooNewError } from './migrate';
import { removeStaleTempFiles, writeFileAtomic } from './persist';
import { loadSqlJs } from './sqlite';

export interface OpenOptions {
  /** One sentence for the user when something they should know happened (a damaged file set aside). */
  onNotice?: (message: string) => void;
  /** Registers SQL functions (create_function); re-run whenever the sql.js instance is replaced. */
  registerFunctions?: (db: Database) => void;
  lockStaleMs?: number;
  lockTimeoutMs?: number;
}

/** What the file looked like when this process last read or wrote it. The inode changes on every
 * atomic save, so a save by another process is seen even when mtime and size come out equal. */
interface FileIdentity {
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
}

const MEMORY = ':memory:';
/** Below this, the in-memory file's own growth is cheap enough. */
const RESERVE_MIN_BYTES = 8 * 1024 * 1024;

export class DatabaseFile {
  private current: Database;
  private seen: FileIdentity | undefined;
  /** >0 while inside write(): nested writes run inline, and save() waits for the outer commit. */
  private depth = 0;
  /** >0 while inside read(). */
  private reading = 0;
  private closed = false;
  /** The lock held by the write() in progress, if any. */
  private lock: LockRelease | undefined;

  private constructor(
    private readonly SQL: SqlJsStatic,
    readonly path: string,
    private readonly options: OpenOptions,
    db: Database,
    /** True when the file was unreadable and replaced by an empty one: rebuild from the transcripts. */
    readonly recovered: boolean,
  ) {
    this.current = db;
    options.registerFunctions?.(db);
  }

  /** The live sql.js database. Read it afresh each time: reload() replaces the instance. */
  get db(): Database {
    if (this.closed) throw new Error(`database ${this.path} is closed`);
    return this.current;
  }

  static async open(file: string, options: OpenOptions = {}): Promise<DatabaseFile> {
    const SQL = await loadSqlJs();
    if (file === MEMORY) {
      const db = new SQL.Database();
      migrate(db);
      return new DatabaseFile(SQL, MEMORY, options, db, false);
    }
    const full = path.resolve(file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    // Under the lock: two processes must not both migrate, or both set a damaged file aside.
    const release = acquireLockSync(full, lockOptions(options));
    try {
      // Saves happen under this lock, so temp files older than a stale lock are from crashed saves.
      removeStaleTempFiles(full, options.lockStaleMs ?? DEFAULT_LOCK_STALE_MS);
      const { db, recovered, identity } = loadOrRecover(SQL, full, options);
      const dbFile = new DatabaseFile(SQL, full, options, db, recovered);
      // No identity = new, recovered or migrated in memory: the file must be (re)written now.
      if (identity) dbFile.seen = identity;
      else dbFile.saveHoldingLock();
      return dbFile;
    } finally {
      release();
    }
  }

  /** Whether another process has saved the file since this one last read or wrote it. */
  changedOnDisk(): boolean {
    if (this.path === MEMORY) return false;
    const now = identityOf(this.path);
    // A file that vanished has nothing to reload; the next save recreates it from memory.
    if (!now) return false;
    const seen = this.seen;
    return !seen || now.ino !== seen.ino || now.size !== seen.size || now.mtimeNs !== seen.mtimeNs;
  }

  /** Replaces the in-memory database with the file's if another process saved it. Returns whether it did. */
  reload(): boolean {
    if (this.depth > 0) throw new Error('reload() inside write(): the transaction would be lost');
    if (this.reading > 0) throw new Error('reload() inside read(): the read would span two databases');
    if (!this.changedOnDisk()) return false;
    const { bytes, identity } = readWithIdentity(this.path);
    const next = new this.SQL.Database(bytes);
    try {
      // Also validates the bytes (sqlite_master is read) and refuses a file from a newer Loupe.
      migrate(next);
    } catch (err) {
      next.close(); // keep serving the copy we have
      throw err;
    }
    this.current.close();
    this.current = next;
    this.seen = identity;
    this.options.registerFunctions?.(next);
    return true;
  }

  /**
   * Runs `fn` in a transaction on the latest copy of the database and saves the result, holding
   * the cross-process lock throughout. On error the transaction is rolled back, nothing is saved,
   * and the error is rethrown. `fn` must be synchronous; a write() inside `fn` just runs inline.
   */
  write<T>(fn: (db: Database) => T): T {
    if (this.depth > 0) return fn(this.db);
    const release = this.begin();
    let result: T;
    try {
      result = fn(this.current);
      if (isThenable(result)) throw new TypeError('write() callbacks must be synchronous; use writeAsync()');
    } catch (err) {
      this.abort(release);
      throw err;
    }
    this.finish(release);
    return result;
  }

  /**
   * Runs `fn`'s reads as one read transaction. Outside a transaction every statement is one of its
   * own, and sql.js pays for each: SQLite takes and drops its file lock and checks the file header,
   * each a call out of WebAssembly into Emscripten's file system (about 10 µs a statement, against
   * 5 µs for a whole primary-key lookup inside one). Inside write(), or a read() already open, `fn`
   * just runs. Writes do not belong here: write() inside read() throws.
   */
  read<T>(fn: (db: Database) => T): T {
    if (this.depth > 0 || this.reading > 0) return fn(this.db);
    const db = this.db;
    db.run('BEGIN');
    this.reading++;
    try {
      const result = fn(db);
      if (isThenable(result)) throw new TypeError('read() callbacks must be synchronous');
      return result;
    } finally {
      this.reading--;
      rollbackQuietly(db);
    }
  }

  /**
   * write() for work that waits in between its steps (an ingest applying sessions as a worker
   * thread parses them). The lock and the transaction span the whole of `fn`: other writes of
   * this process made meanwhile join the transaction. Call refreshLock() on long runs.
   */
  async writeAsync<T>(fn: (db: Database) => Promise<T>): Promise<T> {
    if (this.depth > 0) return fn(this.db);
    const release = this.begin();
    let result: T;
    try {
      result = await fn(this.current);
    } catch (err) {
      this.abort(release);
      throw err;
    }
    this.finish(release);
    return result;
  }

  /** Takes the lock, catches up with another process's save, and opens a transaction. */
  private begin(): LockRelease | undefined {
    void this.db; // throws if closed, before taking the lock
    if (this.reading > 0) throw new Error('write() inside read(): a read transaction is open');
    const release = this.path === MEMORY ? undefined : acquireLockSync(this.path, lockOptions(this.options));
    this.lock = release;
    try {
      if (release) this.reload(); // another process may have saved since we read the file
      this.current.run('BEGIN');
      this.depth++;
      return release;
    } catch (err) {
      this.lock = undefined;
      release?.();
      throw err;
    }
  }

  private abort(release: LockRelease | undefined): void {
    rollbackQuietly(this.current);
    this.depth--;
    this.lock = undefined;
    release?.();
  }

  /** Commits and saves, or rolls back; always releases the lock. */
  private finish(release: LockRelease | undefined): void {
    try {
      try {
        // The work ran so long that the lock went stale and another process took it over:
        // saving now would overwrite its work.
        if (release && !release.isHeld()) throw new Error(`lost the lock on ${this.path} while writing; nothing was saved`);
        this.current.run('COMMIT');
      } catch (err) {
        rollbackQuietly(this.current);
        throw err;
      } finally {
        this.depth--;
      }
      if (release) {
        try {
          this.saveHoldingLock();
        } catch (err) {
          // Keep writes all-or-nothing: the file still holds the state before them, so go back to it.
          this.seen = undefined;
          try {
            this.reload();
          } catch {
            // The save's error is the one to report.
          }
          throw err;
        }
      }
    } finally {
      this.lock = undefined;
      release?.();
    }
  }

  /**
   * For write() callbacks that run long (a big ingest): touches the lock so other processes do not
   * judge it stale (after lockStaleMs) and take it over, which would make this write fail at the end.
   */
  refreshLock(): void {
    this.lock?.refresh();
  }

  /**
   * Saves the in-memory database. Changes made through write() are already saved; this is for
   * changes made on `db` directly. Refuses to overwrite a file another process saved since this
   * one read it (that would silently drop its work). Inside write(), the outer write saves.
   */
  save(): void {
    if (this.path === MEMORY || this.depth > 0) return;
    const release = acquireLockSync(this.path, lockOptions(this.options));
    try {
      if (this.changedOnDisk()) {
        throw new Error(`${this.path} was changed by another process; make changes through write() so they apply to its copy`);
      }
      this.saveHoldingLock();
    } finally {
      release();
    }
  }

  /**
   * Makes room for about `bytes` more of database pages before a large write. sql.js keeps the
   * database in an Emscripten in-memory file that grows by 12.5% at a time, copying itself each
   * time: filling 45 MB page by page cost more than a second. Reopening the same image followed
   * by zero bytes gives the file its room at once; SQLite trusts the page count in the header,
   * so the zeros are not part of the database, and export() writes only the real pages.
   */
  reserve(bytes: number): void {
    if (this.depth > 0) throw new Error('reserve() inside write()');
    if (bytes < RESERVE_MIN_BYTES) return;
    const image = this.current.export();
    const padded = new Uint8Array(image.length + bytes);
    padded.set(image);
    const next = new this.SQL.Database(padded);
    this.current.close();
    this.current = next;
    this.options.registerFunctions?.(next);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.current.close();
  }

  private saveHoldingLock(): void {
    let bytes: Uint8Array;
    try {
      bytes = this.current.export();
    } finally {
      // Older sql.js closed and reopened the database inside export(), dropping every
      // create_function registration (and freeing prepared statements). The installed 1.16
      // exports through the backup API and keeps them; re-registering is cheap and keeps us safe
      // whichever version is installed.
      this.options.registerFunctions?.(this.current);
    }
    writeFileAtomic(this.path, bytes);
    this.seen = identityOf(this.path);
  }
}

function loadOrRecover(
  SQL: SqlJsStatic,
  file: string,
  options: OpenOptions,
): { db: Database; recovered: boolean; identity?: FileIdentity } {
  let read: { bytes: Buffer; identity: FileIdentity };
  try {
    read = readWithIdentity(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return { db: freshDatabase(SQL), recovered: false };
  }
  let db: Database | undefined;
  try {
    // Saves are atomic, so an empty file means something else truncated it: the data is gone.
    if (read.bytes.length === 0) throw new Error('the file is empty');
    db = new SQL.Database(read.bytes);
    assertIntact(db);
    const { from, to } = migrate(db);
    return { db, recovered: false, identity: from === to ? read.identity : undefined };
  } catch (err) {
    db?.close();
    // A newer Loupe's database is not damaged: leave it alone and let the user update.
    if (err instanceof SchemaTooNewError) throw err;
    const aside = `${file}.corrupt-${new Date().toISOString().replace(/:/g, '-')}`;
    fs.renameSync(file, aside);
    const reason = err instanceof Error ? err.message : String(err);
    options.onNotice?.(
      `Loupe could not read its database ${file} (${reason}), so it moved it to ${aside} and started a new one that will be rebuilt from your transcripts.`,
    );
    return { db: freshDatabase(SQL), recovered: true };
  }
}

function freshDatabase(SQL: SqlJsStatic): Database {
  const db = new SQL.Database();
  migrate(db);
  return db;
}

/** quick_check reads every page (without the index cross-checks of integrity_check): it finds
 * truncation and garbage that opening alone does not, since sql.js reads pages lazily. */
function assertIntact(db: Database): void {
  const rows = db.exec('PRAGMA quick_check')[0]?.values ?? [];
  const problems = rows.map((r) => String(r[0]));
  if (problems.length !== 1 || problems[0] !== 'ok') {
    throw new Error(`integrity check failed: ${problems.slice(0, 3).join('; ') || 'no result'}`);
  }
}

function identityOf(file: string): FileIdentity | undefined {
  try {
    const st = fs.statSync(file, { bigint: true });
    return { ino: st.ino, size: st.size, mtimeNs: st.mtimeNs };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Bytes and identity of the same file: fstat on the open descriptor, so a save landing between
 * the two cannot pair old bytes with the new identity (which would hide that save forever). */
function readWithIdentity(file: string): { bytes: Buffer; identity: FileIdentity } {
  const fd = fs.openSync(file, 'r');
  try {
    const st = fs.fstatSync(fd, { bigint: true });
    return { bytes: fs.readFileSync(fd), identity: { ino: st.ino, size: st.size, mtimeNs: st.mtimeNs } };
  } finally {
    fs.closeSync(fd);
  }
}

function lockOptions(options: OpenOptions): LockOptions {
  return { staleMs: options.lockStaleMs, timeoutMs: options.lockTimeoutMs };
}

function rollbackQuietly(db: Database): void {
  try {
    db.run('ROLLBACK');
  } catch {
    // Some errors end the transaction themselves; then there is nothing to roll back.
  }
}

function isThenable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
