// Migration 10: file and symbol nodes within their project, owned by the recall graph
// (src/core/recall/graph-build.ts, project.ts).
//
// Before it, a file node was its path relative to whichever session's folder it was seen from, so
// `README.md` or `.gitignore` of every project was one node, and the graph linked projects that
// only shared a file name (`related hardhat.config.js` came back with another project's
// SUBMISSION.md). Nodes now carry their project, and (type, name, project) is the identity. An old
// graph cannot be split by project (edges made before migration 8 say nothing of their sessions),
// and it is derived data: it is dropped and every recorded session is queued to be graphed again
// from its stored events (graph_rebuild, worked through a step at a time by the next catch-up:
// recall/write.ts). The full-text index does not change.
import type { Migration } from '../schema';

export const GRAPH_PROJECTS_MIGRATION: Migration = {
  version: 10,
  description: 'graph: file and symbol nodes within their project; old graphs rebuilt',
  up(db) {
    db.run(`
      DROP TABLE graph_nodes;
      -- project: the folder a file's or symbol's name is within, or a turn's session works in (the
      -- session's cwd, normalized); '' for nodes that mean the same in every project (tools,
      -- commands, errors, decisions).
      CREATE TABLE graph_nodes (
        id INTEGER PRIMARY KEY,
        type TEXT NOT NULL,
        name TEXT NOT NULL,
        project TEXT NOT NULL DEFAULT '',
        key TEXT,
        UNIQUE (type, name, project)
      );
      CREATE INDEX graph_nodes_key ON graph_nodes(key, project) WHERE key IS NOT NULL;
      DELETE FROM graph_edges;
      DELETE FROM graph_contrib;
      DELETE FROM graph_stale;
      DELETE FROM recall_latest_read;
      DELETE FROM recall_superseded;
      -- Sessions to graph again from their stored events, and the first event not graphed yet.
      CREATE TABLE graph_rebuild (
        session INTEGER PRIMARY KEY,
        next_event INTEGER NOT NULL DEFAULT 0
      );
      INSERT INTO graph_rebuild (session) SELECT session FROM recall_progress WHERE last_event > 0;
    `);
  },
};
