// The eval harness (test/eval): its scorer, its baselines and its planted sessions. The eval's
// numbers are only as good as these: a scorer that matched too loosely, or a baseline that went
// over budget, would make compaction look better or worse than it is.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countExact } from '../../src/core/tokens/count';
import { BASELINES, type EvalEvent, TOOL_OUTPUT_OMITTED, contextEvents, headTail, renderEvent, stripTools, tail } from '../eval/baselines';
import { factKept, normalizeForMatch, scoreOutput } from '../eval/eval';
import { plantedSession } from '../eval/planted';

const fact = (answer: string, stale?: string) => ({ answer, ...(stale === undefined ? {} : { stale }) });

test('the scorer finds an answer whatever its case, spacing or markdown escaping', () => {
  const out = normalizeForMatch('Set `max\\_retries  =\n 7` in src/config.ts; error: &quot;postings&quot;');
  assert.equal(factKept(out, fact('MAX_RETRIES = 7')), true);
  assert.equal(factKept(out, fact('error: "postings"')), true);
  assert.equal(factKept(out, fact('MAX_RETRIES = 8')), false);
  assert.equal(factKept(out, fact('PG_POOL_MAX = 12')), false);
});

test('a revised fact counts only when the new value comes after the last mention of the old one', () => {
  const port = (text: string) => factKept(normalizeForMatch(text), fact('LEDGER_PORT = 8443', 'LEDGER_PORT = 3000'));
  assert.equal(port('now LEDGER_PORT = 8443'), true, 'new value alone');
  assert.equal(port('LEDGER_PORT = 3000 at first, then LEDGER_PORT = 8443'), true, 'old value as history');
  assert.equal(port('LEDGER_PORT = 8443 … later read: LEDGER_PORT = 3000'), false, 'old value presented last');
  assert.equal(port('LEDGER_PORT = 3000'), false, 'old value alone');
  assert.equal(port('nothing about ports'), false, 'neither');
  assert.equal(port('LEDGER_PORT = 8443, LEDGER_PORT = 3000, LEDGER_PORT = 8443'), true, 'revised again at the end');
});

test('scoreOutput counts kept facts, current-state facts and revised facts separately', () => {
  const facts = [
    { kind: 'decision' as const, answer: 'argon2id' },
    { kind: 'final-value' as const, answer: 'MAX_RETRIES = 7' },
    { kind: 'current-state' as const, answer: 'rolls over at local midnight in Asia/Tokyo' },
    { kind: 'current-state' as const, answer: 'src/ledger/rollover.ts' },
    { kind: 'revised' as const, answer: 'LOG_LEVEL = warn', stale: 'LOG_LEVEL = debug' },
    { kind: 'revised' as const, answer: 'WORKER_CONCURRENCY = 16', stale: 'WORKER_CONCURRENCY = 4' },
  ];
  const output = [
    '## Decisions', '- We use Argon2id for password hashing.',
    '## Current state', '- failing: rolls over at local midnight in Asia/Tokyo',
    '- LOG_LEVEL = debug, then LOG_LEVEL = warn', '- WORKER_CONCURRENCY = 16 (read later: WORKER_CONCURRENCY = 4)',
  ].join('\n');
  const s = scoreOutput(output, facts);
  assert.deepEqual(s.perFact, [true, false, true, false, true, false]);
  assert.deepEqual(
    { facts: s.facts, kept: s.kept, currentState: s.currentState, currentStateKept: s.currentStateKept, revised: s.revised, revisedNewest: s.revisedNewest },
    { facts: 6, kept: 3, currentState: 2, currentStateKept: 1, revised: 2, revisedNewest: 1 },
  );
});

/** A small session: prompts, answers, tool calls with outputs of very different sizes, and events no context holds. */
function events(): EvalEvent[] {
  const out: EvalEvent[] = [];
  const ev = (kind: EvalEvent['kind'], text: string, extra: Partial<EvalEvent> = {}): void => {
    out.push({ kind, text, toolName: null, isError: false, mainLine: true, sidechain: false, ...extra });
  };
  for (let i = 0; i < 12; i++) {
    ev('user_prompt', `Prompt ${i}: please look at module ${i}.`);
    ev('thinking', `thinking-marker-${i}`);
    ev('tool_call', `Read /src/module${i}.ts`, { toolName: 'Read' });
    const body = Array.from({ length: (i % 4) * 60 + 3 }, (_, l) => `${l + 1}\texport const value${l} = ${i * l}; // tool-output-marker-${i}`).join('\n');
    ev('tool_result', body, { toolName: 'Read', isError: i % 5 === 0 });
    ev('tool_call', 'Task (Explore): survey', { toolName: 'Task', sidechain: true });
    ev('assistant_text', `rewound-marker-${i}`, { mainLine: false });
    ev('assistant_text', `Answer ${i}: module ${i} exports ${(i % 4) * 60 + 3} values.`);
  }
  ev('meta', 'file history snapshot: 0 files');
  return out;
}

const BUDGETS = [0, 1, 5, 12, 40, 150, 600, 2_500, 10_000, 1_000_000];

test('no baseline ever goes over its budget', () => {
  for (const b of BASELINES) {
    for (const budget of BUDGETS) {
      const out = b.run(events(), budget);
      assert.ok(countExact(out) <= budget, `${b.name} at ${budget}: ${countExact(out)} tokens`);
    }
  }
});

test('with room for everything, tail and head+tail return the whole context', () => {
  const whole = contextEvents(events()).map((e) => renderEvent(e)!).join('\n\n');
  assert.equal(tail(events(), 1_000_000), whole);
  assert.equal(headTail(events(), 1_000_000), whole);
});

test('the context holds neither thinking, nor subagent events, nor a rewound branch', () => {
  const whole = tail(events(), 1_000_000);
  assert.doesNotMatch(whole, /thinking-marker|rewound-marker|Task \(Explore\)|file history snapshot/);
});

test('tail keeps the last event, and cuts it from the start when even it does not fit', () => {
  const last = renderEvent(events().at(-2)!)!;
  for (const budget of [countExact(last), 40, 600, 2_500]) {
    const out = tail(events(), budget);
    assert.ok(out.endsWith(last), `budget ${budget}`);
  }
  const cut = tail(events(), 8);
  assert.ok(cut.length > 0 && cut.startsWith('[…]') && last.endsWith(cut.slice(cut.indexOf(']') + 2)), cut);
});

test('head+tail keeps the first and the last event, with a marker between', () => {
  const all = contextEvents(events()).map((e) => renderEvent(e)!);
  const out = headTail(events(), 400);
  assert.ok(out.startsWith(all[0]!), out.slice(0, 80));
  assert.ok(out.endsWith(all.at(-1)!));
  assert.match(out, /\[… \d+ events omitted …\]/);
});

test('strip-tools has no tool output text, but keeps the calls and the conversation', () => {
  for (const budget of [150, 2_500, 1_000_000]) {
    const out = stripTools(events(), budget);
    assert.doesNotMatch(out, /tool-output-marker|export const value/, `budget ${budget}`);
    assert.ok(out.includes(`tool Read: ${TOOL_OUTPUT_OMITTED}`));
    assert.match(out, /\*\*tool call\*\*: Read \/src\/module11\.ts/);
    assert.match(out, /\*\*assistant\*\*: Answer 11/);
  }
});

test('planted sessions are deterministic and plant every kind of fact, spread over the session', () => {
  const a = plantedSession({ seed: 7, turns: 80 });
  const b = plantedSession({ seed: 7, turns: 80 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(plantedSession({ seed: 8, turns: 80 }).facts, a.facts);
  const kinds = new Set(a.facts.map((f) => f.kind));
  assert.deepEqual([...kinds].sort(), ['current-state', 'decision', 'error-message', 'final-value', 'revised']);
  assert.ok(a.facts.length >= 20 && a.facts.length <= 30, `${a.facts.length} facts`);
  assert.equal(new Set(a.facts.map((f) => f.id)).size, a.facts.length, 'ids are unique');
  const main = a.files[0]!.content;
  for (const f of a.facts) {
    assert.ok(main.includes(JSON.stringify(f.answer).slice(1, -1)), `${f.id}: answer not in the transcript`);
    if (f.kind === 'revised') assert.ok(f.stale !== undefined && f.staleTurn !== undefined && f.staleTurn < f.turn, f.id);
    if (f.kind === 'current-state') assert.ok(f.turn >= a.turns - 1, `${f.id} in turn ${f.turn} of ${a.turns}`);
  }
  const turns = a.facts.filter((f) => f.kind !== 'current-state').map((f) => f.turn);
  assert.ok(Math.min(...turns) < a.turns / 3 && Math.max(...turns) > (2 * a.turns) / 3, `planted in turns ${turns.join(', ')}`);
});
