// The parser on what real files contain besides well-formed records: forks, lines cut by a crash
// or still being written, bytes that are not UTF-8, shapes nobody documented, very long lines.
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { splitCompleteLines } from '../../../src/core/transcript/jsonl';
import { parseClaudeLine } from '../../../src/core/transcript/claude/parse';
import { MAX_TOOL_CALL_CHARS, MAX_TOOL_RESULT_CHARS } from '../../../src/core/transcript/claude/build';
import { fixturePath, makeTempDir, only, parseBytes, parseFixture, rawLine, removeTempDirs } from './claude-helpers';

after(removeTempDirs);

/** What the writer of half-written.jsonl had not written yet when the fixture was taken. */
const HALF_WRITTEN_REST =
  'aa","version":"2.1.90","gitBranch":"feat/coupons","type":"user","message":{"role":"user","content":[{"tool_use_id":"toolu_01HwBash","type":"tool_result","content":"Tests  4 passed (4)"}]},"uuid":"u-hw-02","timestamp":"2026-03-06T12:00:09.000Z"}';

describe('Claude Code parser: forks, damaged and odd files', () => {
  test('a rewind leaves two children of one parentUuid', () => {
    const { events } = parseFixture('fork.jsonl');
    const children = events.filter((e) => e.parentUuid === 'a-fk-01');
    assert.deepEqual(children.map((e) => [e.uuid, e.kind]), [['u-fk-02', 'user_prompt'], ['u-fk-03', 'user_prompt']]);
  });

  test('a half-written last line waits for the next ingest, then parses', () => {
    const dir = makeTempDir();
    const file = join(dir, 'live.jsonl');
    const original = readFileSync(fixturePath('half-written.jsonl'));
    writeFileSync(file, original);
    const first = parseBytes(readFileSync(file), 'live.jsonl');
    assert.deepEqual(first.issues, []);
    assert.equal(first.lines.length, 2);
    assert.ok(first.endOffset < original.length);

    // The writer finishes the line; the next ingest reads from where the last one stopped.
    appendFileSync(file, `${HALF_WRITTEN_REST}\n`);
    const bytes = readFileSync(file);
    const next = splitCompleteLines(bytes.subarray(first.endOffset), first.endOffset, 3);
    const line = only(next.lines, 'completed line');
    assert.equal(line.offset, first.endOffset);
    const result = parseClaudeLine(line, 'live.jsonl');
    assert.equal(result.issue, undefined);
    const ev = only(result.events, 'event');
    assert.deepEqual([ev.uuid, ev.kind, ev.toolUseId, ev.sourceRef.line], ['u-hw-02', 'tool_result', 'toolu_01HwBash', 3]);
  });

  test('a corrupt line in the middle is an issue and the lines around it still parse', () => {
    const parsed = parseFixture('corrupt-middle.jsonl');
    assert.deepEqual(
      parsed.issues.map((i) => [i.file, i.line]),
      [
        ['corrupt-middle.jsonl', 3],
        ['corrupt-middle.jsonl', 5],
      ],
    );
    assert.match(parsed.issues[0]?.message ?? '', /^invalid JSON: /);
    assert.equal(parsed.issues[1]?.message, 'not a JSON object: array');
    assert.deepEqual(parsed.events.map((e) => e.uuid), ['u-cm-01', 'a-cm-01', 'u-cm-02', 'a-cm-03']);
    for (const r of parsed.results) if (r.issue) assert.deepEqual([r.events, r.facts], [[], {}]);
  });

  test('invalid UTF-8 is parsed with replacement characters and flagged', () => {
    const { events, issues } = parseFixture('invalid-utf8.jsonl');
    assert.deepEqual(issues, []);
    const [prompt, reply] = events;
    assert.equal(prompt?.meta.invalidUtf8, true);
    assert.match(prompt?.text ?? '', /9,90 \uFFFD/);
    assert.equal(reply?.meta.invalidUtf8, undefined);
  });

  test('an empty file has no lines and no issues', () => {
    const parsed = parseFixture('empty.jsonl');
    assert.deepEqual([parsed.lines, parsed.events, parsed.issues, parsed.endOffset], [[], [], [], 0]);
  });

  test('shapes nobody planned for never throw', () => {
    const odd = [
      { type: 'user', message: null },
      { type: 'user', message: { content: 42 } },
      { type: 'user', message: { content: [null, 7, 'loose string', { type: 'tool_result' }] }, toolUseResult: 12 },
      { type: 'assistant', message: { content: [{ type: 'tool_use', name: 'Read', input: 'not an object' }], usage: { input_tokens: 'x' } } },
      { type: 'assistant', message: { content: [{ type: 'mystery_block' }] }, requestId: 5 },
      { type: 'system', error: { nested: { deeper: true } } },
      { type: 'progress', data: 'none' },
      { type: 'file-history-snapshot', snapshot: { trackedFileBackups: null } },
      { type: 42, uuid: 7, parentUuid: {}, timestamp: 1 },
      '{"type":"constructor","__proto__":{"polluted":true},"n":1}',
      { type: 'toString' },
    ];
    for (const [i, rec] of odd.entries()) {
      const text = typeof rec === 'string' ? rec : JSON.stringify(rec);
      const result = parseClaudeLine(rawLine(text, i + 1), 'odd.jsonl');
      assert.equal(result.issue, undefined, text);
      assert.ok(result.events.length >= 1, text);
      for (const e of result.events) assert.equal(typeof e.text, 'string');
    }
    assert.equal(({} as { polluted?: boolean }).polluted, undefined);
  });
});

describe('Claude Code parser: very long lines', () => {
  test('a 50 MB tool output is stored cut, measured whole', () => {
    const output = `${'x'.repeat(64)}\n`.repeat(50 * 1024 * 1024 / 65);
    const record = {
      type: 'user',
      uuid: 'u-big',
      parentUuid: 'a-big',
      sessionId: 's-big',
      timestamp: '2026-03-07T00:00:00.000Z',
      message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_big', content: output }] },
      toolUseResult: { stdout: output, stderr: '', interrupted: false, isImage: false },
    };
    const result = parseClaudeLine(rawLine(JSON.stringify(record)), 'big.jsonl');
    const ev = only(result.events, 'event');
    assert.equal(ev.kind, 'tool_result');
    assert.ok(ev.text.length <= MAX_TOOL_RESULT_CHARS + 120, `stored ${ev.text.length} chars`);
    assert.equal(ev.textLength, output.length);
    assert.ok((ev.tokens ?? 0) > 0);
    assert.equal(ev.meta.tokensEstimated, true);
    assert.deepEqual(ev.meta.result, { stdoutLength: output.length, stderrLength: 0, interrupted: false });
  });

  test('a long command is cut in its rendering and kept by keys', () => {
    const command = `echo ${'a'.repeat(10_000)}`;
    const record = { type: 'assistant', message: { id: 'm', content: [{ type: 'tool_use', id: 't', name: 'Bash', input: { command } }] } };
    const ev = only(parseClaudeLine(rawLine(JSON.stringify(record)), 'long.jsonl').events, 'event');
    assert.ok(ev.text.startsWith('Bash: echo aaa'));
    assert.ok(ev.text.length <= MAX_TOOL_CALL_CHARS + 120);
    assert.equal(ev.textLength, command.length + 'Bash: '.length);
    assert.deepEqual(ev.meta.inputKeys, ['command']);
  });
});
