// What the actions panel says (webview/actions/model.ts), the plain text of digest markdown in the
// panel's turn list (webview/ui/text.ts), and the toolkit kept behind one module.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { planTotals, previewSummary, scopeLabel } from '../../../webview/actions/model';
import { oneLine, plainText } from '../../../webview/ui/text';

test('digest markdown reads as plain text in the turn list: no ** or ` or list markers', () => {
  assert.equal(oneLine('**Turn 1** — fix the failing test in `src/store/db1.ts`\n- read: src/store/file1.ts\n- outcome: tests pass'), 'Turn 1 — fix the failing test in src/store/db1.ts read: src/store/file1.ts outcome: tests pass');
  assert.equal(plainText('## Intent\n*why* and __how__, [the docs](http://x) and \\*stars\\*'), 'Intent\nwhy and how, the docs and *stars*');
  assert.equal(oneLine('2 * 3 * 4 and snake_case_name stay'), '2 * 3 * 4 and snake_case_name stay');
  // Hostile text stays text: nothing is removed that is not markdown.
  assert.equal(oneLine('<script>alert(1)</script>'), '<script>alert(1)</script>');
});

test('the live count says what the budget bought, and a budget that does not fit says so', () => {
  const base = { type: 'didCompactPreview' as const, sessionId: 's', budget: 8000, sessionTokens: 120_000, header: 'R3' as const };
  const s = previewSummary({ ...base, tokens: 7412, levels: { none: 40, R2: 8, R1: 2, R0: 0 } });
  assert.equal(s.headline, '7,412 tokens');
  assert.equal(s.detail, 'R3 working context + turns: 8 at R2, 2 at R1 · 16× smaller than 120k');
  const e = previewSummary({ ...base, header: '', tokens: 0, levels: { none: 0, R2: 0, R1: 0, R0: 0 }, error: 'too small' });
  assert.deepEqual(e, { headline: 'Does not fit', detail: 'too small' });
});

test('scopes and plan totals read as sentences', () => {
  assert.equal(scopeLabel({}), 'whole session');
  assert.equal(scopeLabel({ fromTurn: 10, toTurn: 14 }), 'turns 10–14');
  assert.equal(scopeLabel({ fromTurn: 10, toTurn: 10 }), 'turn 10');
  assert.equal(scopeLabel({ fromTurn: 10 }), 'from turn 10');
  const plan = { window: 32000, fromTurn: 1, toTurn: 60, mode: 'progressive' as const, passes: [], totalRead: 40_000, progressiveRead: 40_000, dense: { tokens: 120_000, calls: 4 } };
  assert.equal(planTotals(plan), '0 passes read 40k tokens: 3.0× less than a dense read (120k in 4 calls).');
  const pass = { pass: 1, task: 'read', level: 'R0', fromTurn: 1, toTurn: 60, sliceTokens: 20_000, promptTokens: 26_000 };
  const dense = { ...plan, mode: 'dense' as const, passes: [pass, { ...pass, pass: 2 }], totalRead: 52_000, progressiveRead: 61_000, dense: { tokens: 52_000, calls: 2 } };
  assert.equal(planTotals(dense), 'A dense read: 2 calls read the whole session verbatim, 52k tokens; the progressive passes would read more (61k).');
});

test('only webview/ui/toolkit.ts imports the webview toolkit, so swapping it means rewriting one file', () => {
  const root = join(__dirname, '..', '..', '..', '..');
  const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
  const importers = [...files(join(root, 'webview')), ...files(join(root, 'src'))]
    .filter((f) => f.endsWith('.ts') && /from\s+['"](@vscode\/webview-ui-toolkit|@microsoft\/fast-)/.test(readFileSync(f, 'utf8')))
    .map((f) => relative(root, f).split('\\').join('/'));
  assert.deepEqual(importers, ['webview/ui/toolkit.ts']);
});
