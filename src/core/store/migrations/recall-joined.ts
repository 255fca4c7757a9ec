// Recall: the identifier column gains the joined suffixes of paths and dotted/snake_case names
// (see src/core/recall/terms.ts), so such a query word is one rare token rather than a phrase of
// common parts. Owned by the recall feature.
//
// The index has external content (the view recall_src reads recall_docs.parts), so the new column
// values are written to recall_docs and the index is rebuilt from its content in one step.
import type { Database } from 'sql.js';
import { identifierParts } from '../../recall/terms';
import type { Migration } from '../schema';

export const RECALL_JOINED_MIGRATION: Migration = {
  version: 7,
  description: 'recall: joined path and name suffixes in the identifier column',
  up(db: Database) {
    const read = db.prepare('SELECT rowid, body, parts FROM recall_src');
    const update = db.prepare('UPDATE recall_docs SET parts = ? WHERE docid = CAST(? AS INTEGER)');
    let changed = 0;
    try {
      while (read.step()) {
        const [docid, body, parts] = read.get();
        const next = identifierParts(String(body ?? ''));
        if (next === parts) continue;
        update.run([next, docid as number]);
        changed++;
      }
    } finally {
      read.free();
      update.free();
    }
    if (changed > 0) db.run("INSERT INTO recall_fts (recall_fts) VALUES ('rebuild')");
  },
};
