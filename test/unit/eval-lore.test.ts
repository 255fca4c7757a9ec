// lore's evaluation data (../shared/corpus/lore-eval, read in place) as the eval uses it: two real
// OpenCode sessions converted to Claude Code JSONL (test/eval/lore.ts) and ingested by Loupe, and
// the 20 questions' literals. Checks that the conversion loses nothing (lore's parts join back to
// its content; every prompt, text and tool output reads back from the store as it was), that the
// sessions read as lore counted them (prompts, turns, paired tool calls), and that every literal
// a question depends on is in the ingested session. Skipped, saying so, without the data.
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ingestPaths, type IngestReport } from '../../src/core/ingest';
import type { StoredEvent } from '../../src/core/model';
import { readSourceLine, verbatimText } from '../../src/core/source';
import { toolResultText } from '../../src/core/transcript/claude/tools';
import { openStore, type Store } from '../../src/core/store/store';
import { normalizeForMatch } from '../eval/eval';
import { joinLoreParts, loreDataset, loreDir, loreOwnScores, loreParts, loreToolCall, OVERRIDES, type LoreDataset, writeLoreSessions } from '../eval/lore';
import { tempDir } from './helpers';
import { repoRoot } from './transcript/claude-helpers';

const ROOT = repoRoot();

/** A tool result's whole output, read from its transcript line (not through verbatimText). */
function resultFromSource(e: StoredEvent): string {
  const rec = JSON.parse(readSourceLine(e)) as { message: { content: { type: string; tool_use_id: string; content: unknown }[] } };
  const block = rec.message.content.find((b) => b.type === 'tool_result' && b.tool_use_id === e.toolUseId)!;
  return toolResultText(block.content);
}
const present = existsSync(join(loreDir(ROOT), 'coding_session_eval.json'));

test('without the data, the dataset and the scores are null', () => {
  const empty = tempDir('loupe-lore-none-');
  try {
    assert.equal(loreDataset(join(empty, 'repo')), null);
    assert.equal(loreOwnScores(join(empty, 'repo')), null);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

test('a flattened message splits into its parts and joins back', () => {
  const content = '[reasoning] Thinking.\nSaying.\n[tool:read] <path>/a/b.ts</path>\n<type>file</type>\n[tool:bash] \n[tool:bash] ok\n[tool:bash]';
  const parts = loreParts(content);
  assert.deepEqual(
    parts.map((p) => p.kind + (p.kind === 'tool' ? `:${p.tool}=${JSON.stringify(p.output)}` : '')),
    ['reasoning', 'tool:read="<path>/a/b.ts</path>\\n<type>file</type>"', 'tool:bash=""', 'tool:bash="ok"', 'tool:bash=""'],
  );
  assert.equal(joinLoreParts(parts), content);
  assert.deepEqual(loreToolCall('read', '<path>/a/b.ts</path>\n<content>1: x'), { name: 'Read', input: { file_path: '/a/b.ts' } });
  assert.deepEqual(loreToolCall('bash', '$ tsc'), { name: 'Bash', input: {} });
  assert.deepEqual(loreToolCall('Sentry_get_issue_details', '# Issue'), { name: 'Sentry_get_issue_details', input: {} });
});

describe("lore's evaluation data", { skip: present ? false : `${loreDir(ROOT)} is absent: the lore checks need ../shared/corpus` }, () => {
  let dataset: LoreDataset;
  let store: Store;
  let report: IngestReport;
  let dir: string;
  const events = new Map<string, StoredEvent[]>();

  before(async () => {
    dataset = loreDataset(ROOT)!;
    dir = tempDir('loupe-lore-');
    writeLoreSessions(dir, dataset);
    store = await openStore(join(dir, 'loupe.db'));
    report = await ingestPaths(store, [dir]);
    for (const s of dataset.sessions) events.set(s.label, store.events(s.sessionId));
  });
  after(() => {
    store?.close?.();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("lore's parts join back to each message's exact content, in OpenCode's step order", () => {
    for (const s of dataset.sessions) {
      for (const m of s.source.messages) {
        if (m.role !== 'assistant') continue;
        const parts = loreParts(m.content);
        assert.equal(joinLoreParts(parts), m.content, `${s.label} message ${m.index}`);
        const order = parts.map((p) => (p.kind === 'reasoning' ? 'R' : p.kind === 'text' ? 'T' : 'X')).join('');
        assert.match(order, /^R?T?X*$/, `${s.label} message ${m.index}: ${order}`);
      }
    }
  });

  test('each session ingests without issues, under its UUID-shaped id', () => {
    assert.deepEqual(report.issues, []);
    assert.deepEqual([...report.sessions].sort(), dataset.sessions.map((s) => s.sessionId).sort());
    for (const s of dataset.sessions) {
      assert.match(s.sessionId, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const session = store.getSession(s.sessionId)!;
      assert.equal(session.cwd, s.source.project_path);
      const evs = events.get(s.label)!;
      assert.ok(evs.every((e) => e.mainLine && !e.sidechain), `${s.label}: one main line`);
      assert.equal(new Date(evs[0]!.ts).toISOString(), s.source.stats.first_message);
      assert.equal(new Date(evs.at(-1)!.ts).toISOString(), s.source.stats.last_message);
    }
  });

  test('prompts and turns are the user messages lore counted', () => {
    for (const s of dataset.sessions) {
      const prompts = events.get(s.label)!.filter((e) => e.kind === 'user_prompt');
      assert.equal(s.userMessages, s.source.stats.user_messages);
      assert.equal(prompts.length, s.userMessages, s.label);
      assert.deepEqual(
        prompts.map((e) => e.text),
        s.source.messages.filter((m) => m.role === 'user').map((m) => m.content),
        `${s.label}: every prompt as typed`,
      );
      assert.equal(store.turns(s.sessionId).length, s.userMessages, `${s.label}: one turn per prompt`);
    }
  });

  test('every tool call is paired with its result, and outputs read back verbatim', () => {
    for (const s of dataset.sessions) {
      const evs = events.get(s.label)!;
      const calls = evs.filter((e) => e.kind === 'tool_call');
      const results = evs.filter((e) => e.kind === 'tool_result');
      assert.equal(calls.length, s.toolCalls, `${s.label}: one call per tool part`);
      assert.equal(results.length, s.toolCalls, `${s.label}: one result per tool part`);
      const callIds = new Set(calls.map((c) => c.id));
      for (const r of results) {
        assert.ok(r.parentId !== null && callIds.has(r.parentId), `${s.label} result e${r.id} paired`);
        assert.ok(r.toolName, `${s.label} result e${r.id} knows its tool`);
      }
      assert.equal(new Set(results.map((r) => r.parentId)).size, calls.length, `${s.label}: no call without a result`);
      const outputs = s.source.messages.flatMap((m) => (m.role === 'assistant' ? loreParts(m.content).flatMap((p) => (p.kind === 'tool' ? [p.output] : [])) : []));
      const readBack = results.map(resultFromSource);
      assert.ok(readBack.every((t, i) => t === outputs[i]), `${s.label}: every tool output read back as lore has it`);
      assert.ok(results.some((r) => r.text.length < r.textLength), `${s.label}: some outputs are stored cut (the check above read the transcript)`);
    }
  });

  test('verbatimText gives every tool output whole', () => {
    // Outputs a little over the 1,200-character limit used to be stored with a marker that made them
    // longer than the original, which verbatimText took for uncut (fixed in cutMiddle).
    for (const s of dataset.sessions) {
      const differ = events.get(s.label)!.filter((e) => e.kind === 'tool_result' && verbatimText(e) !== resultFromSource(e));
      assert.deepEqual(differ.map((e) => `e${e.id} (${e.textLength} chars)`), [], s.label);
    }
  });

  test('assistant text reads back as lore has it (reasoning kept with the text that follows it)', () => {
    for (const s of dataset.sessions) {
      const texts = events.get(s.label)!.filter((e) => e.kind === 'assistant_text').map((e) => verbatimText(e));
      const expected = s.source.messages.flatMap((m) =>
        m.role === 'assistant' ? loreParts(m.content).flatMap((p) => (p.kind === 'reasoning' || (p.kind === 'text' && p.text !== '') ? [p.text] : [])) : [],
      );
      assert.equal(texts.length, expected.length, s.label);
      assert.ok(texts.every((t, i) => t === expected[i]), `${s.label}: every text as lore has it`);
    }
  });

  test('every question has literals, and every literal occurs in its ingested session', (t) => {
    assert.equal(dataset.questions.length, 20);
    assert.deepEqual(
      dataset.questions.map((q) => q.position).reduce<Record<string, number>>((n, p) => ({ ...n, [p]: (n[p] ?? 0) + 1 }), {}),
      { early: 9, middle: 4, late: 7 },
    );
    const beyondStored: string[] = [];
    for (const s of dataset.sessions) {
      const evs = events.get(s.label)!;
      const verbatim = evs.map((e) => normalizeForMatch(verbatimText(e)));
      const stored = evs.map((e) => normalizeForMatch(e.text));
      for (const q of dataset.questions.filter((x) => x.sessionLabel === s.label)) {
        assert.ok(q.literals.length >= 1, `${q.id} has a literal`);
        for (const lit of q.literals) {
          const l = normalizeForMatch(lit);
          assert.ok(verbatim.some((v) => v.includes(l)), `${q.id}: "${lit}" occurs in ${s.label}`);
          if (!stored.some((v) => v.includes(l))) beyondStored.push(`${q.id}: ${lit}`);
        }
      }
    }
    // The eval's verbatim rendering reads stored text, where tool outputs are cut to 1,200 chars.
    t.diagnostic(`literals only in the uncut text of a tool output: ${beyondStored.length ? beyondStored.join('; ') : 'none'}`);
  });

  test('every literal added by hand occurs, and every removal names a literal the rule picked', () => {
    for (const [id, o] of Object.entries(OVERRIDES)) {
      const q = dataset.questions.find((x) => x.id === id);
      assert.ok(q, `${id} is a question`);
      for (const a of o.add ?? []) assert.ok(!q.dropped.includes(a), `${id}: "${a}" occurs`);
      assert.ok(o.why.length > 20, `${id} says why`);
    }
  });

  test('the memory eval is left out, saying why', () => {
    assert.deepEqual(
      dataset.excluded.map((e) => [e.file, e.questions]),
      [['coding_memory_eval.json', 15]],
    );
  });

  test("lore's own scores: one figure per results file and mode", () => {
    const scores = loreOwnScores(ROOT)!;
    assert.deepEqual(
      scores.map((s) => `${s.file} ${s.mode} ${s.correct}/${s.total}`),
      [
        'coding_eval_v3.jsonl default 0/15',
        'coding_eval_v3.jsonl lore 9/15',
        'session_eval_v1.jsonl default 9/20',
        'session_eval_v1.jsonl lore 17/20',
        'session_eval_v2.jsonl default 9/20',
        'session_eval_v2.jsonl lore 17/20',
        'session_eval_v3.jsonl default 10/20',
        'session_eval_v3.jsonl lore 17/20',
      ],
    );
    for (const s of scores) assert.equal(s.accuracy, s.correct / s.total);
    // The session results grade the same 20 questions the dataset holds.
    const questions = new Set(dataset.questions.map((q) => q.question));
    for (const s of scores.filter((x) => x.eval === 'session')) assert.ok(s.labels.every((l) => questions.has(l.question)), s.file);
  });
});
