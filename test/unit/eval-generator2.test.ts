// generator2 (test/eval/generator2): deterministic, Claude Code shaped, facts planted where they
// say, and readable by Loupe's ingest with the turns it promises.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ingestPaths } from '../../src/core/ingest';
import { openStore } from '../../src/core/store/store';
import { checkPlanting2, countTurns, decodeSession, EVAL2_SESSIONS, generateSession2, type Session2 } from '../eval/generator2';
import { tempDir } from './helpers';

const SEEDS = [
  { seed: 'unit-a', turns: 40, domain: 'py' },
  { seed: 'unit-b', turns: 64, domain: 'go' },
  { seed: 'unit-c', turns: 52, domain: 'rs' },
];
const cache = new Map<string, Session2>();
function session(i: number): Session2 {
  const key = String(i);
  if (!cache.has(key)) cache.set(key, generateSession2(SEEDS[i]!));
  return cache.get(key)!;
}

test('the same seed gives the same session; different seeds differ', () => {
  const a = generateSession2({ seed: 'det', turns: 40 });
  const b = generateSession2({ seed: 'det', turns: 40 });
  assert.deepEqual(a.lines, b.lines);
  assert.deepEqual(a.facts, b.facts);
  const c = generateSession2({ seed: 'det-2', turns: 40, domain: a.domain });
  assert.notEqual(c.sessionId, a.sessionId);
  assert.notDeepEqual(c.lines, a.lines);
  assert.notDeepEqual(
    c.facts.map((f) => f.answer),
    a.facts.map((f) => f.answer),
  );
});

test('every line is a Claude Code record: fields, one block per assistant line, results under their calls', () => {
  for (let i = 0; i < SEEDS.length; i++) {
    const s = session(i);
    const byUuid = new Map<string, Record<string, any>>();
    const callLine = new Map<string, string>();
    const tools = new Set<string>();
    const shapes = { thinking: 0, notification: 0, reminder: 0, interrupted: 0, parallel: 0, errors: 0 };
    let previous: Record<string, any> | undefined;
    for (const line of s.lines) {
      const rec = JSON.parse(line) as Record<string, any>;
      assert.equal(typeof rec.type, 'string');
      if (rec.type === 'user' || rec.type === 'assistant' || rec.type === 'system') {
        for (const k of ['uuid', 'timestamp', 'cwd', 'version', 'gitBranch']) assert.equal(typeof rec[k], 'string', `${k} in ${line.slice(0, 200)}`);
        assert.ok('parentUuid' in rec);
        assert.equal(rec.sessionId, s.sessionId);
        assert.equal(rec.isSidechain, false);
        assert.equal(rec.userType, 'external');
        assert.ok(!Number.isNaN(Date.parse(rec.timestamp)));
        assert.ok(rec.parentUuid === null || byUuid.has(rec.parentUuid), 'a parent written before its child');
        byUuid.set(rec.uuid, rec);
      }
      if (rec.type === 'assistant') {
        const m = rec.message;
        assert.match(m.id, /^msg_/);
        assert.equal(typeof rec.requestId, 'string');
        assert.equal(m.role, 'assistant');
        assert.equal(m.content.length, 1);
        for (const k of ['input_tokens', 'output_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens']) assert.equal(typeof m.usage[k], 'number');
        const block = m.content[0];
        if (block.type === 'thinking') shapes.thinking++;
        if (block.type === 'tool_use') {
          callLine.set(block.id, rec.uuid);
          tools.add(block.name);
          if (previous?.type === 'assistant' && previous.message.id === m.id && previous.message.content[0].type === 'tool_use') {
            shapes.parallel++;
            assert.equal(rec.parentUuid, previous.uuid, 'parallel calls are a chain');
          }
        }
      }
      if (rec.type === 'user') {
        const content = rec.message.content;
        if (typeof content === 'string' && content.startsWith('<task-notification>')) shapes.notification++;
        if (Array.isArray(content)) {
          for (const b of content) {
            if (b.type === 'tool_result') {
              assert.equal(rec.parentUuid, callLine.get(b.tool_use_id), 'a result hangs under its own call');
              assert.ok('toolUseResult' in rec);
              if (b.is_error) shapes.errors++;
            }
            if (b.type === 'text' && b.text.startsWith('[Request interrupted by user')) shapes.interrupted++;
            if (b.type === 'text' && b.text.startsWith('<system-reminder>')) shapes.reminder++;
          }
        }
      }
      previous = rec;
    }
    for (const t of ['Read', 'Bash', 'Grep', 'Edit', 'Glob', 'TodoWrite', 'Write']) assert.ok(tools.has(t), `${s.label} uses ${t}`);
    for (const [k, n] of Object.entries(shapes)) assert.ok(n > 0, `${s.label} has ${k}`);
  }
});

test('facts are planted where they say, of every kind, early, middle and late', () => {
  for (let i = 0; i < SEEDS.length; i++) {
    const s = session(i);
    const turns = SEEDS[i]!.turns;
    assert.deepEqual(checkPlanting2(s), []);
    assert.equal(countTurns(s.lines), turns);
    const kinds = new Set(s.facts.map((f) => f.kind));
    for (const k of ['constraint', 'preference', 'colleague', 'port', 'latency', 'version', 'rowcount', 'edit_value', 'decision', 'revised', 'error', 'todo']) assert.ok(kinds.has(k as never), `${s.label} plants a ${k}`);
    const thirds = [0, 0, 0];
    for (const f of s.facts) thirds[Math.min(2, Math.floor(((f.turn - 1) * 3) / turns))]!++;
    assert.ok(thirds.every((n) => n > 0), `spread ${thirds}`);
    assert.ok(s.facts.some((f) => f.stale !== undefined && f.staleTurn! < f.turn));
    for (const w of ['prompt', 'assistant', 'tool_output', 'edit']) assert.ok(s.facts.some((f) => f.where === w), `${s.label} has a fact in ${w}`);
    // Values that live only in tool output are never said in a prompt or by the assistant.
    const said = decodeSession(s.lines)
      .filter((t) => t.role === 'prompt' || t.role === 'assistant')
      .map((t) => t.text.toLowerCase())
      .join('\n');
    for (const f of s.facts.filter((x) => ['port', 'latency', 'version', 'rowcount'].includes(x.kind))) assert.ok(!said.includes(f.answer.toLowerCase()), `${f.id} only in tool output`);
  }
});

test('a planting check notices a fact that is not where it says', () => {
  const s = session(0);
  const f = s.facts.find((x) => x.turn > 2)!;
  assert.notDeepEqual(checkPlanting2({ lines: s.lines, facts: [{ ...f, turn: f.turn - 1 }] }), []);
  const revised = s.facts.find((x) => x.stale !== undefined)!;
  assert.notDeepEqual(checkPlanting2({ lines: s.lines, facts: [{ ...revised, stale: revised.answer + 'x' }] }), []);
  const said = s.facts.find((x) => x.where === 'prompt')!;
  assert.notDeepEqual(checkPlanting2({ lines: s.lines, facts: [{ ...said, where: 'tool_output' }] }), []);
});

test('Loupe ingests a generated session without issues, with one turn per typed prompt', async () => {
  for (const i of [0, 1]) {
    const s = session(i);
    const dir = tempDir();
    writeFileSync(join(dir, `${s.sessionId}.jsonl`), s.lines.map((l) => l + '\n').join(''));
    const store = await openStore(join(dir, 'loupe.db'));
    const report = await ingestPaths(store, [dir]);
    assert.deepEqual(report.issues, []);
    assert.deepEqual(report.sessions, [s.sessionId]);
    assert.equal(store.turns(s.sessionId).length, SEEDS[i]!.turns);
    // Loupe's turns are generator2's turns: each answer is in the events of its turn.
    for (const f of s.facts) {
      const text = store
        .events(s.sessionId, { turn: f.turn })
        .map((e) => e.text)
        .join('\n')
        .toLowerCase();
      assert.ok(text.includes(f.answer.toLowerCase()), `${f.id} in Loupe's turn ${f.turn}`);
    }
    store.close();
  }
});

test('the default eval sessions are 40–150 turns, and size grows with turns', () => {
  assert.equal(EVAL2_SESSIONS.length, 4);
  let previous = 0;
  for (const o of EVAL2_SESSIONS) {
    assert.ok(o.turns >= 40 && o.turns <= 150);
    const s = generateSession2(o);
    const chars = decodeSession(s.lines).reduce((n, t) => n + t.text.length, 0);
    // ~3–3.5 characters a token: 150k–600k tokens.
    assert.ok(chars > 150_000 * 3 && chars < 600_000 * 3.6, `${s.label}: ${chars} chars`);
    assert.ok(chars > previous);
    previous = chars;
  }
});
