// The database schema, as an append-only list of migrations. Never edit a migration that has
// shipped: add the next one. Each is a small function so a migration can also move data.
import type { Database } from 'sql.js';
import { GRAPH_LIFECYCLE_MIGRATION } from './migrations/graph-lifecycle';
import { GRAPH_PROJECTS_MIGRATION } from './migrations/graph-projects';
import { PROGRESSIVE_MIGRATION } from './migrations/progressive';
import { RECALL_MIGRATION } from './migrations/recall';
import { RECALL_COVERING_MIGRATION } from './migrations/recall-covering';
import { RECALL_JOINED_MIGRATION } from './migrations/recall-joined';

export interface Migration {
  version: number;
  description: string;
  up(db: Database): void;
}

/**
 * Page size of a new database (set before its first table; migrate() does it). sql.js writes
 * every page through Emscripten's in-memory file system, and with SQLite's default 4 KB pages
 * that JavaScript layer dominated ingest time.
 */
export const PAGE_SIZE = Number(process.env.LOUPE_PAGE_SIZE ?? 16384);

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'sessions, transcript files, events, API usage',
    up(db) {
      db.run(`
        -- Rows refer to a session by its integer key: a session id is a 36-character UUID, and
        -- repeating it in every event and index entry made the database a third larger.
        CREATE TABLE sessions (
          key INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          source TEXT NOT NULL,
          title TEXT NOT NULL DEFAULT '',
          fallback_title TEXT NOT NULL DEFAULT '',
          cwd TEXT NOT NULL DEFAULT '',
          git_branch TEXT NOT NULL DEFAULT '',
          version TEXT NOT NULL DEFAULT '',
          started_at TEXT NOT NULL DEFAULT '',
          updated_at TEXT NOT NULL DEFAULT '',
          file TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE files (
          id INTEGER PRIMARY KEY,
          path TEXT NOT NULL UNIQUE,
          session INTEGER NOT NULL,
          agent_id TEXT,
          bytes_ingested INTEGER NOT NULL DEFAULT 0,
          next_line INTEGER NOT NULL DEFAULT 1,
          head_hash TEXT NOT NULL DEFAULT '',
          size INTEGER NOT NULL DEFAULT 0,
          mtime_ms INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX files_session ON files(session);
        CREATE TABLE events (
          id INTEGER PRIMARY KEY,
          session INTEGER NOT NULL,
          seq INTEGER NOT NULL,
          turn INTEGER NOT NULL DEFAULT 0,
          ts TEXT NOT NULL DEFAULT '',
          kind TEXT NOT NULL,
          role TEXT NOT NULL,
          text TEXT NOT NULL DEFAULT '',
          text_length INTEGER NOT NULL DEFAULT 0,
          tokens INTEGER NOT NULL DEFAULT 0,
          tool_name TEXT,
          tool_use_id TEXT,
          is_error INTEGER NOT NULL DEFAULT 0,
          paths TEXT,
          model TEXT,
          uuid TEXT,
          parent_uuid TEXT,
          parent_id INTEGER,
          sidechain INTEGER NOT NULL DEFAULT 0,
          agent_id TEXT,
          main_line INTEGER NOT NULL DEFAULT 1,
          meta TEXT,
          file_id INTEGER NOT NULL,
          src_offset INTEGER NOT NULL,
          src_length INTEGER NOT NULL,
          src_line INTEGER NOT NULL
        );
        CREATE INDEX events_session_seq ON events(session, seq);
        CREATE INDEX events_tool_use ON events(session, tool_use_id) WHERE tool_use_id IS NOT NULL;
        CREATE TABLE usage (
          session INTEGER NOT NULL,
          message_id TEXT NOT NULL,
          request_id TEXT NOT NULL,
          event_id INTEGER NOT NULL,
          ts TEXT NOT NULL DEFAULT '',
          model TEXT NOT NULL DEFAULT '',
          sidechain INTEGER NOT NULL DEFAULT 0,
          input_tokens INTEGER NOT NULL DEFAULT 0,
          output_tokens INTEGER NOT NULL DEFAULT 0,
          cache_creation_tokens INTEGER NOT NULL DEFAULT 0,
          cache_read_tokens INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY (session, message_id, request_id)
        );
        CREATE INDEX usage_event ON usage(event_id);
      `);
    },
  },
  {
    version: 2,
    description: 'turns and per-line ingest issues',
    up(db) {
      db.run(`
        CREATE TABLE turns (
          session INTEGER NOT NULL,
          idx INTEGER NOT NULL,
          first_event_id INTEGER NOT NULL,
          last_event_id INTEGER NOT NULL,
          started_at TEXT NOT NULL DEFAULT '',
          prompt TEXT NOT NULL DEFAULT '',
          PRIMARY KEY (session, idx)
        );
        CREATE TABLE ingest_issues (
          file TEXT NOT NULL,
          line INTEGER NOT NULL,
          message TEXT NOT NULL,
          at TEXT NOT NULL,
          PRIMARY KEY (file, line)
        );
      `);
    },
  },
  {
    version: 3,
    description: 'a title the user set outranks a generated one',
    up(db) {
      db.run(`ALTER TABLE sessions ADD COLUMN custom_title TEXT NOT NULL DEFAULT ''`);
    },
  },
  {
    version: 4,
    description: 'distilled units: turn digests (R2), working context (R3), outline (R4)',
    up(db) {
      db.run(`
        CREATE TABLE units (
          id INTEGER PRIMARY KEY,
          session INTEGER NOT NULL,
          level INTEGER NOT NULL,
          generation INTEGER NOT NULL,
          turn_from INTEGER NOT NULL,
          turn_to INTEGER NOT NULL,
          event_from INTEGER NOT NULL,
          event_to INTEGER NOT NULL,
          text TEXT NOT NULL,
          data TEXT,
          tokens INTEGER NOT NULL,
          distiller TEXT NOT NULL,
          archived INTEGER NOT NULL DEFAULT 0,
          created_at TEXT NOT NULL
        );
        CREATE INDEX units_session ON units(session, level, turn_from);
      `);
    },
  },
  RECALL_MIGRATION,
  PROGRESSIVE_MIGRATION,
  RECALL_JOINED_MIGRATION,
  GRAPH_LIFECYCLE_MIGRATION,
  RECALL_COVERING_MIGRATION,
  GRAPH_PROJECTS_MIGRATION,
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
