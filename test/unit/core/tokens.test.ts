import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { countExact, countTextTokens, EXACT_COUNT_LIMIT } from '../../../src/core/tokens/count';
import { splitTokens } from '../../../src/core/tokens/fit';
import { countTokens } from 'gpt-tokenizer';

test('short texts are counted exactly with gpt-tokenizer', () => {
  const text = 'export function total(items: Item[]): number { return items.length; }';
  assert.deepEqual(countTextTokens(text), { tokens: countTokens(text), estimated: false });
  assert.deepEqual(countTextTokens(''), { tokens: 0, estimated: false });
});

test('very long texts are estimated from a sample, within a few percent of the exact count', () => {
  const line = (i: number) => `  at handler${i} (src/server/routes/orders.ts:${100 + (i % 50)}:17) status=${i % 7 ? 'ok' : 'FAILED'}\n`;
  let text = '';
  for (let i = 0; text.length < EXACT_COUNT_LIMIT * 20; i++) text += line(i);
  const estimate = countTextTokens(text);
  const exact = countTokens(text);
  assert.equal(estimate.estimated, true);
  assert.ok(Math.abs(estimate.tokens - exact) / exact < 0.05, `estimate ${estimate.tokens} vs exact ${exact}`);
});

test('splitTokens cuts a text into pieces within the budget that keep every character, in order', () => {
  const line = fc.oneof(fc.string({ maxLength: 80 }), fc.constant('x'.repeat(900)), fc.constant('const LIMIT = 8080; // 🚀'.repeat(40)));
  fc.assert(
    fc.property(fc.array(line, { maxLength: 40 }), fc.integer({ min: 4, max: 120 }), (lines, budget) => {
      const text = lines.join('\n');
      const pieces = splitTokens(text, budget);
      for (const p of pieces) assert.ok(countExact(p) <= budget, `a piece of ${countExact(p)} tokens > ${budget}`);
      // Only the newlines where a cut fell are left out.
      assert.equal(pieces.join('').replace(/\n/g, ''), text.replace(/\n/g, ''));
    }),
    { numRuns: 150 },
  );
});
