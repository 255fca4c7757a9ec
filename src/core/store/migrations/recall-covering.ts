// Migration 9: covering indexes for the two lookups recall makes most, owned by the recall feature
// (src/core/recall/). Recall's query time is mostly pages read cold: a big database does not fit
// SQLite's page cache, and each page missed is a read through Emscripten's file system.
//
// - A text hit's session and turn. Read from the events table, each of a query's 100 candidates
//   cost one page of event rows (16 KB holding a few dozen texts); the index keeps the three
//   integers of every event packed (about 15 bytes an event), so it stays in the cache.
// - A node's incoming edges. PageRank reads a node's edges both ways; by source they are the
//   table itself (its primary key), but by destination the old index held only the key, so every
//   edge found cost one more lookup in the table for its weight and time.
import type { Migration } from '../schema';

export const RECALL_COVERING_MIGRATION: Migration = {
  version: 9,
  description: "recall: covering indexes for a hit's turn and a node's incoming edges",
  up(db) {
    db.run(`
      CREATE INDEX events_turn_of ON events(id, session, turn);
      CREATE INDEX graph_edges_dst_cover ON graph_edges(dst, kind, weight, at);
      DROP INDEX graph_edges_dst;
    `);
  },
};
