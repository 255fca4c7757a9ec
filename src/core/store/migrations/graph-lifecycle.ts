// Migration 8: graph edges attributed to sessions, pruned digests that stay pruned, gc runs.
// Owned by the recall graph (src/core/recall/graph-build.ts) and the lifecycle
// (src/core/lifecycle/).
//
// Before it, graph edges were sums over every session with no record of who contributed what, so a
// transcript read again from byte 0 added its events a second time. Edges made before it keep
// their sums: a turn's edges are still found by the turn's name when its session is graphed again,
// but a shared edge's older share cannot be told apart (the graph is derived data, and the
// migration keeps rows rather than rebuilding it).
import type { Database } from 'sql.js';
import type { Migration } from '../schema';

export const GRAPH_LIFECYCLE_MIGRATION: Migration = {
  version: 8,
  description: 'graph edges attributed to sessions; pruned digests stay pruned; gc runs',
  up(db: Database) {
    db.run(`
      -- Each session's share of an edge that does not hang off one of its turns (a turn's edges
      -- are found by the turn node's name, "<session>:<turn>"). graph_edges holds the sums.
      CREATE TABLE graph_contrib (
        src INTEGER NOT NULL,
        dst INTEGER NOT NULL,
        kind TEXT NOT NULL,
        session INTEGER NOT NULL,
        weight REAL NOT NULL,
        at INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (src, dst, kind, session)
      ) WITHOUT ROWID;
      CREATE INDEX graph_contrib_session ON graph_contrib(session);
      -- Sessions whose events changed under their graph: the next graph build redoes them whole.
      CREATE TABLE graph_stale (session INTEGER PRIMARY KEY);
      CREATE TRIGGER graph_events_delete AFTER DELETE ON events BEGIN
        INSERT OR IGNORE INTO graph_stale (session) VALUES (old.session);
        DELETE FROM recall_superseded WHERE event_id = old.id;
      END;
      -- A rewind renumbers turns: the turn nodes no longer name the same events.
      CREATE TRIGGER graph_events_renumber AFTER UPDATE OF turn ON events WHEN old.turn IS NOT new.turn BEGIN
        INSERT OR IGNORE INTO graph_stale (session) VALUES (new.session);
      END;
      -- A pruned digest's last event: distillation does not make the digest again while the turn
      -- still ends there (a turn that grew is new content, and is digested).
      ALTER TABLE lifecycle_forgotten ADD COLUMN event_to INTEGER;
      -- When gc last ran for real (the extension runs it at most once a day).
      CREATE TABLE lifecycle_runs (
        at TEXT NOT NULL,
        forgotten INTEGER NOT NULL,
        pruned INTEGER NOT NULL
      );
    `);
  },
};
