import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countTextTokens, EXACT_COUNT_LIMIT } from '../../../src/core/tokens/count';
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
