// The resolution ladder on a small hand-built session: each level, the placeholder format,
// supersession, error collapsing, archiving and incremental distillation.
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderDigest } from '../../../src/core/distill/digest';
import { renderTurnSharp } from '../../../src/core/distill/strip';
import { distillSession, RECENT_TURNS } from '../../../src/core/distill/units';
import { ingestPaths } from '../../../src/core/ingest';
import { render } from '../../../src/core/markdown';
import { all, num } from '../../../src/core/store/rows';
import { openStore, type Store } from '../../../src/core/store/store';
import { assistant, jsonl, PROJECT, prompt, SESSION, tempDir, text, toolResult, toolUse, writeFile } from '../helpers';

const FILE = '/home/ana/shop-api/src/checkout.ts';
const SOURCE = Array.from({ length: 40 }, (_, i) => `${String(i + 1).padStart(6)}\tconst line${i} = ${i};`).join('\n');
const FAIL = "FAIL test/checkout.test.ts\nTypeError: Cannot read properties of undefined (reading 'coupon')\n    at total (src/checkout.ts:12:5)\nExit code 1";

/** Turn 1 reads a file and fails a test; turn 2 reads it again, fails the same way; turn 3 edits it and passes. */
function sessionLines(): string[] {
  let n = 0;
  const id = () => `x${++n}`;
  const lines: string[] = [];
  let parent: string | null = null;
  const add = (make: (uuid: string, parent: string | null) => string) => {
    const uuid = id();
    lines.push(make(uuid, parent));
    parent = uuid;
  };
  for (const turn of [1, 2]) {
    add((u, p) => prompt({ uuid: u, parent: p }, turn === 1 ? 'Add a coupon field to checkout. Keep the API stable.' : 'Run the tests again'));
    add((u, p) => assistant({ uuid: u, parent: p, messageId: `m${turn}a` }, { type: 'thinking', thinking: 'SECRET-THOUGHT about coupons', signature: 's' }));
    add((u, p) => assistant({ uuid: u, parent: p, messageId: `m${turn}b` }, toolUse(`read${turn}`, 'Read', { file_path: FILE })));
    add((u, p) =>
      toolResult({ uuid: u, parent: p }, `read${turn}`, SOURCE, {
        toolUseResult: { type: 'text', file: { filePath: FILE, content: 'x', numLines: 40, startLine: 1, totalLines: 40 } },
      }),
    );
    add((u, p) => assistant({ uuid: u, parent: p, messageId: `m${turn}c` }, toolUse(`bash${turn}`, 'Bash', { command: 'npm test' })));
    add((u, p) => toolResult({ uuid: u, parent: p }, `bash${turn}`, FAIL, { toolUseResult: { stdout: FAIL, stderr: '', interrupted: false } }, true));
    add((u, p) => assistant({ uuid: u, parent: p, messageId: `m${turn}d` }, text("The test still fails. We'll use an optional coupon field instead of a new endpoint.")));
  }
  add((u, p) => prompt({ uuid: u, parent: p }, 'Fix it'));
  add((u, p) => assistant({ uuid: u, parent: p, messageId: 'm3a' }, toolUse('edit3', 'Edit', { file_path: FILE, old_string: 'a', new_string: 'b' })));
  add((u, p) =>
    toolResult({ uuid: u, parent: p }, 'edit3', 'The file has been updated.', {
      toolUseResult: { filePath: FILE, oldString: 'a', newString: 'b', structuredPatch: [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 2, lines: ['-a', '+b', '+c'] }] },
    }),
  );
  add((u, p) => assistant({ uuid: u, parent: p, messageId: 'm3b' }, toolUse('bash3', 'Bash', { command: 'npm test' })));
  add((u, p) => toolResult({ uuid: u, parent: p }, 'bash3', '12 passed', { toolUseResult: { stdout: '12 passed', stderr: '', interrupted: false } }));
  add((u, p) => assistant({ uuid: u, parent: p, messageId: 'm3c' }, text('All 12 tests pass now.')));
  return lines;
}

async function ingested(lines = sessionLines()): Promise<{ store: Store; dir: string; file: string }> {
  const dir = tempDir();
  const file = writeFile(join(dir, 'projects', PROJECT, `${SESSION}.jsonl`), jsonl(lines));
  const store = await openStore(join(dir, 'loupe.db'));
  await ingestPaths(store, [dir], { workerScript: null });
  return { store, dir, file };
}

test('R1 replaces tool output with a loss-annotated placeholder and drops thinking; R0 keeps both', async () => {
  const { store } = await ingested();
  const d = distillSession(store, SESSION);
  const r1 = render(renderTurnSharp(d.analysis.turns.get(2)!, 1, { analysis: d.analysis }));
  const r0 = render(renderTurnSharp(d.analysis.turns.get(2)!, 0, { analysis: d.analysis }));
  const passed = d.events.find((e) => e.toolUseId === 'bash3' && e.kind === 'tool_result')!;
  const r1Last = render(renderTurnSharp(d.analysis.turns.get(3)!, 1, { analysis: d.analysis }));
  assert.match(r1Last, new RegExp(`\\[output omitted — Bash npm test: 1 line, errors: no — recall e${passed.id}\\]`));
  // The read of turn 2 is superseded by turn 3's edit; without the edit it is a placeholder.
  const noEdit = await ingested(sessionLines().slice(0, 14));
  const d2 = distillSession(noEdit.store, SESSION);
  const read2 = d2.events.find((e) => e.toolUseId === 'read2' && e.kind === 'tool_result')!;
  const r1Read = render(renderTurnSharp(d2.analysis.turns.get(2)!, 1, { analysis: d2.analysis }));
  assert.match(r1Read, new RegExp(`\\[output omitted — Read src/checkout\\.ts: 40 lines, errors: no — recall e${read2.id}\\]`));
  assert.doesNotMatch(r1, /SECRET-THOUGHT/);
  assert.doesNotMatch(r1, /const line17 = 17/);
  assert.match(r0, /SECRET-THOUGHT/);
  assert.match(r0, /const line17 = 17/);
});

test('a read superseded by a later read collapses to a pointer to the newer one', async () => {
  const { store } = await ingested();
  const d = distillSession(store, SESSION);
  const read2 = d.events.find((e) => e.toolUseId === 'read2' && e.kind === 'tool_result')!;
  const r1 = render(renderTurnSharp(d.analysis.turns.get(1)!, 1, { analysis: d.analysis }));
  assert.match(r1, new RegExp(`\\[superseded — Read src/checkout\\.ts: a newer read or edit is ↗ e${read2.id}\\]`));
});

test('the same error twice is shown once with (×2); the earlier copy points to it', async () => {
  const { store } = await ingested();
  const d = distillSession(store, SESSION);
  const turn1 = render(renderTurnSharp(d.analysis.turns.get(1)!, 1, { analysis: d.analysis }));
  const turn2 = render(renderTurnSharp(d.analysis.turns.get(2)!, 1, { analysis: d.analysis }));
  assert.match(turn2, /error — Bash npm test \(×2\)/);
  assert.match(turn2, /TypeError: Cannot read properties of undefined \(reading 'coupon'\)/);
  assert.match(turn1, /\[error — Bash npm test: same as ↗ e\d+: `TypeError/);
  assert.doesNotMatch(turn1, /Exit code 1/);
});

test('R2 digests hold intent, actions, outcome, decisions, errors and facts, all taken from the turn', async () => {
  const { store } = await ingested();
  const d = distillSession(store, SESSION);
  const one = d.digests.get(1)!;
  assert.equal(one.intent, 'Add a coupon field to checkout. Keep the API stable.');
  assert.deepEqual(one.read, ['src/checkout.ts']);
  assert.deepEqual(one.commands.map((c) => [c.command, c.exit]), [['npm test', 1]]);
  assert.deepEqual(one.decisions, ["We'll use an optional coupon field instead of a new endpoint."]);
  assert.equal(one.errors[0]!.signature, "TypeError: Cannot read properties of undefined (reading 'coupon')");
  const three = d.digests.get(3)!;
  assert.deepEqual(three.edited, [{ path: 'src/checkout.ts', added: 2, removed: 1 }]);
  assert.equal(three.outcome, 'All 12 tests pass now.');
  // Never invent: every word of the rendered digest is in the turn's events, or is a label.
  const labels = new Set(['turn', 'intent', 'actions', 'outcome', 'decisions', 'errors', 'facts', 'read', 'ran', 'edited', 'ok', 'exit', 'e', 'more', 'commands', 'used', 'subagent', 'events', 'values']);
  for (const turn of d.turns) {
    const source = d.analysis.turns.get(turn)!.map((e) => e.text + ' ' + e.paths.join(' ')).join(' ').toLowerCase();
    const words = render(renderDigest(d.digests.get(turn)!)).toLowerCase().match(/[a-z][a-z']+/g) ?? [];
    for (const w of words) assert.ok(labels.has(w) || source.includes(w), `turn ${turn}: "${w}" is not in the turn`);
  }
});

test('R3 has the five sections; building it archives the older digests, which stay in the database', async () => {
  // Enough turns for some to fall out of the recent window.
  const lines = sessionLines();
  let parent = 'x' + lines.length;
  for (let i = 0; i < RECENT_TURNS + 2; i++) {
    lines.push(prompt({ uuid: `p${i}`, parent }, `Small follow-up number ${i}`));
    lines.push(assistant({ uuid: `a${i}`, parent: `p${i}`, messageId: `f${i}` }, text(`Done with follow-up ${i}.`)));
    parent = `a${i}`;
  }
  const { store } = await ingested(lines);
  const d = distillSession(store, SESSION);
  for (const section of ['### Current State', '### Key Decisions', '### Technical Changes', '### Open Problems', '### Session Timeline']) {
    assert.ok(d.contextMarkdown.includes(section), section);
  }
  assert.match(d.contextMarkdown, /We'll use an optional coupon field instead of a new endpoint\./);
  assert.match(d.contextMarkdown, /`src\/checkout\.ts` \+2 −1/);
  assert.match(d.contextMarkdown, /Goal now:\*\* Small follow-up number 9/);
  assert.match(d.outlineMarkdown, /13 turns/);
  const units = all(store.db, 'SELECT level, turn_from, archived FROM units WHERE session = ? ORDER BY level, turn_from', [store.key(SESSION)]);
  const r2 = units.filter((u) => num(u.level) === 2);
  assert.equal(r2.length, 13);
  assert.deepEqual(r2.filter((u) => num(u.archived) === 1).map((u) => num(u.turn_from)), [1, 2, 3, 4, 5]);
  assert.deepEqual(units.filter((u) => num(u.level) > 2).map((u) => num(u.level)), [3, 4]);
});

test('only new or grown turns are digested again; the result is deterministic', async () => {
  const { store, dir, file } = await ingested();
  const first = distillSession(store, SESSION);
  assert.equal(first.digested, 3);
  const again = distillSession(store, SESSION);
  assert.equal(again.digested, 0);
  assert.equal(again.contextMarkdown, first.contextMarkdown);
  appendFileSync(file, jsonl([prompt({ uuid: 'n1', parent: 'x20' }, 'Now document the coupon field'), assistant({ uuid: 'n2', parent: 'n1', messageId: 'n' }, text('Documented in README.md.'))]));
  await ingestPaths(store, [dir], { workerScript: null });
  const after = distillSession(store, SESSION);
  assert.equal(after.digested, 1);
  assert.equal(after.turns.length, 4);
});
