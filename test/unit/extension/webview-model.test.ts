// The sidebar's pure view logic: the gauge, the mini timeline and the resolution slider.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { budgetAt, fillCaption, gaugeSegments, sliderIndexFor, SLIDER_BUDGETS, timelineBars } from '../../../webview/lib/model';

test('the gauge groups small kinds as "other" and its parts sum to 100%', () => {
  const segs = gaugeSegments([
    { kind: 'tool_result', tokens: 600 },
    { kind: 'tool_call', tokens: 200 },
    { kind: 'assistant_text', tokens: 100 },
    { kind: 'user_prompt', tokens: 50 },
    { kind: 'thinking', tokens: 30 },
    { kind: 'system', tokens: 20 },
  ]);
  assert.equal(segs.length, 5);
  assert.equal(segs[4]!.kind, 'other');
  assert.ok(Math.abs(segs.reduce((s, x) => s + x.percent, 0) - 100) < 1e-9);
  assert.deepEqual(gaugeSegments([]), []);
});

test('the timeline has at most maxBars bars and covers every turn', () => {
  fc.assert(
    fc.property(fc.array(fc.nat({ max: 10_000 }), { maxLength: 300 }), fc.integer({ min: 1, max: 80 }), (tokens, maxBars) => {
      const turns = tokens.map((t, i) => ({ index: i + 1, tokens: t, prompt: `p${i}` }));
      const bars = timelineBars(turns, maxBars);
      assert.ok(bars.length <= maxBars);
      assert.equal(bars.reduce((s, b) => s + b.tokens, 0), tokens.reduce((s, t) => s + t, 0));
      if (turns.length > 0) {
        assert.equal(bars[0]!.from, 1);
        assert.equal(bars.at(-1)!.to, turns.length);
      }
      for (const b of bars) assert.ok(b.height > 0 && b.height <= 100);
    }),
  );
});

test('the slider starts at the configured budget and maps back to a preset', () => {
  assert.equal(budgetAt(sliderIndexFor(8000)), 8000);
  assert.equal(budgetAt(sliderIndexFor(9000)), 8000);
  assert.equal(budgetAt(-3), SLIDER_BUDGETS[0]);
  assert.equal(budgetAt(99), SLIDER_BUDGETS.at(-1));
});

test('the fill line says how sure it is: the API\'s number, an estimate, or the visible events only', () => {
  const at = (contextSource: 'usage' | 'calibrated' | 'visible', contextTokens: number) => fillCaption({ contextTokens, contextWindow: 200_000, contextSource });
  assert.equal(at('usage', 52_003).text, 'Context 52k / 200k (26%)');
  assert.match(at('usage', 52_003).title, /^52,003 of 200,000 tokens: the last API call's usage$/);
  assert.equal(at('calibrated', 67_038).text, 'Context ≈67k / 200k (34%)');
  assert.match(at('calibrated', 67_038).title, /^About 67,038 of 200,000 tokens: .*estimated$/);
  assert.equal(at('visible', 18_920).text, 'Context ≥19k / 200k (9%), visible events only');
  assert.match(at('visible', 18_920).title, /no API usage in this transcript, so the system prompt, tools and attachments are not counted/);
});
