// The visualiser's semantic graph in a real browser (webview/graph/view.ts, on the harness page with
// the fake host's graph, which is derived from its timeline): drawing, the type filter, search, the
// linked highlight on the timeline, double-click to recall, hostile labels, the empty state.
//
// Screenshots in the light and dark theme go to test-results/browser-graph-*.png.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { open, results, useBrowser, waitForTimeline } from './browser.mjs';

useBrowser();

/** The timeline and the graph both painted. */
async function graphReady(page) {
  await waitForTimeline(page);
  await page.waitForSelector('.gr-stage[data-nodes]');
}

const fakeGraph = (page) => page.evaluate(() => window.__fakeGraph);

/** Clicks (or double-clicks) a node at its centre, as a user would. */
async function clickNode(page, id, clickCount = 1) {
  const circle = await page.$(`.gr-node[data-id="${id}"] circle`);
  await circle.scrollIntoViewIfNeeded();
  const box = await circle.boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2, { clickCount });
}

/** Ids of the nodes drawn and not filtered out. */
const shownIds = (page) => page.$$eval('.gr-node', (ns) => ns.filter((n) => getComputedStyle(n).display !== 'none').map((n) => Number(n.dataset.id)).sort((a, b) => a - b));

test('the graph draws every node it was sent, coloured by its type and sized by its weight', async (t) => {
  const page = await open(t, '', graphReady);
  const graph = await fakeGraph(page);
  assert.ok(graph.nodes.length > 50);
  assert.deepEqual(await shownIds(page), graph.nodes.map((n) => n.id).sort((a, b) => a - b));
  assert.equal(await page.$$eval('.gr-edge', (es) => es.length), graph.edges.length);
  const colours = await page.evaluate(() => {
    const resolve = (v) => {
      const probe = document.createElement('span');
      probe.style.color = getComputedStyle(document.documentElement).getPropertyValue(v);
      document.body.append(probe);
      const c = getComputedStyle(probe).color;
      probe.remove();
      return c;
    };
    const vars = { file: '--vscode-charts-blue', symbol: '--vscode-charts-purple', command: '--vscode-charts-orange', error: '--vscode-charts-red', decision: '--vscode-charts-green' };
    return Object.entries(vars).map(([type, v]) => ({
      type,
      expected: resolve(v),
      fills: [...new Set([...document.querySelectorAll(`.gr-node[data-type="${type}"] circle`)].map((c) => getComputedStyle(c).fill))],
    }));
  });
  for (const c of colours) assert.deepEqual(c.fills, [c.expected], c.type);
  // The heaviest node is the largest.
  const heaviest = [...graph.nodes].sort((a, b) => b.weight - a.weight)[0];
  const radii = await page.$$eval('.gr-node circle', (cs) => cs.map((c) => ({ id: Number(c.parentElement.dataset.id), r: Number(c.getAttribute('r')) })));
  assert.equal(Math.max(...radii.map((x) => x.r)), radii.find((x) => x.id === heaviest.id).r);
  assert.equal(await page.textContent('.gr-omitted'), '');
});

test('a long session draws the heaviest turns only and says how many were left out', async (t) => {
  const page = await open(t, '?turns=200', graphReady);
  const graph = await fakeGraph(page);
  assert.equal(graph.nodes.filter((n) => n.type === 'turn').length, 120);
  assert.equal((await shownIds(page)).length, graph.nodes.length);
  assert.match(await page.textContent('.gr-omitted'), new RegExp(`^Not drawn \\(lighter than those shown\\): 80 turns and ${graph.omittedEdges} edges\\.$`));
});

test('the legend filters by type: a released type hides its nodes and their edges, from the keyboard too', async (t) => {
  const page = await open(t, '', graphReady);
  const graph = await fakeGraph(page);
  const symbols = new Set(graph.nodes.filter((n) => n.type === 'symbol').map((n) => n.id));
  await page.click('.gr-type[data-type="symbol"]');
  assert.equal(await page.getAttribute('.gr-type[data-type="symbol"]', 'aria-pressed'), 'false');
  assert.deepEqual(await shownIds(page), graph.nodes.filter((n) => !symbols.has(n.id)).map((n) => n.id).sort((a, b) => a - b));
  const visibleEdges = await page.$$eval('.gr-edge', (es) => es.filter((e) => getComputedStyle(e).display !== 'none').length);
  assert.equal(visibleEdges, graph.edges.filter((e) => !symbols.has(e.source) && !symbols.has(e.target)).length);
  assert.match(await page.textContent('#gr-status'), new RegExp(`^${graph.nodes.length - symbols.size} of ${graph.nodes.length} nodes`));
  // Kept with the view's state (vscode setState), for when the panel is hidden and shown again.
  assert.deepEqual(await page.evaluate(() => acquireVsCodeApi().getState().graph), { sessionId: 'fake-session-1', hidden: ['symbol'], query: '' });
  // Keyboard: focus the button and press Space to show the type again.
  await page.focus('.gr-type[data-type="symbol"]');
  await page.keyboard.press('Space');
  assert.equal(await page.getAttribute('.gr-type[data-type="symbol"]', 'aria-pressed'), 'true');
  assert.equal((await shownIds(page)).length, graph.nodes.length);
});

test('search highlights the matching nodes and labels them; Enter selects the best match', async (t) => {
  const page = await open(t, '', graphReady);
  const graph = await fakeGraph(page);
  await page.fill('.gr-search input', 'DB');
  const expected = graph.nodes.filter((n) => n.label.toLowerCase().includes('db')).map((n) => n.id).sort((a, b) => a - b);
  assert.ok(expected.length >= 8);
  const matched = await page.$$eval('.gr-node.match', (ns) => ns.map((n) => Number(n.dataset.id)).sort((a, b) => a - b));
  assert.deepEqual(matched, expected);
  assert.match(await page.textContent('#gr-status'), new RegExp(`^${expected.length} matches for “DB”`));
  const labelled = await page.$$eval('.gr-label', (ls) => ls.map((l) => Number(l.dataset.id)));
  assert.ok(labelled.length > 0 && labelled.every((id) => expected.includes(id)), 'only matches are labelled');
  // Faded: what does not match.
  const other = graph.nodes.find((n) => !expected.includes(n.id));
  assert.ok(Number(await page.$eval(`.gr-node[data-id="${other.id}"]`, (n) => getComputedStyle(n).opacity)) < 0.5);
  await page.press('.gr-search input', 'Enter');
  const best = graph.nodes.filter((n) => expected.includes(n.id)).sort((a, b) => b.weight - a.weight)[0];
  assert.equal(await page.$eval('.gr-node.selected', (n) => Number(n.dataset.id)), best.id);
});

test("clicking a node highlights its neighbourhood and its turns on the timeline; the background clears both", async (t) => {
  const page = await open(t, '', graphReady);
  const graph = await fakeGraph(page);
  // The error node: it touches several turns and joins a command, a file and its turns.
  const node = graph.nodes.find((n) => n.type === 'error');
  assert.ok(node.turns.length >= 5);
  await clickNode(page, node.id);
  const near = new Set([node.id]);
  for (const e of graph.edges) {
    if (e.source === node.id) near.add(e.target);
    if (e.target === node.id) near.add(e.source);
  }
  const hl = await page.$$eval('.gr-node.hl', (ns) => ns.map((n) => Number(n.dataset.id)).sort((a, b) => a - b));
  assert.deepEqual(hl, [...near].sort((a, b) => a - b));
  assert.equal(await page.$eval('.tl-stage', (s) => s.dataset.highlighted), String(node.turns.length));
  assert.match(await page.textContent('.gr-detail'), /FAIL test\/db\.test\.ts.*error · turns 6, 12/);
  // A faraway node steps back.
  const far = graph.nodes.find((n) => !near.has(n.id));
  assert.ok(Number(await page.$eval(`.gr-node[data-id="${far.id}"]`, (n) => getComputedStyle(n).opacity)) < 0.5);

  // Another node: its turns replace the first's.
  const file = graph.nodes.filter((n) => n.type === 'file').sort((a, b) => b.weight - a.weight)[0];
  await clickNode(page, file.id);
  assert.equal(await page.$eval('.tl-stage', (s) => s.dataset.highlighted), String(file.turns.length));

  await page.$eval('.gr-svg', (s) => s.scrollIntoView());
  const svg = await (await page.$('.gr-svg')).boundingBox();
  await page.mouse.click(svg.x + 6, svg.y + 6);
  assert.equal(await page.$$eval('.gr-node.hl', (ns) => ns.length), 0);
  assert.equal(await page.$eval('.tl-stage', (s) => s.dataset.highlighted), '0');
  assert.ok(await page.$eval('.gr-detail', (d) => d.hidden));
});

test('double-clicking a node posts requestRecall with its label; a turn node shows its turn on the timeline', async (t) => {
  const page = await open(t, '', graphReady);
  const graph = await fakeGraph(page);
  const node = graph.nodes.find((n) => n.type === 'decision' && !n.label.startsWith('<'));
  const before = await page.evaluate(() => window.__posted.length);
  await clickNode(page, node.id, 2);
  const posted = (await page.evaluate((n) => window.__posted.slice(n), before)).filter((e) => e.body.type === 'requestRecall');
  assert.deepEqual(posted.map((e) => e.body), [{ type: 'requestRecall', sessionId: 'fake-session-1', query: node.label }]);
  // The detail pane's button does the same, for keyboards.
  await page.click('.gr-detail [data-graph-action="recall"]');
  assert.deepEqual((await page.evaluate(() => window.__posted.at(-1))).body, { type: 'requestRecall', sessionId: 'fake-session-1', query: node.label });

  const turn = graph.nodes.find((n) => n.type === 'turn' && n.label === 'turn 20');
  const count = await page.evaluate(() => window.__posted.length);
  await clickNode(page, turn.id, 2);
  assert.equal(await page.evaluate(() => window.__posted.length), count, 'a turn node posts nothing');
  assert.equal(await page.$eval('.tl-stage', (s) => s.dataset.highlighted), '1');
});

test('a node labelled with hostile HTML shows it as text and never runs it, even without the CSP', async (t) => {
  const page = await open(t, '?csp=off', graphReady);
  const graph = await fakeGraph(page);
  const node = graph.nodes.find((n) => n.label.startsWith('<img'));
  assert.ok(node);
  assert.equal(await page.$eval(`.gr-node[data-id="${node.id}"] title`, (x) => x.textContent.split('\n')[0]), node.label);
  await page.fill('.gr-search input', 'onerror');
  assert.match(await page.$eval(`.gr-label[data-id="${node.id}"]`, (l) => l.textContent), /^<img src=x onerror=/);
  await clickNode(page, node.id);
  assert.ok((await page.textContent('.gr-detail-title')).startsWith('<img src=x onerror='));
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.$$eval('.gr img, .gr script, .gr foreignObject', (n) => n.length), 0);
});

test('a session without a graph says so instead of drawing a blank', async (t) => {
  const page = await open(t, '?graph=empty', graphReady);
  assert.equal(await page.$$eval('.gr-node', (n) => n.length), 0);
  assert.ok(await page.isVisible('.gr-empty'));
  assert.match(await page.textContent('.gr-empty'), /^No graph yet: /);
  assert.equal(await page.$$eval('.gr-type', (b) => b.length), 0);
});

for (const theme of ['light', 'dark']) {
  test(`graph screenshots in the ${theme} theme: at rest, then a node selected`, async (t) => {
    const page = await open(t, `?theme=${theme}`, graphReady);
    const gr = await page.$('.gr');
    await gr.scrollIntoViewIfNeeded();
    await gr.screenshot({ path: join(results, `browser-graph-${theme}.png`) });
    const graph = await fakeGraph(page);
    await clickNode(page, graph.nodes.find((n) => n.type === 'error').id);
    await gr.screenshot({ path: join(results, `browser-graph-selected-${theme}.png`) });
  });
}

test('when the host cannot build the timeline or the graph, each says why instead of loading forever', async (t) => {
  const page = await open(t, '?fail=timeline,graph', (p) => p.waitForSelector('.tl-notice.failed'));
  await page.waitForSelector('.gr-empty.failed');
  assert.match(await page.textContent('.tl-notice'), /^Could not build the timeline: <img src=x onerror=.*> database disk image is malformed$/);
  assert.match(await page.textContent('.gr-empty'), /^Could not build the graph: /);
  assert.ok(await page.isVisible('.tl-notice'));
  assert.ok(await page.isVisible('.gr-empty'));
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await page.screenshot({ path: join(results, 'browser-load-failed-light.png') });
});
