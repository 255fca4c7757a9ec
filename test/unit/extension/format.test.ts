// Token counts, the status bar label and typed budgets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fillGlyph, fillLabel, fillTooltip, formatTokens, parseBudget } from '../../../src/extension/lib/format';

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

test('the status bar marks an estimated fill with ≈ and a visible-only one with ≥, and the tooltip says why', () => {
  assert.equal(fillLabel(67_038, 200_000, 'calibrated'), '◑ ≈67k / 200k');
  assert.equal(fillLabel(18_920, 200_000, 'visible'), '◔ ≥19k / 200k');
  const byKind = [{ kind: 'tool_result', tokens: 9_000 }];
  const usage = fillTooltip('Coupons', 52_003, 200_000, byKind, 'usage').split('\n');
  assert.deepEqual(usage.slice(1, 3), ['Context: 52,003 of 200,000 tokens (26%)', "The last API call's usage (input and cache)."]);
  const visible = fillTooltip('Coupons', 18_920, 200_000, byKind, 'visible').split('\n');
  assert.equal(visible[1], 'Context: ≥18,920 of 200,000 tokens (9%)');
  assert.match(visible[2]!, /^Visible events only: this transcript has no API usage/);
  assert.ok(visible.includes('tool_result: 9k'));
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
