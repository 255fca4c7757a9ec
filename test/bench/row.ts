/** One row of the `npm run bench` table (every benchmark part fills these). */
export interface BenchRow {
  measure: string;
  baseline: string;
  loupe: string;
  ratio: string;
  target: string;
  /** null: reported, no target. */
  ok: boolean | null;
}
