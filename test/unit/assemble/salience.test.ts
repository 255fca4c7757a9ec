// Salience (src/core/assemble/salience.ts) and what it does to a compaction: the budget is filled
// by what each line adds, repeats collapse with a count, unique facts outlive boilerplate.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { compactSession } from '../../../src/core/assemble/compact';
import { estimateTokens, selectUnits, sessionUnits, termsOf, type Unit } from '../../../src/core/assemble/salience';
import { ingestPaths } from '../../../src/core/ingest';
import type { StoredEvent } from '../../../src/core/model';
import { openStore } from '../../../src/core/store/store';
import { sampleStore } from '../sample';
import { assistant, jsonl, prompt, SESSION, tempDir, text, toolResult, toolUse } from '../helpers';

let nextId = 1;
function event(kind: StoredEvent['kind'], body: string, turn = 1, toolName: string | null = null): StoredEvent {
  const id = nextId++;
  return {
    id, sessionId: 's', seq: id, turn, ts: '', kind, role: kind === 'user_prompt' ? 'user' : 'assistant', text: body, textLength: body.length,
    toolName, toolUseId: null, isError: false, paths: [], tokens: 0, usage: null, model: null, parentId: null, sidechain: false,
    agentId: null, mainLine: true, meta: {}, sourceRef: { file: '/nonexistent', offset: 0, length: 0, line: 0 },
  };
}

test('terms: identifiers, numbers and paths whole, lowercased; CJK runs as character pairs', () => {
  assert.deepEqual(termsOf('Set MAX_RETRIES to 7 in src/config.ts'), ['set', 'max_retries', 'to', '7', 'in', 'src/config.ts']);
  assert.deepEqual(termsOf('旧と新'), ['旧と', 'と新']);
  assert.ok(estimateTokens('旧と新') >= 3 && estimateTokens('abcdefgh') <= 3);
});

test('a line the session repeats collapses to its last copy, with the count', () => {
  const a = event('tool_result', 'All tests passed\nlistening on :8080');
  const b = event('tool_result', 'All tests passed');
  const c = event('tool_result', 'all  tests passed');
  const units = sessionUnits([a, b, c]);
  const passed = units.filter((u) => u.text.toLowerCase().replace(/\s+/g, ' ') === 'all tests passed');
  assert.equal(passed.length, 1);
  assert.equal(passed[0]!.event, c, 'the newest copy stands');
  assert.equal(passed[0]!.copies, 3);
  assert.equal(units.filter((u) => u.text === 'listening on :8080').length, 1);
});

test('what a person typed goes before an equally informative tool line', () => {
  const units = sessionUnits([event('tool_result', 'retry budget 7 attempts'), event('user_prompt', 'retry budget 9 attempts')]);
  const [first] = selectUnits(units, 100, { turnWeight: () => 1, covered: new Set() });
  assert.equal(first!.source, 'prompt');
});

test('an edit contributes what it set, not what it replaced', () => {
  const edit = event('tool_call', 'Edit /p/a.py\n- TIMEOUT = 30\n+ TIMEOUT = 45', 1, 'Edit');
  const texts = sessionUnits([edit]).map((u) => [u.source, u.text]);
  assert.deepEqual(texts, [
    ['call', 'Edit /p/a.py'],
    ['edit', 'TIMEOUT = 45'],
  ]);
});

test('selection: rare terms first, nothing for what is already covered, never over the budget', () => {
  // One source, so only the terms decide (sources have priors of their own).
  const units = sessionUnits([event('tool_result', ['ok', 'ok done', 'ok done ok', 'port 48213 bound', 'ok ok', 'done ok'].join('\n'))]);
  const first = selectUnits(units, 10, { turnWeight: () => 1, covered: new Set() });
  assert.equal(first[0]!.text, 'port 48213 bound');
  assert.ok(first.reduce((n, u) => n + u.cost, 0) <= 10);
  const none = selectUnits(units, 1_000, { turnWeight: () => 1, covered: new Set(units.flatMap((u: Unit) => u.terms)) });
  assert.deepEqual(none, [], 'a document that already says everything gains nothing');
});

test('compaction fills the budget when there is more to say', async () => {
  const { store, id } = await sampleStore();
  for (const budget of [1_500, 4_000, 8_000, 20_000]) {
    const r = await compactSession(store, id, { budget });
    assert.ok(r.tokens <= budget, `${r.tokens} > ${budget}`);
    assert.ok(r.tokens >= 0.95 * budget, `budget ${budget}: only ${r.tokens} used`);
  }
});

test('a value printed once early by a tool outlives the newest boilerplate', async () => {
  const lines: string[] = [prompt({ uuid: 'u1' }, 'start the api and tell me where it listens')];
  lines.push(assistant({ uuid: 'a1', parent: 'u1', messageId: 'm1' }, toolUse('t1', 'Bash', { command: 'make serve' })));
  lines.push(toolResult({ uuid: 'r1', parent: 'a1' }, 't1', `${'compiling module\n'.repeat(30)}api listening on 127.0.0.1:48213 (pid 7781)\n`));
  let parent = 'r1';
  for (let t = 2; t <= 30; t++) {
    lines.push(prompt({ uuid: `u${t}`, parent }, 'run the tests again'));
    lines.push(assistant({ uuid: `c${t}`, parent: `u${t}`, messageId: `m${t}` }, toolUse(`t${t}`, 'Bash', { command: 'make test' })));
    const log = Array.from({ length: 60 }, (_, i) => `PASS tests/test_case_${i}.py::test_ok`).join('\n');
    lines.push(toolResult({ uuid: `r${t}`, parent: `c${t}` }, `t${t}`, `${log}\n60 passed in 1.2s`));
    lines.push(assistant({ uuid: `d${t}`, parent: `r${t}`, messageId: `n${t}` }, text('All green.')));
    parent = `d${t}`;
  }
  const dir = tempDir();
  writeFileSync(join(dir, `${SESSION}.jsonl`), jsonl(lines));
  const store = await openStore(join(dir, 'loupe.db'));
  await ingestPaths(store, [dir]);
  const full = (await compactSession(store, SESSION, { budget: 1_000_000 })).tokens;
  const r = await compactSession(store, SESSION, { budget: Math.floor(full / 10) });
  assert.ok(r.markdown.includes('48213'), 'the port printed once in turn 1');
  assert.ok(r.tokens <= Math.floor(full / 10));
});
