import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitCompleteLines } from '../../../src/core/transcript/jsonl';

test('only terminated lines are returned, with byte offsets and line numbers', () => {
  const buf = Buffer.from('{"a":1}\n\n{"b":"é"}\r\n{"c":');
  const r = splitCompleteLines(buf, 100, 7);
  assert.deepEqual(
    r.lines.map((l) => [l.line, l.offset, l.length, l.text]),
    [
      [7, 100, 7, '{"a":1}'],
      [9, 109, 10, '{"b":"é"}'],
    ],
  );
  assert.equal(r.endOffset, 100 + buf.indexOf('{"c":'));
  assert.equal(r.nextLine, 10);
});

test('invalid UTF-8 is decoded with replacement characters and flagged', () => {
  const r = splitCompleteLines(Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]), 0, 1);
  assert.equal(r.lines[0]!.text, '{\ufffd\ufffd}');
  assert.equal(r.lines[0]!.invalidUtf8, true);
});
