// Migration 6: progressive reads (passes, their views, edits and states, with provenance). Owned
// by the progressive-read feature (src/core/progressive/).
import type { Migration } from '../schema';

export const PROGRESSIVE_MIGRATION: Migration = {
  version: 6,
  description: 'progressive reads: runs and passes with provenance',
  up(db) {
    db.run(`
      -- One progressive read of a session (DESIGN §7): the window, the question, the plan as
      -- planned, and how it ended (done, stopped early, failed, cancelled).
      CREATE TABLE progressive_runs (
        id INTEGER PRIMARY KEY,
        session INTEGER NOT NULL,
        window_tokens INTEGER NOT NULL,
        question TEXT NOT NULL DEFAULT '',
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        plan TEXT NOT NULL,
        status TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        final_state TEXT NOT NULL DEFAULT '',
        input_tokens INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        cost_usd REAL,
        created_at TEXT NOT NULL,
        finished_at TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX progressive_runs_session ON progressive_runs(session, id);
      -- One pass: the view it read (level, turns, event range: the provenance), the sizes of its
      -- prompt, the edits the model returned and the state after applying them.
      CREATE TABLE progressive_passes (
        run INTEGER NOT NULL,
        pass INTEGER NOT NULL,
        passes INTEGER NOT NULL,
        task TEXT NOT NULL,
        level TEXT NOT NULL,
        turn_from INTEGER NOT NULL,
        turn_to INTEGER NOT NULL,
        event_from INTEGER NOT NULL,
        event_to INTEGER NOT NULL,
        prompt_tokens INTEGER NOT NULL,
        slice_tokens INTEGER NOT NULL,
        state_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        edits TEXT NOT NULL DEFAULT '[]',
        state_after TEXT NOT NULL DEFAULT '',
        -- The same state as JSON ([section, bullets][]), and the pass's DETAIL turns and
        -- CONFIDENCE: what a resumed run needs to continue exactly where this one stopped.
        state_json TEXT NOT NULL DEFAULT '[]',
        detail TEXT NOT NULL DEFAULT '[]',
        confidence REAL,
        status TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        PRIMARY KEY (run, pass)
      );
      -- Every model distillation attempt, kept or not: a failed check (missing section, invented
      -- path, malformed answer, provider error) falls back to the extractive unit and says why here.
      CREATE TABLE distill_attempts (
        id INTEGER PRIMARY KEY,
        session INTEGER NOT NULL,
        level INTEGER NOT NULL,
        turn_from INTEGER NOT NULL,
        turn_to INTEGER NOT NULL,
        distiller TEXT NOT NULL,
        accepted INTEGER NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        input_tokens INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        cost_usd REAL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX distill_attempts_session ON distill_attempts(session, level, turn_from);
    `);
  },
};
