// `npm run eval`: does compaction keep what matters? On data from more than one source (issue 13):
// (a) the first generator's planted facts (planted.ts), (b) an independently written generator,
// (c) the real Claude Code sessions of ../shared/corpus with questions written by reading them,
// (d) lore's evaluation data. Each data set is ingested into its own in-memory store and compacted
// by Loupe and by the baselines at 1/5, 1/10, 1/20 and 1/50 of each session; an output answers a
// question when all its literal answers occur in it. A report: it prints tables and whether the
// targets are met, and exits 0 even when they are not (1 only when the harness itself fails: a
// planting bug, or compactSession throwing). Data sets whose data is absent are skipped, saying so.
//
// Budgets. A session's size is countExact (gpt-tokenizer) of its verbatim rendering: the main
// line's prompts, assistant texts, tool calls (edit bodies included) and tool outputs, each read
// back whole from its transcript, and compaction summaries, rendered as the baselines render them
// (thinking and bookkeeping records are left out; see baselines.ts). The budget at ratio 1/n is
// floor(size / n). Every output is measured the same way: countExact of the whole markdown.
//
// Baselines, in the same run: tail (newest events verbatim), head+tail, observation masking (every
// prompt, assistant text and tool call, every tool output dropped, newest first: The Complexity
// Trap, arXiv 2508.21433), and R3 (Loupe's working context alone, cut to the budget).
//
// Scoring rules.
// 1. Matching is on normalized text: markdown backslash escapes are undone (`\_` → `_`), the
//    entities &amp; &lt; &gt; &quot; &#39; decoded, every run of whitespace becomes one space, and
//    case is ignored. The same normalization applies to answers.
// 2. A question is answered when every one of its literals occurs in the output.
// 3. A revised fact is kept only when its new value occurs and its stale value does not occur after
//    the new value's last occurrence. The output is ordered in time (DESIGN §5), so the value a
//    reader meets last is the one they take as current.
// 4. Shares are pooled over a data set's sessions. A question's position (early / middle / late)
//    and where its answer lives (prompt, assistant text, tool output, edit) are measured: the third
//    of the verbatim rendering where its first literal first occurs, and the kind of that event.
//    A question whose literals are not all in the verbatim rendering is reported and left out (for
//    the generators that is a planting bug and fails the run).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { progressiveEval } from './progressive';
import { runEval } from './run';

export { factKept, normalizeForMatch, questionKept, type Score, scoreOutput } from './score';
import { scoreOutput } from './score';

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'loupe-eval-'));
  try {
    const ok = await runEval(root, resolve(__dirname, '..', '..', '..'), process.env.LOUPE_EVAL_ONLY);
    if (!ok) process.exitCode = 1;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  await progressiveEval(scoreOutput); // issue 5: the progressive read (test/eval/progressive.ts)
}

// Runs when this bundle is the entry point, and not under `node --test`, which runs every .js file
// under out/test/ (this one included) and must not start the whole eval.
if (/[\\/]eval\.[cm]?js$/.test(process.argv[1] ?? '') && process.env.NODE_TEST_CONTEXT === undefined) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
