// The actions panel (webview/actions/) in a real browser, on the harness page with the fake host:
// the Compact slider's live count, Recall's results and reveal, the progressive read's plan before
// its run, range actions scoping the panel, the empty/loading/error states, keyboard use, and the
// toolkit's controls under the webview CSP (open() fails a test on any CSP violation).
//
// Screenshots of the panel in the light, dark and high-contrast themes: test-results/browser-actions-*.png.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { open, results, useBrowser, waitForTimeline } from './browser.mjs';

useBrowser();

const SESSION = 'fake-session-1';

/** The harness with the timeline painted and the Compact preview answered. */
async function ready(page) {
  await waitForTimeline(page);
  await page.waitForSelector('#compact-preview[data-state="ok"]');
}

const posted = (page, type) => page.evaluate((type) => window.__posted.map((e) => e.body).filter((b) => b.type === type), type);

/** Sends a message as the host would. */
const fromHost = (page, body) => page.evaluate((body) => window.postMessage({ messageId: 9000, body }, '*'), body);

test('the toolkit controls are registered and styled by constructable stylesheets, with no CSP violation', async (t) => {
  const page = await open(t, '', ready);
  const info = await page.evaluate(() => {
    const b = document.querySelector('vscode-button[data-action="compact"]');
    return {
      defined: ['vscode-button', 'vscode-text-field', 'vscode-progress-ring', 'vscode-dropdown', 'vscode-option'].map((n) => Boolean(customElements.get(n))),
      adopted: b.shadowRoot.adoptedStyleSheets.length,
      styleTags: b.shadowRoot.querySelectorAll('style').length + document.querySelectorAll('style').length,
      background: getComputedStyle(b).backgroundColor,
      // FAST's own :focus-visible probe would insert a <style> (blocked); the bundle answers it (webview/ui/focus-visible.ts).
      focusVisible: b.shadowRoot.adoptedStyleSheets.some((sheet) => [...sheet.cssRules].some((r) => r.cssText.includes(':focus-visible'))),
    };
  });
  assert.deepEqual(info.defined, [true, true, true, true, true]);
  assert.ok(info.adopted > 0, 'the button is styled through adoptedStyleSheets');
  assert.equal(info.styleTags, 0, 'no <style> element (the CSP has no unsafe-inline)');
  // Light+ button background #007acc, through the toolkit's design token from the theme variable.
  assert.equal(info.background, 'rgb(0, 122, 204)');
  assert.ok(info.focusVisible, 'focus rings only for the keyboard');
});

test('moving the Compact slider posts one debounced requestCompactPreview and shows the returned token count', async (t) => {
  const page = await open(t, '', ready);
  // The first preview is for the budget setting (8k: slider index 3).
  assert.deepEqual((await posted(page, 'requestCompactPreview'))[0], { type: 'requestCompactPreview', sessionId: SESSION, budget: 8000 });
  assert.equal(await page.textContent('#compact-preview .status-text'), '7,433 tokens');
  const before = (await posted(page, 'requestCompactPreview')).length;
  // Three steps right with the keyboard (8k → 16k → 32k → 64k): the preview is asked for once, for 64k.
  await page.focus('#compact-budget');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  assert.equal(await page.textContent('#compact-budget-text'), '64k tokens');
  assert.equal(await page.getAttribute('#compact-preview', 'data-state'), 'loading', 'counting while the host answers');
  await page.waitForFunction(() => document.querySelector('#compact-preview .status-text')?.textContent === '59,513 tokens');
  const asked = (await posted(page, 'requestCompactPreview')).slice(before);
  assert.deepEqual(asked, [{ type: 'requestCompactPreview', sessionId: SESSION, budget: 64000 }]);
  assert.match(await page.textContent('#compact-preview .status-detail'), /^R3 working context \+ turns: 8 at R2, 16 at R1, 2 at R0 · \d+× smaller than /);
  // Open and Export compact at the slider's budget.
  await page.click('[data-action="compact"]');
  await page.click('[data-action="export"]');
  assert.deepEqual(await posted(page, 'runCompact'), [
    { type: 'runCompact', target: 'open', sessionId: SESSION, budget: 64000 },
    { type: 'runCompact', target: 'clipboard', sessionId: SESSION, budget: 64000 },
  ]);
  // The smallest budget does not fit: the error state says so and what to do.
  await page.fill('#compact-budget', '0');
  await page.waitForSelector('#compact-preview[data-state="error"]');
  assert.equal(await page.textContent('#compact-preview .status-text'), 'Does not fit');
  assert.match(await page.textContent('#compact-preview .status-detail'), /too small.*Move the slider right/);
});

test('recall: typing searches, the results list handle, turn, level, snippet and score, and a click reveals the turn and opens the original', async (t) => {
  const page = await open(t, '', ready);
  assert.equal(await page.getAttribute('#recall-status', 'data-state'), 'empty');
  assert.match(await page.textContent('#recall-status'), /Type to search this session/);
  await page.fill('#recall-query input', 'migration');
  assert.equal(await page.getAttribute('#recall-status', 'data-state'), 'loading');
  await page.waitForSelector('#recall-status[data-state="ok"]');
  assert.match(await page.textContent('#recall-status'), /^20 results for “migration”/);
  assert.deepEqual(await posted(page, 'requestRecall'), [{ type: 'requestRecall', sessionId: SESSION, query: 'migration' }]);
  const first = await page.$eval('.recall-results li:first-child .hit', (b) => ({ text: b.textContent, turn: b.dataset.turn, handle: b.dataset.handle }));
  assert.match(first.text, /^e\d+turn 1R0score 1\.00Fixed: the migration in turn 1 now runs before open\(\)\.$/);
  // Click the hit of turn 12: the timeline zooms to it and highlights it; the host opens the original.
  const hit = await page.$('.recall-results .hit[data-turn="12"]');
  const handle = await hit.getAttribute('data-handle');
  await hit.click();
  await page.waitForFunction(() => document.querySelector('.tl-stage').dataset.highlighted === '1');
  assert.ok((await page.$eval('#tl-resolution', (e) => Number(e.dataset.level))) <= 2, 'revealed at least at R2');
  assert.deepEqual((await posted(page, 'openRecallHit')).at(-1), { type: 'openRecallHit', handle });
  // Hostile transcript text in a snippet is text.
  await page.fill('#recall-query input', 'onerror');
  await page.waitForSelector('#recall-status[data-state="ok"]');
  assert.ok((await page.$$eval('.hit-snippet', (s) => s.map((x) => x.textContent))).some((s) => s.includes('<script>')));
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.$$eval('.recall-results img, .recall-results script', (n) => n.length), 0);
});

test('recall states: no match and an error are designed, not blank', async (t) => {
  const page = await open(t, '', ready);
  await page.fill('#recall-query input', 'zzzqqq');
  await page.waitForSelector('#recall-status[data-state="empty"] .status-detail');
  assert.match(await page.textContent('#recall-status'), /No match for “zzzqqq”\.Try fewer or other words/);
  assert.equal(await page.$$eval('.recall-results li', (l) => l.length), 0);
  await page.fill('#recall-query input', 'explode');
  await page.waitForSelector('#recall-status[data-state="error"]');
  assert.equal(await page.getAttribute('#recall-status', 'role'), 'alert');
  assert.match(await page.textContent('#recall-status'), /Recall failed.*index is being rebuilt/);
});

test('the keyboard reaches the results: Tab from the search box to a hit, Enter opens it, focus is visible', async (t) => {
  const page = await open(t, '', ready);
  await page.fill('#recall-query input', 'migration');
  await page.waitForSelector('#recall-status[data-state="ok"]');
  await page.focus('#recall-query input');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => ({ cls: document.activeElement.className, turn: document.activeElement.dataset.turn, outline: getComputedStyle(document.activeElement).outlineStyle }));
  assert.equal(focused.cls, 'hit');
  assert.equal(focused.outline, 'solid', 'the focused hit shows its focus ring');
  await page.keyboard.press('Enter');
  assert.equal((await posted(page, 'openRecallHit')).length, 1);
  await page.waitForFunction((turn) => document.querySelector('.tl-stage').dataset.highlighted === '1', focused.turn);
});

test('the progressive read shows its plan first; with the offline distiller Run is off and the panel says how to set a model', async (t) => {
  const page = await open(t, '', ready);
  await page.waitForSelector('#read-plan-status[data-state="ok"]');
  assert.deepEqual((await posted(page, 'requestReadPlan'))[0], { type: 'requestReadPlan', sessionId: SESSION, window: 32000 });
  const rows = await page.$$eval('#read-plan tbody tr', (rs) => rs.map((r) => [...r.cells].map((c) => c.textContent)));
  assert.equal(rows.length, 6);
  assert.deepEqual(rows[0], ['1/6', 'outline', 'R4+R3', 'turns 1–60', '16k', '22k']);
  assert.deepEqual(rows.at(-1).slice(0, 4), ['6/6', 'add detail', 'R0', 'turns 59–60']);
  assert.match(await page.textContent('.plan-totals'), /^6 passes read \d+k tokens: .* a dense read \(123k in 4 calls\)\.$/);
  assert.match(await page.textContent('#read-hint'), /Running needs a model.*loupe\.distiller/);
  assert.equal(await page.getAttribute('#read-hint', 'data-state'), 'needs-model');
  assert.equal(await page.getAttribute('[data-read="run"]', 'disabled'), '');
  await page.click('[data-read="run"]', { force: true });
  assert.deepEqual(await posted(page, 'runProgressiveRead'), [], 'nothing runs without a model');
  // A smaller window: planned again.
  await page.click('#read-window');
  await page.click('#read-window vscode-option[value="8000"]');
  await page.waitForFunction(() => document.querySelector('#read-plan tbody td:nth-child(5)')?.textContent === '4k');
  assert.equal((await posted(page, 'requestReadPlan')).at(-1).window, 8000);
});

test('running the read lands pass after pass: the plan rows tick and the timeline sharpens', async (t) => {
  const page = await open(t, '?distiller=anthropic', ready);
  await page.waitForSelector('#read-plan-status[data-state="ok"]');
  assert.match(await page.textContent('#read-hint'), /Runs with Anthropic/);
  await page.click('[data-read="run"]');
  assert.deepEqual(await posted(page, 'runProgressiveRead'), [{ type: 'runProgressiveRead', sessionId: SESSION, window: 32000 }]);
  await page.waitForSelector('#read-plan tr.done');
  assert.equal(await page.isVisible('[data-read="cancel"]'), true);
  await page.waitForSelector('#read-progress[data-state="ok"]');
  assert.match(await page.textContent('#read-progress'), /The read is done.*Read done: 6 passes/);
  assert.equal(await page.$$eval('#read-plan tr.done', (r) => r.length), 6);
  assert.equal(await page.$eval('.tl-stage', (s) => s.dataset.readTurns), '60', 'the timeline shows every turn read');
  await page.screenshot({ path: join(results, 'browser-actions-read-light.png'), fullPage: true });
  assert.equal(await page.isVisible('[data-read="cancel"]'), false);
});

test('Cancel stops a running read after the passes that landed', async (t) => {
  const page = await open(t, '?distiller=anthropic&passMs=1500', ready);
  await page.waitForSelector('#read-plan-status[data-state="ok"]');
  await page.click('[data-read="run"]');
  await page.waitForSelector('#read-plan tr.done');
  await page.click('[data-read="cancel"]');
  await page.waitForSelector('#read-progress[data-state="empty"]');
  assert.match(await page.textContent('#read-progress'), /Read cancelled\..*resume/);
  assert.equal((await posted(page, 'cancelProgressiveRead')).length, 1);
});

test('range actions of the timeline scope the panel: Compact previews the range, Recall searches in it, the read plans from its first turn', async (t) => {
  const page = await open(t, '', ready);
  await fromHost(page, { type: 'didScopeAction', action: 'compact', sessionId: SESSION, fromTurn: 10, toTurn: 14 });
  await page.waitForFunction(() => document.querySelector('.act-compact').dataset.scope === 'turns 10–14');
  await page.waitForFunction(() => window.__posted.at(-1).body.type === 'requestCompactPreview');
  assert.deepEqual((await posted(page, 'requestCompactPreview')).at(-1), { type: 'requestCompactPreview', sessionId: SESSION, budget: 8000, fromTurn: 10, toTurn: 14 });
  assert.equal(await page.evaluate(() => document.activeElement.id), 'compact-budget', 'the scoped control has the focus');

  await fromHost(page, { type: 'didScopeAction', action: 'recall', sessionId: SESSION, fromTurn: 10, toTurn: 14 });
  await page.waitForFunction(() => document.querySelector('.act-recall').dataset.scope === 'turns 10–14');
  assert.match(await page.textContent('#recall-status'), /in turns 10–14/);
  await page.fill('#recall-query input', 'migration');
  await page.waitForSelector('#recall-status[data-state="ok"]');
  assert.deepEqual((await posted(page, 'requestRecall')).at(-1), { type: 'requestRecall', sessionId: SESSION, query: 'migration', fromTurn: 10, toTurn: 14 });
  assert.deepEqual(await page.$$eval('.hit', (h) => [...new Set(h.map((b) => b.dataset.turn))]), ['10', '11', '12', '13', '14']);
  // The chip clears the range.
  await page.click('[data-clear-scope="recall"]');
  await page.waitForSelector('#recall-status[data-state="ok"]');
  assert.deepEqual((await posted(page, 'requestRecall')).at(-1), { type: 'requestRecall', sessionId: SESSION, query: 'migration' });

  await fromHost(page, { type: 'didScopeAction', action: 'progressiveRead', sessionId: SESSION, fromTurn: 30, toTurn: 35 });
  await page.waitForFunction(() => document.querySelector('#read-plan tbody td:nth-child(4)')?.textContent === 'turns 30–60');
  assert.deepEqual((await posted(page, 'requestReadPlan')).at(-1), { type: 'requestReadPlan', sessionId: SESSION, window: 32000, fromTurn: 30 });
  assert.equal(await page.$eval('.act-read', (s) => s.dataset.scope), 'from turn 30');
});

test('a recall asked by another view (the graph double-click) fills the box and lists its results', async (t) => {
  const page = await open(t, '', ready);
  await fromHost(page, { type: 'didRecall', query: 'src/store/file3.ts', hits: [{ handle: 'e120', turn: 3, level: 'R2', snippet: 'read src/store/file3.ts', score: 0.8, archived: true }] });
  await page.waitForSelector('.recall-results .hit');
  assert.equal(await page.$eval('#recall-query', (f) => f.value), 'src/store/file3.ts');
  assert.match(await page.textContent('.recall-results'), /e120turn 3R2score 0\.80read src\/store\/file3\.ts/);
});

test('the panel turn list shows digests as text, without their markdown', async (t) => {
  const page = await open(t, '', ready);
  const items = await page.$$eval('.turn-list li', (l) => l.map((x) => x.textContent));
  assert.match(items[0], /^1\. Turn 1 — fix the failing test in src\/store\/db1\.ts/);
  assert.ok(items.every((i) => !i.includes('**')), items[0]);
});

test('with no sessions yet the view explains what to do and offers Import and Refresh', async (t) => {
  const page = await open(t, '?sessions=none', (p) => p.waitForSelector('.empty-state'));
  assert.equal(await page.textContent('.empty-state h2'), 'No agent sessions yet');
  await page.click('[data-action="import"]');
  assert.deepEqual((await posted(page, 'runAction')).at(-1), { type: 'runAction', action: 'import' });
  assert.ok(await page.$('[data-action="refresh"]'));
});

test('the sidebar has the Compact slider (the only range input) and Recall, and opens the read through the command', async (t) => {
  const page = await open(t, '?mode=sidebar', (p) => p.waitForSelector('#compact-preview[data-state="ok"]'));
  await page.setViewportSize({ width: 320, height: 900 });
  assert.equal(await page.$$eval('input[type="range"]', (r) => r.length), 1);
  assert.equal(await page.$('.tl-stage'), null);
  assert.equal(await page.$('.act-read'), null);
  await page.fill('#recall-query input', 'migration');
  await page.waitForSelector('#recall-status[data-state="ok"]');
  await page.click('.recall-results li:first-child .hit');
  assert.equal((await posted(page, 'openRecallHit')).length, 1);
  await page.click('[data-action="progressiveRead"]');
  assert.deepEqual((await posted(page, 'runAction')).at(-1), { type: 'runAction', action: 'progressiveRead', sessionId: SESSION });
  await page.screenshot({ path: join(results, 'browser-actions-sidebar.png') });
});

for (const theme of ['light', 'dark', 'hc']) {
  test(`screenshot of the actions panel in the ${theme} theme: live count, recall results, the plan`, async (t) => {
    const page = await open(t, `?theme=${theme}`, ready);
    await page.setViewportSize({ width: 1200, height: 900 });
    await page.fill('#recall-query input', 'migration');
    await page.waitForSelector('#recall-status[data-state="ok"]');
    await page.waitForSelector('#read-plan-status[data-state="ok"]');
    await page.focus('#compact-budget');
    const box = await page.$eval('.actions-panel', (p) => {
      p.scrollIntoView({ block: 'start' });
      const r = p.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    });
    await page.screenshot({ path: join(results, `browser-actions-${theme}.png`), clip: { x: Math.max(0, box.x - 8), y: Math.max(0, box.y - 8), width: box.width + 16, height: Math.min(box.height + 16, 880) } });
    if (theme === 'hc') {
      // High contrast: every section is framed by the contrast border, and text is white on black.
      const hc = await page.$eval('.act', (s) => ({ border: getComputedStyle(s).borderTopColor, color: getComputedStyle(s).color }));
      assert.deepEqual(hc, { border: 'rgb(111, 195, 223)', color: 'rgb(255, 255, 255)' });
    }
  });
}
