// Token counts, the status bar label and typed budgets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fillGlyph, fillLabel, formatTokens, parseBudget } from '../../../src/extension/lib/format';

test('token counts are short', () => {
  assert.equal(formatTokens(950), '950');
  assert.equal(formatTokens(1500), '1.5k');
  assert.equal(formatTokens(142_300), '142k');
  assert.equal(formatTokens(1_250_000), '1.3M');
});

test('the status bar label shows the fill by quarters', () => {
  assert.equal(fillLabel(142_000, 200_000), '◕ 142k / 200k');
  assert.equal(fillLabel(25_000, 200_000), '◔ 25k / 200k');
  assert.equal(fillGlyph(0, 200_000), '○');
  assert.equal(fillGlyph(300_000, 200_000), '●');
});

test('a typed budget accepts plain numbers, thousands and k', () => {
  assert.equal(parseBudget('8000'), 8000);
  assert.equal(parseBudget('8k'), 8000);
  assert.equal(parseBudget('1.5k'), 1500);
  assert.equal(parseBudget('12 000 tokens'), 12000);
  assert.equal(parseBudget('12,000'), 12000);
  assert.equal(parseBudget('50'), undefined);
  assert.equal(parseBudget('lots'), undefined);
  assert.equal(parseBudget('-8000'), undefined);
});
