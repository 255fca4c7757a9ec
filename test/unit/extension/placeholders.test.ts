// Placeholders and anchors written by the distiller are found again by the hover provider.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { anchor, placeholder } from '../../../src/core/distill/strip';
import type { StoredEvent } from '../../../src/core/model';
import { findAnchors, findPlaceholders, handleAt, parseHandle, placeholderAt } from '../../../src/extension/lib/placeholders';

function event(over: Partial<StoredEvent>): StoredEvent {
  return {
    id: 1,
    sessionId: 's',
    seq: 1,
    turn: 1,
    ts: '',
    kind: 'tool_result',
    role: 'tool',
    text: '',
    textLength: 0,
    toolName: 'Read',
    toolUseId: 't',
    isError: false,
    paths: [],
    tokens: 0,
    usage: null,
    model: null,
    parentId: null,
    sidechain: false,
    agentId: null,
    mainLine: true,
    meta: {},
    sourceRef: { file: '/t.jsonl', offset: 0, length: 0, line: 1 },
    ...over,
  };
}

test('a placeholder written by strip.ts parses back to its event, size and error state', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 1e9 }),
      fc.integer({ min: 1, max: 5000 }),
      fc.boolean(),
      fc.constantFrom('Read', 'Bash', 'Grep', 'mcp__x__y'),
      fc.string({ maxLength: 40 }),
      (id, lines, isError, tool, command) => {
        const call = event({ id: id + 1, kind: 'tool_call', toolName: tool, text: `${tool}: ${command}`, meta: { input: { command } } });
        const text = placeholder(event({ id, toolName: tool, isError, meta: { lines } }), call, '/home/ana');
        const found = findPlaceholders(`before ${text} after`);
        assert.equal(found.length, 1, text);
        assert.equal(found[0]!.eventId, id);
        assert.equal(found[0]!.lines, lines);
        assert.equal(found[0]!.isError, isError);
        assert.ok(found[0]!.label.startsWith(tool));
      },
    ),
  );
});

test('the placeholder under the cursor, and only inside it', () => {
  const line = 'x [output omitted — Bash npm test: 42 lines, errors: yes — recall e512] y';
  const start = line.indexOf('[');
  assert.equal(placeholderAt(line, start + 3)?.eventId, 512);
  assert.equal(placeholderAt(line, 0), undefined);
  assert.equal(placeholderAt(line, line.length), undefined);
});

test('anchors and bare handles are found where the cursor is', () => {
  const line = `The fix ${anchor(77)} and e12 here`;
  assert.deepEqual(findAnchors(line).map((a) => a.eventId), [77]);
  assert.equal(handleAt(line, line.indexOf('↗') + 1), 77);
  assert.equal(handleAt(line, line.indexOf('e12') + 1), 12);
  assert.equal(handleAt(line, 0), undefined);
});

test('a typed handle accepts e512, 512 and ↗ e512, nothing else', () => {
  assert.equal(parseHandle('e512'), 512);
  assert.equal(parseHandle(' 512 '), 512);
  assert.equal(parseHandle('↗ e512'), 512);
  assert.equal(parseHandle('e0'), undefined);
  assert.equal(parseHandle('e5x'), undefined);
  assert.equal(parseHandle(''), undefined);
});
