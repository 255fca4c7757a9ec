// Forget and retention (DESIGN §6). A turn digest (R2) that recall has not touched for
// `forgetAfterDays` is recompressed one level blurrier (one line, the working context's timeline
// entry for it) and the digest archived: it leaves the default assembly, stays searchable, and a
// query or a pin still brings it back. An archived digest older than `retentionDays` may be pruned
// from the database. Transcripts are never touched: everything can be distilled again from them.
import type { Database } from 'sql.js';
import { cutWords } from '../distill/extract';
import type { TurnDigest } from '../distill/digest';
import { all, json, num, str } from '../store/rows';
import type { Store } from '../store/store';

export interface LifecycleOptions {
  now?: () => Date;
  /** Infinity: never forget. */
  forgetAfterDays?: number;
  /** Infinity: never prune. */
  retentionDays?: number;
  dryRun?: boolean;
}

export const DEFAULT_FORGET_AFTER_DAYS = 30;
export const DEFAULT_RETENTION_DAYS = 120;
const DAY_MS = 86_400_000;

export interface GcChange {
  action: 'forget' | 'prune';
  sessionId: string;
  turn: number;
  unitId: number;
  /** When it was last recalled (or made, if never recalled). */
  lastUsed: string;
  /** The one-line form that stands for the turn from now on. */
  line?: string;
}

export interface GcReport {
  dryRun: boolean;
  now: string;
  forgetAfterDays: number;
  retentionDays: number;
  changes: GcChange[];
  forgotten: number;
  pruned: number;
}

/** What forget and retention would change now; applies it unless `dryRun`. */
export function gc(store: Store, options: LifecycleOptions = {}): GcReport {
  const now = (options.now ?? (() => new Date()))();
  const forgetAfterDays = options.forgetAfterDays ?? DEFAULT_FORGET_AFTER_DAYS;
  const retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
  const forgetBefore = cutoff(now, forgetAfterDays);
  const pruneBefore = cutoff(now, retentionDays);
  const changes = planChanges(store.db, forgetBefore, pruneBefore);
  const report: GcReport = {
    dryRun: options.dryRun === true,
    now: now.toISOString(),
    forgetAfterDays,
    retentionDays,
    changes,
    forgotten: changes.filter((c) => c.action === 'forget').length,
    pruned: changes.filter((c) => c.action === 'prune').length,
  };
  if (!report.dryRun) {
    const at = now.toISOString();
    store.write((db) => {
      for (const c of changes) {
        const key = num(all(db, 'SELECT key FROM sessions WHERE id = ?', [c.sessionId])[0]?.key);
        if (c.action === 'forget') {
          db.run('UPDATE units SET archived = 1 WHERE id = ?', [c.unitId]);
          db.run('INSERT OR REPLACE INTO lifecycle_forgotten (session, turn, at, line, pruned_at) VALUES (?, ?, ?, ?, NULL)', [key, c.turn, at, c.line ?? '']);
        } else {
          // The tombstone distillation honours (distill/units.ts): without it the next
          // distillation found the digest missing and made it again, with a fresh clock. A digest
          // archived into the working context (never forgotten) gets its row here.
          db.run(
            `INSERT INTO lifecycle_forgotten (session, turn, at, line, pruned_at, event_to)
             VALUES (?1, ?2, ?3, ?4, ?3, (SELECT event_to FROM units WHERE id = ?5))
             ON CONFLICT (session, turn) DO UPDATE SET pruned_at = excluded.pruned_at, event_to = excluded.event_to`,
            [key, c.turn, at, c.line ?? '', c.unitId],
          );
          db.run('DELETE FROM units WHERE id = ?', [c.unitId]);
        }
      }
      db.run('INSERT INTO lifecycle_runs (at, forgotten, pruned) VALUES (?, ?, ?)', [at, report.forgotten, report.pruned]);
    });
  }
  return report;
}

/** When gc last ran (not as a dry run), by this process or any other; null if never. */
export function lastGcRun(store: Store): Date | null {
  const at = all(store.db, 'SELECT MAX(at) AS at FROM lifecycle_runs')[0]?.at;
  return typeof at === 'string' ? new Date(at) : null;
}

/** The ISO time before which a rule applies; '' (nothing is before it) when `days` is Infinity: never. */
function cutoff(now: Date, days: number): string {
  return Number.isFinite(days) ? new Date(now.getTime() - days * DAY_MS).toISOString() : '';
}

/**
 * Forget: active digests whose turn was last used (recalled, or made) before `forgetBefore`.
 * Prune: archived digests last used before `pruneBefore`. "Used" is the latest recall touch of the
 * turn at any level, else the digest's creation.
 */
function planChanges(db: Database, forgetBefore: string, pruneBefore: string): GcChange[] {
  const rows = all(
    db,
    `SELECT u.id, u.turn_from, u.archived, u.data, u.created_at, s.id AS session_id,
            COALESCE((SELECT MAX(t.at) FROM recall_touches t WHERE t.session = u.session AND t.turn = u.turn_from), u.created_at) AS last_used
     FROM units u JOIN sessions s ON s.key = u.session
     WHERE u.level = 2 ORDER BY s.id, u.turn_from`,
  );
  const changes: GcChange[] = [];
  for (const r of rows) {
    const lastUsed = str(r.last_used);
    const base = { sessionId: str(r.session_id), turn: num(r.turn_from), unitId: num(r.id), lastUsed };
    if (num(r.archived) === 0 && lastUsed < forgetBefore) {
      changes.push({ action: 'forget', ...base, line: blurrier(json<TurnDigest | null>(r.data, null), num(r.turn_from)) });
    } else if (num(r.archived) === 1 && lastUsed < pruneBefore) {
      changes.push({ action: 'prune', ...base, line: blurrier(json<TurnDigest | null>(r.data, null), num(r.turn_from)) });
    }
  }
  return changes;
}

/** A digest one level blurrier: its turn as one line of the working context's timeline. */
export function blurrier(d: TurnDigest | null, turn: number): string {
  if (!d) return `Turn ${turn}`;
  const what = d.intent || d.outcome || [...d.edited.map((e) => e.path), ...d.read].slice(0, 3).join(', ');
  const edited = d.edited.length > 0 ? ` (edited ${d.edited.map((e) => e.path).slice(0, 3).join(', ')})` : '';
  return cutWords(`Turn ${turn}: ${what}${edited}`, 200);
}

/** Turns of a session whose digest was forgotten: they stay archived when the session is distilled again. */
export function forgottenTurns(db: Database, session: number): number[] {
  return all(db, 'SELECT turn FROM lifecycle_forgotten WHERE session = ?', [session]).map((r) => num(r.turn));
}
