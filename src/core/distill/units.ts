// The resolution ladder in the store. R0/R1 are renderings of the events, made when needed; R2
// digests (gen-0), the R3 working context (gen-1) and the R4 outline are units in the database.
// Distillation is incremental: only turns that are new or grew since their digest was made are
// digested again; R3 and R4 are rebuilt when any digest changed. Building R3 archives the digests
// it consumed (all but the most recent turns): archived units leave the default assembly but stay
// searchable, and a query or a pin can bring them back.
import type { Session, StoredEvent } from '../model';
import { render } from '../markdown';
import { all, json, num } from '../store/rows';
import type { Store } from '../store/store';
import { recordUnits } from '../recall/write';
import { countExact } from '../tokens/count';
import { analyzeSession, type SessionAnalysis } from './analysis';
import { buildWorkingContext, renderOutline, renderWorkingContext, type WorkingContext } from './context';
import { DIGEST_VERSION, digestTurn, renderDigest, type TurnDigest } from './digest';

export const EXTRACTIVE = 'extractive';
/** Turns whose digests stay active (not archived into R3): the recent past stays sharp by default. */
export const RECENT_TURNS = 8;

export interface DistilledSession {
  session: Session;
  events: StoredEvent[];
  analysis: SessionAnalysis;
  /** Turn numbers (≥ 1) in order. */
  turns: number[];
  digests: Map<number, TurnDigest>;
  /** Turns whose digest is archived into the working context. */
  archived: Set<number>;
  context: WorkingContext;
  contextMarkdown: string;
  outlineMarkdown: string;
  /** How many turns were (re)digested by this call. */
  digested: number;
  /** Turns whose digest unit was pruned (their digest here was made in memory and not stored). */
  pruned: Set<number>;
}

export function distillSession(store: Store, sessionRef: string, now: () => Date = () => new Date()): DistilledSession {
  const session = store.resolveSession(sessionRef);
  const key = store.key(session.id);
  const events = store.events(session.id);
  const analysis = analyzeSession(events, session.cwd);
  const turns = [...analysis.turns.keys()].filter((t) => t > 0).sort((a, b) => a - b);

  const stored = new Map<number, { eventTo: number; digest: TurnDigest }>();
  for (const row of all(store.db, 'SELECT turn_from, event_to, data FROM units WHERE session = ? AND level = 2', [key])) {
    const digest = json<TurnDigest | null>(row.data, null);
    if (digest) stored.set(num(row.turn_from), { eventTo: num(row.event_to), digest });
  }
  // Digests the retention rule pruned (lifecycle/forget.ts), with the turn's last event then. A
  // pruned turn that still ends there is not digested into a unit again; one that grew holds new
  // content and is (its tombstone goes).
  const tombstones = new Map<number, number | null>();
  for (const row of all(store.db, 'SELECT turn, event_to FROM lifecycle_forgotten WHERE session = ? AND pruned_at IS NOT NULL', [key])) {
    tombstones.set(num(row.turn), row.event_to == null ? null : num(row.event_to));
  }
  const digests = new Map<number, TurnDigest>();
  const changed: TurnDigest[] = [];
  const pruned = new Set<number>();
  for (const turn of turns) {
    const turnEvents = analysis.turns.get(turn)!;
    const lastId = turnEvents[turnEvents.length - 1]!.id;
    const prior = stored.get(turn);
    if (prior && prior.eventTo === lastId && prior.digest.version === DIGEST_VERSION) {
      digests.set(turn, prior.digest);
    } else {
      // Made in memory either way: the working context and assembly read every turn's digest.
      const digest = digestTurn(turn, turnEvents, analysis);
      digests.set(turn, digest);
      const tombstone = tombstones.get(turn);
      if (!prior && tombstones.has(turn) && (tombstone === null || tombstone === lastId)) pruned.add(turn);
      else changed.push(digest);
    }
  }
  const revived = changed.filter((d) => tombstones.has(d.turn)).map((d) => d.turn);
  const archiveBefore = turns.length > RECENT_TURNS ? turns[turns.length - RECENT_TURNS]! : Number.MIN_SAFE_INTEGER;
  // Digests the forget rule archived (lifecycle/forget.ts) stay archived.
  const forgotten = new Set(all(store.db, 'SELECT turn FROM lifecycle_forgotten WHERE session = ?', [key]).map((r) => num(r.turn)));
  for (const turn of revived) forgotten.delete(turn);
  const archived = new Set(turns.filter((t) => t < archiveBefore || forgotten.has(t)));
  const context = buildWorkingContext(turns.map((t) => digests.get(t)!));
  const contextMarkdown = render(renderWorkingContext(context));
  const outlineMarkdown = render(renderOutline(context, session.title));

  const staleUnits = stored.size + pruned.size !== turns.length || [...stored.keys()].some((t) => !digests.has(t));
  if (changed.length > 0 || staleUnits) {
    store.write((db) => {
      const at = now().toISOString();
      const insert = db.prepare(
        `INSERT INTO units (session, level, generation, turn_from, turn_to, event_from, event_to, text, data, tokens, distiller, archived, created_at)
         VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
      );
      try {
        // Turns that vanished (a rewritten transcript) or changed lose their old digest.
        db.run('DELETE FROM units WHERE session = ? AND level = 2 AND turn_from NOT IN (SELECT value FROM json_each(?))', [
          key,
          JSON.stringify(turns),
        ]);
        for (const turn of revived) db.run('DELETE FROM lifecycle_forgotten WHERE session = ? AND turn = ?', [key, turn]);
        for (const d of changed) {
          db.run('DELETE FROM units WHERE session = ? AND level = 2 AND turn_from = ?', [key, d.turn]);
          const markdown = render(renderDigest(d));
          insert.run([key, 2, 0, d.turn, d.turn, d.eventFrom, d.eventTo, markdown, JSON.stringify(d), countExact(markdown), EXTRACTIVE, 0, at]);
        }
        db.run(
          'UPDATE units SET archived = (turn_from < ? OR turn_from IN (SELECT turn FROM lifecycle_forgotten WHERE session = ?2)) WHERE session = ?2 AND level = 2',
          [archiveBefore, key],
        );
        // R3 and R4 are rebuilt whole: a newer working context replaces the older one.
        db.run('DELETE FROM units WHERE session = ? AND level IN (3, 4)', [key]);
        const first = turns[0] ?? 0;
        const lastTurn = turns[turns.length - 1] ?? 0;
        const from = events[0]?.id ?? 0;
        const to = events[events.length - 1]?.id ?? 0;
        insert.run([key, 3, 1, first, lastTurn, from, to, contextMarkdown, JSON.stringify(context), countExact(contextMarkdown), EXTRACTIVE, 0, at]);
        insert.run([key, 4, 2, first, lastTurn, from, to, outlineMarkdown, null, countExact(outlineMarkdown), EXTRACTIVE, 0, at]);
      } finally {
        insert.free();
      }
      recordUnits(db, key); // recall's index
    });
  }
  return { session, events, analysis, turns, digests, archived, context, contextMarkdown, outlineMarkdown, digested: changed.length, pruned };
}

/**
 * A distiller that refines the extractive units (a model, DESIGN §4). It replaces a unit only when
 * its answer passes the checks; otherwise the extractive unit stays, so the extractive distiller is
 * both the default and the fallback.
 */
export interface SessionDistiller {
  readonly name: string;
  refine(store: Store, d: DistilledSession): Promise<DistilledSession>;
}

/** distillSession, then an optional (async, model) distiller over its result. */
export async function distillSessionAsync(store: Store, sessionRef: string, distiller?: SessionDistiller, now: () => Date = () => new Date()): Promise<DistilledSession> {
  const d = distillSession(store, sessionRef, now);
  return distiller ? distiller.refine(store, d) : d;
}
