// Migration 5: recall (full-text index, semantic graph, recall bookkeeping). Owned by the recall
// feature (src/core/recall/, src/core/lifecycle/).
//
// The full-text index is an FTS4 table (sql.js has no FTS5) with *external content*: a view over
// events and units, so the indexed text is not stored a second time. FTS4 reads that view when a
// row is deleted, to know which terms to remove, so the view must give back exactly what was
// indexed: the text (tool output cut to its head) and the identifier parts kept in recall_docs.
// recall_docs also says which rows are indexed, so deleting a row that never was is a no-op.
import type { Database } from 'sql.js';
import type { Migration } from '../schema';

/** Units share the index with events: their docid is this plus the unit id. */
export const UNIT_DOCID_BASE = 1_099_511_627_776; // 2^40
/** Tool output is indexed by its head only (the index stays small; the full text is one recall away). */
export const TOOL_OUTPUT_INDEX_CHARS = 500;
/**
 * Event kinds in the index. Meta and system records are bookkeeping, not content; thinking is left
 * out like R1 leaves it out (and it was a large share of the index).
 */
export const INDEXED_KINDS = ['user_prompt', 'assistant_text', 'tool_call', 'tool_result', 'compact_summary'] as const;

export const RECALL_MIGRATION: Migration = {
  version: 5,
  description: 'recall: full-text index, semantic graph, recall times',
  up(db: Database) {
    db.run(`
      CREATE TABLE recall_docs (
        docid INTEGER PRIMARY KEY,
        parts TEXT NOT NULL DEFAULT ''
      );
      CREATE VIEW recall_src AS
        SELECT e.id AS rowid,
               CASE WHEN e.kind = 'tool_result' THEN substr(e.text, 1, ${TOOL_OUTPUT_INDEX_CHARS}) ELSE e.text END AS body,
               d.parts AS parts
          FROM events e JOIN recall_docs d ON d.docid = e.id
        UNION ALL
        SELECT u.id + ${UNIT_DOCID_BASE} AS rowid, u.text AS body, d.parts AS parts
          FROM units u JOIN recall_docs d ON d.docid = u.id + ${UNIT_DOCID_BASE};
      CREATE VIRTUAL TABLE recall_fts USING fts4(content="recall_src", body, parts, tokenize=unicode61);
      -- A transcript read again from byte 0 re-uses event ids below the session's progress mark:
      -- lower the mark so that recording catches up with them.
      CREATE TRIGGER recall_progress_rewind AFTER DELETE ON events BEGIN
        UPDATE recall_progress SET last_event = old.id - 1 WHERE session = old.session AND last_event >= old.id;
      END;
      CREATE TRIGGER recall_events_delete BEFORE DELETE ON events
        WHEN EXISTS (SELECT 1 FROM recall_docs WHERE docid = old.id)
      BEGIN
        DELETE FROM recall_fts WHERE docid = old.id;
        DELETE FROM recall_docs WHERE docid = old.id;
      END;
      -- A changed text leaves the index (it would no longer match what was indexed, and
      -- PRAGMA quick_check, run on open, checks an external-content index against its content).
      CREATE TRIGGER recall_events_update BEFORE UPDATE OF text, kind ON events
        WHEN EXISTS (SELECT 1 FROM recall_docs WHERE docid = old.id)
      BEGIN
        DELETE FROM recall_fts WHERE docid = old.id;
        DELETE FROM recall_docs WHERE docid = old.id;
      END;
      CREATE TRIGGER recall_units_update BEFORE UPDATE OF text ON units
        WHEN EXISTS (SELECT 1 FROM recall_docs WHERE docid = old.id + ${UNIT_DOCID_BASE})
      BEGIN
        DELETE FROM recall_fts WHERE docid = old.id + ${UNIT_DOCID_BASE};
        DELETE FROM recall_docs WHERE docid = old.id + ${UNIT_DOCID_BASE};
      END;
      CREATE TRIGGER recall_units_delete BEFORE DELETE ON units
        WHEN EXISTS (SELECT 1 FROM recall_docs WHERE docid = old.id + ${UNIT_DOCID_BASE})
      BEGIN
        DELETE FROM recall_fts WHERE docid = old.id + ${UNIT_DOCID_BASE};
        DELETE FROM recall_docs WHERE docid = old.id + ${UNIT_DOCID_BASE};
      END;

      -- The semantic graph. Nodes: file, symbol, tool, command, error, decision, turn (name
      -- "<session key>:<turn>"). Edges carry a kind (read, edited, error, mentions, co-changed,
      -- uses, ran, decided, fixed-by, produced-error, defines), a weight summed over occurrences,
      -- and the latest time.
      -- key: how a query names the node (a file's base name without extension, a symbol's name),
      -- lower-cased, so the query's nodes are found through an index.
      CREATE TABLE graph_nodes (
        id INTEGER PRIMARY KEY,
        type TEXT NOT NULL,
        name TEXT NOT NULL,
        key TEXT,
        UNIQUE (type, name)
      );
      CREATE INDEX graph_nodes_key ON graph_nodes(key) WHERE key IS NOT NULL;
      CREATE TABLE graph_edges (
        src INTEGER NOT NULL,
        dst INTEGER NOT NULL,
        kind TEXT NOT NULL,
        weight REAL NOT NULL,
        at INTEGER NOT NULL DEFAULT 0, -- Unix seconds (0: unknown); an ISO string cost 24 bytes an edge
        PRIMARY KEY (src, dst, kind)
      ) WITHOUT ROWID;
      CREATE INDEX graph_edges_dst ON graph_edges(dst);
      -- How far each session's events were indexed and graphed.
      CREATE TABLE recall_progress (
        session INTEGER PRIMARY KEY,
        last_event INTEGER NOT NULL
      );
      -- Update: the latest unsuperseded read of each file, and reads a newer read or edit superseded.
      CREATE TABLE recall_latest_read (
        session INTEGER NOT NULL,
        node INTEGER NOT NULL,
        event_id INTEGER NOT NULL,
        PRIMARY KEY (session, node)
      ) WITHOUT ROWID;
      CREATE TABLE recall_superseded (
        event_id INTEGER PRIMARY KEY,
        by_event INTEGER NOT NULL
      );
      -- When recall (or assembly) last touched a turn at a level (0 = its events, 2 = its digest).
      CREATE TABLE recall_touches (
        session INTEGER NOT NULL,
        turn INTEGER NOT NULL,
        level INTEGER NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (session, turn, level)
      ) WITHOUT ROWID;
      -- Forget: turns whose digest was recompressed to one line (kept here) and archived.
      CREATE TABLE lifecycle_forgotten (
        session INTEGER NOT NULL,
        turn INTEGER NOT NULL,
        at TEXT NOT NULL,
        line TEXT NOT NULL,
        pruned_at TEXT,
        PRIMARY KEY (session, turn)
      ) WITHOUT ROWID;
    `);
  },
};
