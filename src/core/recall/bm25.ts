// BM25 from FTS4's matchinfo('pcnalx'), registered as the SQL function loupe_bm25 (sql.js ships
// FTS4, which has no ranking function of its own). Registered by openStore on every connection,
// again after each reload (a new sql.js instance has none of our functions).
import type { Database } from 'sql.js';

export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

/** The figures BM25 needs, read out of a matchinfo('pcnalx') blob. */
export interface MatchInfo {
  phrases: number;
  columns: number;
  /** Rows in the table. */
  rows: number;
  /** Average tokens per column over all rows. */
  avgLength: number[];
  /** Tokens per column in this row. */
  length: number[];
  /** [phrase][column] → hits in this row, hits in all rows, rows with at least one hit. */
  hits: { here: number; total: number; docs: number }[][];
}

export function parseMatchInfo(blob: Uint8Array): MatchInfo {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  let at = 0;
  const next = () => {
    const v = view.getUint32(at, true);
    at += 4;
    return v;
  };
  const phrases = next();
  const columns = next();
  const rows = next();
  const avgLength = Array.from({ length: columns }, next);
  const length = Array.from({ length: columns }, next);
  const hits = Array.from({ length: phrases }, () => Array.from({ length: columns }, () => ({ here: next(), total: next(), docs: next() })));
  return { phrases, columns, rows, avgLength, length, hits };
}

/**
 * Okapi BM25 of one row: Σ over phrases and columns of weight × idf × tf(k1+1) / (tf + k1(1−b+b·len/avg)),
 * with idf = ln(1 + (N − df + 0.5)/(df + 0.5)) (never negative, so a very common word still counts a little).
 * `weights` is per column (missing = 1).
 */
export function bm25(info: MatchInfo, weights: readonly number[] = [], k1 = BM25_K1, b = BM25_B): number {
  let score = 0;
  for (let p = 0; p < info.phrases; p++) {
    for (let c = 0; c < info.columns; c++) {
      const h = info.hits[p]![c]!;
      if (h.here === 0) continue;
      const weight = weights[c] ?? 1;
      const idf = Math.log(1 + (info.rows - h.docs + 0.5) / (h.docs + 0.5));
      const avg = info.avgLength[c]! || 1;
      const norm = 1 - b + (b * info.length[c]!) / avg;
      score += (weight * idf * (h.here * (k1 + 1))) / (h.here + k1 * norm);
    }
  }
  return score;
}

/**
 * Registers loupe_bm25(matchinfo(t, 'pcnalx')), every column weighted 1. (sql.js registers a
 * function with the arity of the JavaScript function, so it takes exactly one argument.)
 */
export function registerRecallFunctions(db: Database): void {
  db.create_function('loupe_bm25', (blob: unknown) => (blob instanceof Uint8Array ? bm25(parseMatchInfo(blob)) : 0));
}
