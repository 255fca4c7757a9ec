// The progressive read in `npm run eval` (issue 5). For each planted session, with a window W a
// fifth of the session: the plan's tokens read against a dense chunked read of the verbatim
// session, and which planted facts (1) reached some prompt the model was sent and (2) reached the
// final state. The model is the local scripted server answering from what it was sent (an
// extractive stand-in: it ADDs the slice's lines that hold exact values, within its max_tokens), so
// (2) measures the schedule and the state's cap, not a model's judgement. With ANTHROPIC_API_KEY set,
// the same read runs once against the real API (the first session only) and is reported too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initCodeFolding } from '../../src/core/distill/code-fold';
import { distillSession } from '../../src/core/distill/units';
import { ingestPaths } from '../../src/core/ingest';
import { AnthropicProvider } from '../../src/core/llm/anthropic';
import type { LlmProvider } from '../../src/core/llm/provider';
import { planRead } from '../../src/core/progressive/plan';
import { progressiveRead } from '../../src/core/progressive/run';
import { openStore } from '../../src/core/store/store';
import { countExact } from '../../src/core/tokens/count';
import { type SentRequest, startFakeServer } from '../unit/llm/fake-server';
import { renderVerbatim } from './baselines';
import { EVAL_SESSIONS, type PlantedFact, plantedSession, writePlanted } from './planted';

type Scorer = (output: string, facts: readonly Pick<PlantedFact, 'kind' | 'answer' | 'stale'>[]) => { kept: number; facts: number };

/** Window = session / RATIO: the "a session 5× larger than W". */
export const PROGRESSIVE_RATIO = 5;

/** The scripted model: the slice's lines with an exact value in them, new to the state, as ADDs. */
export function extractiveOracle(req: SentRequest): string {
  const sliceAt = req.user.indexOf('\n\nSlice:\n');
  const state = req.user.slice(req.user.indexOf('Current state:'), sliceAt);
  const slice = req.user.slice(sliceAt + 9);
  const budget = req.body.max_tokens ?? 500;
  let out = '';
  for (const raw of slice.split('\n')) {
    const line = raw.replace(/^[-*>\s]+/, '').trim();
    if (line.length < 12 || line.length > 400 || !/`[^`]+`/.test(line) || state.includes(line)) continue;
    const add = `ADD Facts: ${line}\n`;
    if (countExact(out + add) > budget) break;
    out += add;
  }
  return out || 'NO_CHANGE';
}

export async function progressiveEval(score: Scorer): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'loupe-eval-progressive-'));
  const server = await startFakeServer({ answer: extractiveOracle });
  await initCodeFolding();
  const rows: string[][] = [];
  let live = 'skipped (ANTHROPIC_API_KEY not set)';
  try {
    const planted = EVAL_SESSIONS.map((o) => plantedSession(o));
    writePlanted(root, planted);
    const store = await openStore(':memory:');
    await ingestPaths(store, [root], { workerScript: null });
    const scripted: LlmProvider = new AnthropicProvider({ apiKey: 'eval', baseURL: server.url, retry: { maxRetries: 2, baseDelayMs: 50 } });
    for (const p of planted) {
      const total = countExact(renderVerbatim(store.events(p.sessionId)));
      const window = Math.floor(total / PROGRESSIVE_RATIO);
      const d = distillSession(store, p.sessionId);
      const plan = planRead(d, { window });
      // The dense read of the eval's own verbatim rendering (stored texts), for a like-for-like size.
      const denseCalls = Math.ceil(total / (window - plan.instructionTokens - plan.outputCap));
      const denseEval = total + denseCalls * plan.instructionTokens;
      server.requests.length = 0;
      const r = await progressiveRead(store, d, scripted, { window });
      const sent = server.requests.map((q) => q.user).join('\n');
      const over = server.requests.filter((q) => countExact(q.system) + countExact(q.user) + (q.body.max_tokens ?? 0) > window).length;
      const reached = score(sent, p.facts);
      const kept = score(r.state, p.facts);
      rows.push([
        p.label,
        `${total.toLocaleString('en-US')} / ${window.toLocaleString('en-US')}`,
        String(plan.passes.length),
        r.usage.inputTokens.toLocaleString('en-US'),
        plan.totalRead.toLocaleString('en-US'),
        `${plan.dense.totalRead.toLocaleString('en-US')} (${plan.dense.calls})`,
        `${denseEval.toLocaleString('en-US')} (${denseCalls})`,
        `${((100 * plan.totalRead) / Math.min(plan.dense.totalRead, denseEval)).toFixed(0)}%`,
        `${reached.kept}/${reached.facts}`,
        `${kept.kept}/${kept.facts}`,
        String(over),
        String(r.passes.filter((x) => x.status !== 'ok').length),
      ]);
      if (process.env.ANTHROPIC_API_KEY && live.startsWith('skipped')) {
        const real = await progressiveRead(store, d, new AnthropicProvider({ apiKey: process.env.ANTHROPIC_API_KEY }), { window });
        const s = score(real.state, p.facts);
        live = `${p.label}: ${s.kept}/${s.facts} facts in the final state, ${real.usage.describe()}, status ${real.status}`;
      }
    }
    store.close();
  } finally {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
  console.log(`\nProgressive read (window = session / ${PROGRESSIVE_RATIO}; scripted extractive model on a local server):\n`);
  const header = ['session', 'tokens / W', 'passes', 'sent (fake count)', 'planned read', 'dense R0 (calls)', 'dense eval (calls)', 'planned/dense', 'facts sent', 'facts in final', 'calls > W', 'passes not ok'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log([line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n'));
  console.log('\n"planned read": prompt tokens over all passes, the state at its cap. "dense R0": Loupe\'s verbatim rendering (tool output read back');
  console.log('in full from the transcript) in window-sized chunks; "dense eval": the eval\'s verbatim rendering the same way; planned/dense uses the smaller.');
  console.log('"facts sent": answers present in some prompt; "facts in final": in the final state (capped at 15% of W; the scripted model adds every');
  console.log('line with a code span, so the cap drops the oldest: a lower bound on what a selective model keeps).');
  console.log(`Live model: ${live}`);
}
