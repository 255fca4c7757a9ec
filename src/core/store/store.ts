// The store: Loupe's tables, read and written through one DatabaseFile. Ingest writes here;
// every feature reads from here. This is the seam where a server database could plug in (DESIGN §9).
import type { Database } from 'sql.js';
import type { LineIssue, Session, SessionFacts, StoredEvent, Turn, Usage } from '../model';
import { registerRecallFunctions } from '../recall/bm25';
import { DatabaseFile } from './database';
import { all, json, num, one, optStr, scalar, str, type Row } from './rows';

export interface OpenStoreOptions {
  onNotice?: (message: string) => void;
  lockTimeoutMs?: number;
  lockStaleMs?: number;
}

/** Ingest bookkeeping of one transcript file. */
export interface FileState {
  id: number;
  path: string;
  /** The session's integer key. */
  session: number;
  agentId: string | null;
  bytesIngested: number;
  nextLine: number;
  headHash: string;
  size: number;
  mtimeMs: number;
}

export interface SessionSummary extends Session {
  turns: number;
  events: number;
  tokens: number;
  usage: Usage;
}

export async function openStore(path: string, options: OpenStoreOptions = {}): Promise<Store> {
  const file = await DatabaseFile.open(path, { ...options, registerFunctions: configureConnection });
  return new Store(file);
}

/**
 * Per-connection settings, applied again after every save and reload (sql.js's export() reopens
 * the connection). The database lives in memory and is persisted whole by DatabaseFile, so
 * SQLite's own journal only needs to support ROLLBACK: keeping it in memory saves a copy of every
 * changed page through Emscripten's file system.
 */
function configureConnection(db: Database): void {
  db.run('PRAGMA journal_mode = MEMORY');
  db.run('PRAGMA synchronous = OFF');
  db.run('PRAGMA cache_size = -65536');
  // Recall ranks full-text hits with BM25 computed from FTS4's matchinfo (sql.js has no FTS5).
  registerRecallFunctions(db);
}

export class Store {
  constructor(readonly file: DatabaseFile) {}

  get db(): Database {
    return this.file.db;
  }

  /** True when the database file was corrupt and had to be rebuilt empty. */
  get recovered(): boolean {
    return this.file.recovered;
  }

  /** Runs `fn` as one transaction under the cross-process writer lock, then saves. */
  write<T>(fn: (db: Database) => T): T {
    return this.file.write(fn);
  }

  /** Runs `fn`'s reads as one transaction (far cheaper than one per statement); see DatabaseFile.read. */
  read<T>(fn: (db: Database) => T): T {
    return this.file.read(fn);
  }

  /** write() for work that awaits between its steps; see DatabaseFile.writeAsync. */
  writeAsync<T>(fn: (db: Database) => Promise<T>): Promise<T> {
    return this.file.writeAsync(fn);
  }

  /** Makes room in memory for about `bytes` more of database before a large ingest. */
  reserve(bytes: number): void {
    this.file.reserve(bytes);
  }

  /** Picks up what another process saved; returns whether anything was reloaded. */
  refresh(): boolean {
    return this.file.reload();
  }

  close(): void {
    this.file.close();
  }

  // ── files ────────────────────────────────────────────────────────────────

  getFile(path: string): FileState | undefined {
    const row = one(this.db, 'SELECT * FROM files WHERE path = ?', [path]);
    return row ? toFileState(row) : undefined;
  }

  /** Creates the file's row if needed and returns it. */
  ensureFile(path: string, session: number, agentId: string | null): FileState {
    this.db.run('INSERT OR IGNORE INTO files (path, session, agent_id) VALUES (?, ?, ?)', [path, session, agentId]);
    return this.getFile(path)!;
  }

  updateFile(state: FileState): void {
    this.db.run(
      `UPDATE files SET bytes_ingested = ?, next_line = ?, head_hash = ?, size = ?, mtime_ms = ? WHERE id = ?`,
      [state.bytesIngested, state.nextLine, state.headHash, state.size, state.mtimeMs, state.id],
    );
  }

  /** Forgets everything ingested from one file, so it can be read again from byte 0. */
  deleteFileEvents(fileId: number): void {
    this.db.run('DELETE FROM usage WHERE event_id IN (SELECT id FROM events WHERE file_id = ?)', [fileId]);
    this.db.run('DELETE FROM events WHERE file_id = ?', [fileId]);
    this.db.run('UPDATE files SET bytes_ingested = 0, next_line = 1, head_hash = ? WHERE id = ?', ['', fileId]);
  }

  filesOfSessionKey(session: number): FileState[] {
    return all(this.db, 'SELECT * FROM files WHERE session = ? ORDER BY agent_id IS NOT NULL, path', [session]).map(toFileState);
  }

  // ── sessions ─────────────────────────────────────────────────────────────

  /** The integer key of a session id (0 when unknown). Rows refer to sessions by key. */
  key(sessionId: string): number {
    return scalar(this.db, 'SELECT key FROM sessions WHERE id = ?', [sessionId]);
  }

  /**
   * Creates the session if needed, merges what a batch of records revealed about it, and returns
   * its key.
   */
  upsertSession(id: string, source: string, mainFile: string | null, facts: SessionFacts): number {
    this.db.run('INSERT OR IGNORE INTO sessions (id, source) VALUES (?, ?)', [id, source]);
    const sets: string[] = [];
    const values: (string | number)[] = [];
    const put = (column: string, value: string | undefined) => {
      if (value) {
        sets.push(`${column} = ?`);
        values.push(value);
      }
    };
    put('file', mainFile ?? undefined);
    put('cwd', facts.cwd);
    put('git_branch', facts.gitBranch);
    put('version', facts.version);
    put('title', facts.title);
    put('custom_title', facts.customTitle);
    put('fallback_title', facts.fallbackTitle);
    if (sets.length > 0) this.db.run(`UPDATE sessions SET ${sets.join(', ')} WHERE id = ?`, [...values, id]);
    return this.key(id);
  }

  /** Recomputes the session's time span from its events. */
  touchSession(session: number): void {
    this.db.run(
      `UPDATE sessions SET
         started_at = COALESCE((SELECT MIN(ts) FROM events WHERE session = ?1 AND ts <> ''), ''),
         updated_at = COALESCE((SELECT MAX(ts) FROM events WHERE session = ?1 AND ts <> ''), '')
       WHERE key = ?1`,
      [session],
    );
  }

  listSessions(): SessionSummary[] {
    const rows = all(
      this.db,
      `${SESSION_SELECT},
         (SELECT COUNT(*) FROM events e WHERE e.session = s.key) AS n_events,
         (SELECT COALESCE(SUM(tokens), 0) FROM events e WHERE e.session = s.key) AS n_tokens,
         (SELECT COUNT(*) FROM turns t WHERE t.session = s.key) AS n_turns
       FROM sessions s ORDER BY s.updated_at DESC, s.id`,
    );
    return rows.map((row) => ({
      ...toSession(row),
      turns: num(row.n_turns),
      events: num(row.n_events),
      tokens: num(row.n_tokens),
      usage: this.sessionUsage(str(row.id)),
    }));
  }

  getSession(id: string): Session | undefined {
    const row = one(
      this.db,
      `${SESSION_SELECT} FROM sessions s WHERE id = ?`,
      [id],
    );
    return row ? toSession(row) : undefined;
  }

  /**
   * Finds a session by id, unique id prefix, or `latest` (most recently updated).
   * Throws an error that says what matched when the reference is unknown or ambiguous.
   */
  resolveSession(ref: string): Session {
    if (ref === 'latest') {
      const row = one(this.db, 'SELECT id FROM sessions ORDER BY updated_at DESC, id LIMIT 1');
      if (!row) throw new Error('no sessions in the database: run `loupe ingest` first');
      return this.getSession(str(row.id))!;
    }
    const exact = this.getSession(ref);
    if (exact) return exact;
    const matches = all(this.db, "SELECT id FROM sessions WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 6", [
      ref.replace(/[\\%_]/g, (c) => '\\' + c) + '%',
    ]).map((r) => str(r.id));
    if (matches.length === 1) return this.getSession(matches[0]!)!;
    if (matches.length === 0) throw new Error(`no session matches "${ref}"`);
    throw new Error(`"${ref}" matches several sessions: ${matches.slice(0, 5).join(', ')}${matches.length > 5 ? ', …' : ''}`);
  }

  // ── usage ────────────────────────────────────────────────────────────────

  /** API usage of the session, every assistant message counted once, subagents included. */
  sessionUsage(sessionId: string): Usage {
    const row = one(
      this.db,
      `SELECT COALESCE(SUM(input_tokens),0) AS i, COALESCE(SUM(output_tokens),0) AS o,
              COALESCE(SUM(cache_creation_tokens),0) AS cc, COALESCE(SUM(cache_read_tokens),0) AS cr
       FROM usage WHERE session = ?`,
      [this.key(sessionId)],
    );
    return {
      inputTokens: num(row?.i),
      outputTokens: num(row?.o),
      cacheCreationTokens: num(row?.cc),
      cacheReadTokens: num(row?.cr),
    };
  }

  // ── events and turns ─────────────────────────────────────────────────────

  event(id: number): StoredEvent | undefined {
    const row = one(this.db, `${EVENT_SELECT} WHERE e.id = ?`, [id]);
    return row ? toStoredEvent(row) : undefined;
  }

  events(sessionId: string, filter: { turn?: number; mainLineOnly?: boolean } = {}): StoredEvent[] {
    let where = 'WHERE e.session = ?';
    const params: (string | number)[] = [this.key(sessionId)];
    if (filter.turn !== undefined) {
      where += ' AND e.turn = ?';
      params.push(filter.turn);
    }
    if (filter.mainLineOnly) where += ' AND e.main_line = 1';
    return all(this.db, `${EVENT_SELECT} ${where} ORDER BY e.seq`, params).map(toStoredEvent);
  }

  turns(sessionId: string): Turn[] {
    return all(
      this.db,
      `SELECT t.*,
         (SELECT COUNT(*) FROM events e WHERE e.session = t.session AND e.turn = t.idx) AS n_events,
         (SELECT COALESCE(SUM(tokens),0) FROM events e WHERE e.session = t.session AND e.turn = t.idx) AS n_tokens
       FROM turns t WHERE t.session = ? ORDER BY t.idx`,
      [this.key(sessionId)],
    ).map((row) => ({
      sessionId,
      index: num(row.idx),
      firstEventId: num(row.first_event_id),
      lastEventId: num(row.last_event_id),
      startedAt: str(row.started_at),
      prompt: str(row.prompt),
      eventCount: num(row.n_events),
      tokens: num(row.n_tokens),
    }));
  }

  /** The largest event id so far (0 when empty). */
  maxEventId(): number {
    return scalar(this.db, 'SELECT MAX(id) FROM events');
  }

  // ── ingest issues ────────────────────────────────────────────────────────

  recordIssues(issues: LineIssue[], at: string): void {
    for (const issue of issues) {
      this.db.run('INSERT OR REPLACE INTO ingest_issues (file, line, message, at) VALUES (?, ?, ?, ?)', [
        issue.file,
        issue.line,
        issue.message,
        at,
      ]);
    }
  }

  issues(file?: string): LineIssue[] {
    const rows = file
      ? all(this.db, 'SELECT * FROM ingest_issues WHERE file = ? ORDER BY line', [file])
      : all(this.db, 'SELECT * FROM ingest_issues ORDER BY file, line');
    return rows.map((r) => ({ file: str(r.file), line: num(r.line), message: str(r.message) }));
  }
}

const SESSION_SELECT = `SELECT s.*,
  (SELECT prompt FROM turns t WHERE t.session = s.key ORDER BY idx LIMIT 1) AS first_prompt,
  (SELECT COALESCE(SUM(bytes_ingested), 0) FROM files f WHERE f.session = s.key) AS bytes`;

const EVENT_SELECT = `SELECT e.*, s.id AS session_id, f.path AS src_file,
  u.input_tokens AS u_in, u.output_tokens AS u_out, u.cache_creation_tokens AS u_cc, u.cache_read_tokens AS u_cr
  FROM events e JOIN sessions s ON s.key = e.session JOIN files f ON f.id = e.file_id
  LEFT JOIN usage u ON u.event_id = e.id`;

function toStoredEvent(row: Row): StoredEvent {
  return {
    id: num(row.id),
    sessionId: str(row.session_id),
    seq: num(row.seq),
    turn: num(row.turn),
    ts: str(row.ts),
    kind: str(row.kind) as StoredEvent['kind'],
    role: str(row.role) as StoredEvent['role'],
    text: str(row.text),
    textLength: num(row.text_length),
    toolName: optStr(row.tool_name),
    toolUseId: optStr(row.tool_use_id),
    isError: num(row.is_error) === 1,
    paths: json<string[]>(row.paths, []),
    tokens: num(row.tokens),
    usage:
      row.u_in == null
        ? null
        : {
            inputTokens: num(row.u_in),
            outputTokens: num(row.u_out),
            cacheCreationTokens: num(row.u_cc),
            cacheReadTokens: num(row.u_cr),
          },
    model: optStr(row.model),
    parentId: row.parent_id == null ? null : num(row.parent_id),
    sidechain: num(row.sidechain) === 1,
    agentId: optStr(row.agent_id),
    mainLine: num(row.main_line) === 1,
    meta: json<Record<string, unknown>>(row.meta, {}),
    sourceRef: { file: str(row.src_file), offset: num(row.src_offset), length: num(row.src_length), line: num(row.src_line) },
  };
}

function toFileState(row: Row): FileState {
  return {
    id: num(row.id),
    path: str(row.path),
    session: num(row.session),
    agentId: optStr(row.agent_id),
    bytesIngested: num(row.bytes_ingested),
    nextLine: num(row.next_line),
    headHash: str(row.head_hash),
    size: num(row.size),
    mtimeMs: num(row.mtime_ms),
  };
}

function toSession(row: Row): Session {
  const firstPrompt = str(row.first_prompt).replace(/\s+/g, ' ').trim();
  return {
    id: str(row.id),
    source: str(row.source),
    title: str(row.custom_title) || str(row.title) || str(row.fallback_title) || firstPrompt.slice(0, 80),
    cwd: str(row.cwd),
    gitBranch: str(row.git_branch),
    startedAt: str(row.started_at),
    updatedAt: str(row.updated_at),
    file: str(row.file),
    bytesIngested: num(row.bytes),
  };
}
