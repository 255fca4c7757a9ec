// BM25 from FTS4's matchinfo('pcnalx'), registered as the SQL function loupe_bm25 (sql.js ships
// FTS4, which has no ranking function of its own). Registered by openStore on every connection,
// again after each reload (a new sql.js instance has none of our functions).
import type { Database } from 'sql.js';

export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

/**
 * Okapi BM25 of one row, read straight out of its matchinfo('pcnalx') blob: Σ over phrases and
 * columns of weight × idf × tf(k1+1) / (tf + k1(1−b+b·len/avg)), with idf = ln(1 + (N − df + 0.5)/(df + 0.5))
 * (never negative, so a very common word still counts a little). `weights` is per column
 * (missing = 1).
 *
 * The blob is 32-bit words: p (phrases), c (columns), n (rows), a[c] (average tokens per column),
 * l[c] (tokens per column in this row), then x[p][c] as triples (hits in this row, hits in all
 * rows, rows with a hit). It is read in place: this runs once per matching row of every query,
 * and building objects for it took about a seventh of the ranking query's time in a profile.
 */
export function bm25(blob: Uint8Array, weights: readonly number[] = [], k1 = BM25_K1, b = BM25_B): number {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const u32 = (i: number) => view.getUint32(i * 4, true);
  const phrases = u32(0);
  const columns = u32(1);
  const rows = u32(2);
  const hitsAt = 3 + 2 * columns;
  if (blob.byteLength < (hitsAt + 3 * phrases * columns) * 4) throw new RangeError(`matchinfo blob of ${blob.byteLength} bytes is too short for 'pcnalx'`);
  let score = 0;
  for (let p = 0; p < phrases; p++) {
    for (let c = 0; c < columns; c++) {
      const at = hitsAt + 3 * (p * columns + c);
      const here = u32(at);
      if (here === 0) continue;
      const docs = u32(at + 2);
      const idf = Math.log(1 + (rows - docs + 0.5) / (docs + 0.5));
      const avg = u32(3 + c) || 1;
      const norm = 1 - b + (b * u32(3 + columns + c)) / avg;
      score += ((weights[c] ?? 1) * idf * (here * (k1 + 1))) / (here + k1 * norm);
    }
  }
  return score;
}

/**
 * Registers loupe_bm25(matchinfo(t, 'pcnalx')), every column weighted 1. (sql.js registers a
 * function with the arity of the JavaScript function, so it takes exactly one argument.)
 */
export function registerRecallFunctions(db: Database): void {
  db.create_function('loupe_bm25', (blob: unknown) => (blob instanceof Uint8Array ? bm25(blob) : 0));
}
