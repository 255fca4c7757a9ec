// The visualiser's timeline in a real browser: the built bundle (dist/webview.js) on a harness page
// (harness.html) with a fake host (fake-host.js), driven by playwright-core in Debian's chromium.
//
//   npm run test:browser        (builds the bundles first; chromium: test/e2e/setup.mjs)
//
// Screenshots in the light, dark and high-contrast themes go to test-results/browser-*.png.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { open, results, useBrowser } from './browser.mjs';

useBrowser();

/** The 50,000-event session of the benchmark (test/bench/webview.ts). */
const BIG = '?turns=2500&fat=6';

const level = (page) => page.$eval('#tl-resolution', (e) => Number(e.dataset.level));
const stage = (page) => page.$eval('.tl-stage', (s) => ({ ...s.dataset }));

/** Clicks the zoom-in button until the timeline shows `target` (or gives up). */
async function zoomTo(page, target) {
  for (let i = 0; i < 30 && (await level(page)) > target; i++) await page.click('.tl-zoom button[data-zoom="1.5"]');
  assert.equal(await level(page), target);
}

/** The screen point of turn position `x` (turn units) on lane row `lane`. */
async function pointAt(page, x, lane = 0) {
  return page.evaluate(
    ([x, lane]) => {
      const svg = document.querySelector('.tl-svg').getBoundingClientRect();
      const lanesTop = document.querySelector('.tl-lane-bg').getBoundingClientRect().top;
      const axis = document.querySelector('.tl-axis');
      // The axis ticks carry d3's own positions: read the scale back from two of them.
      const ticks = [...axis.querySelectorAll('.tick')].map((t) => ({ v: Number(t.__data__), px: Number(t.getAttribute('transform').match(/translate\(([-\d.e]+)/)[1]) }));
      const [a, b] = [ticks[0], ticks[ticks.length - 1]];
      const px = a.px + ((x - a.v) * (b.px - a.px)) / (b.v - a.v);
      return { x: svg.left + px, y: lanesTop + lane * 24 + 12 };
    },
    [x, lane],
  );
}

/** The turns at the left and right edges of the plot, read back from the axis. */
function edges(page) {
  return page.evaluate(() => {
    const ticks = [...document.querySelectorAll('.tl-axis .tick')].map((t) => ({ v: Number(t.__data__), px: Number(t.getAttribute('transform').match(/translate\(([-\d.e]+)/)[1]) }));
    const [a, b] = [ticks[0], ticks[ticks.length - 1]];
    const perPx = (b.v - a.v) / (b.px - a.px);
    const width = document.querySelector('.tl-svg').getBoundingClientRect().width;
    return { left: a.v + (92 - a.px) * perPx, right: a.v + (width - a.px) * perPx };
  });
}

/** An element's centre, if it lies well inside the plot (not under the lane labels or the edge). */
async function centreInPlot(page, handle) {
  const box = await handle.boundingBox();
  const svg = await (await page.$('.tl-svg')).boundingBox();
  const c = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  return c.x > svg.x + 100 && c.x < svg.x + svg.width - 20 ? c : null;
}

/** Hovers the first omitted-output mark well inside the plot, and waits for its tooltip (the text comes from the host). */
async function hoverOmitted(page, click = false) {
  for (const mark of await page.$$('circle.tl-mark.omitted')) {
    const c = await centreInPlot(page, mark);
    if (!c) continue;
    await page.mouse.move(c.x, c.y);
    if (click) await page.mouse.click(c.x, c.y);
    await page.waitForSelector('.tl-tooltip.omitted:not([hidden])');
    return mark.getAttribute('data-event');
  }
  assert.fail('no omitted-output mark inside the plot');
}

test('zooming in sharpens the timeline: R4 → R3 → R2 → R1 → R0, and the legend follows', async (t) => {
  const page = await open(t);
  const seen = [await level(page)];
  for (let i = 0; i < 20 && seen.at(-1) > 0; i++) {
    await page.click('.tl-zoom button[data-zoom="1.5"]');
    const l = await level(page);
    if (l !== seen.at(-1)) seen.push(l);
  }
  assert.deepEqual(seen, [4, 3, 2, 1, 0]);
  assert.equal(await page.$eval('.tl-legend-item.active', (e) => e.dataset.level), '0');
  assert.match(await page.textContent('#tl-resolution'), /R0 · verbatim/);
  await page.click('.tl-zoom button[data-zoom="0"]');
  assert.equal(await level(page), 4);
  // The wheel zooms too (d3-zoom), towards sharper.
  const p = await pointAt(page, 20.5, 3);
  await page.mouse.move(p.x, p.y);
  for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -300);
  await page.waitForFunction(() => Number(document.querySelector('#tl-resolution').dataset.level) < 4);
});

test('hovering an omitted tool output shows its placeholder, first and last lines and recall handle', async (t) => {
  const page = await open(t);
  await zoomTo(page, 1);
  await hoverOmitted(page);
  const tip = await page.textContent('.tl-tooltip');
  assert.match(tip, /Omitted output · Read src\/store\/file\d\.ts/);
  assert.match(tip, /\[output omitted — Read src\/store\/file\d\.ts: \d+ lines, errors: no — recall e\d+\]/);
  assert.match(tip, /first lines/);
  assert.match(tip, /last lines/);
  assert.match(tip, /Recall full output: e\d+/);
});

test('an event’s text is not in the timeline message: it is fetched from the host when hovered, once', async (t) => {
  const page = await open(t);
  const requests = () => page.evaluate(() => window.__posted.map((e) => e.body).filter((b) => b.type === 'requestEventDetail'));
  assert.deepEqual(await requests(), [], 'nothing asked before anything is looked at');
  await zoomTo(page, 1);
  const id = Number(await hoverOmitted(page));
  assert.deepEqual(await requests(), [{ type: 'requestEventDetail', sessionId: 'fake-session-1', eventId: id }]);
  const placeholder = await page.evaluate((id) => window.__fakeTimeline.events.find((e) => e.id === id).omitted.placeholder, id);
  assert.ok((await page.textContent('.tl-tooltip')).includes(placeholder), 'the answer is shown');
  // Away and back: the answer is kept, not asked again.
  await page.mouse.move(5, 5);
  await hoverOmitted(page);
  assert.equal((await requests()).length, 1);
});

test('dragging over turns 10–14 and choosing Compact posts runRangeAction for that range', async (t) => {
  const page = await open(t);
  const a = await pointAt(page, 10.3, 2);
  const b = await pointAt(page, 14.7, 2);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, a.y, { steps: 4 });
  await page.mouse.move(b.x, b.y, { steps: 4 });
  await page.mouse.up();
  await page.waitForSelector('.tl-range:not([hidden])');
  assert.equal(await page.textContent('.tl-range-label'), 'Turns 10–14');
  const before = await page.evaluate(() => window.__posted.length);
  await page.click('.tl-range button[data-range-action="compact"]');
  const posted = await page.evaluate((n) => window.__posted.slice(n).filter((e) => e.body.type === 'runRangeAction'), before);
  assert.equal(posted.length, 1);
  assert.deepEqual(posted[0].body, { type: 'runRangeAction', action: 'compact', sessionId: 'fake-session-1', fromTurn: 10, toTurn: 14 });
  await page.click('.tl-range button[data-range-action="progressiveRead"]');
  assert.equal(await page.evaluate(() => window.__posted.filter((e) => e.body.type === 'runRangeAction').at(-1).body.action), 'progressiveRead');
  // Escape on the focused timeline clears the selection.
  await page.focus('.tl-stage');
  await page.keyboard.press('Escape');
  assert.equal(await page.$eval('.tl-range', (r) => r.hidden), true);
  assert.equal(await page.$eval('.tl-brush .selection', (s) => s.style.display), 'none');
});

test('transcript text with <script> and <img onerror> shows as text and never runs, even without the CSP', async (t) => {
  const page = await open(t, '?csp=off');
  // Turn 5 holds the hostile text in its prompt, a tool output and the answer; the title has an <img>.
  // Zoom in with the wheel over turn 5 (d3-zoom keeps the point under the pointer).
  const p5 = await pointAt(page, 5.05, 0);
  await page.mouse.move(p5.x, p5.y);
  for (let i = 0; i < 40 && (await level(page)) > 0; i++) await page.mouse.wheel(0, -200);
  assert.equal(await level(page), 0);
  const prompt = await page.$$eval('circle.tl-mark.lane-prompt', (cs) => cs.map((x) => ({ id: x.getAttribute('data-event'), box: x.getBoundingClientRect().toJSON() })));
  // The prompt of turn 5 is the event whose R0 text is hostile: click each prompt mark until the detail shows it.
  let found = false;
  for (const m of prompt) {
    if (m.box.x < 100 || m.box.x > 1180) continue;
    await page.mouse.click(m.box.x + m.box.width / 2, m.box.y + m.box.height / 2);
    // The text comes from the host: wait for it.
    await page.waitForFunction(() => !document.querySelector('.tl-detail-text').textContent.includes('Loading…'));
    if ((await page.textContent('.tl-detail-text')).includes('<script>')) {
      found = true;
      break;
    }
  }
  assert.ok(found, 'the hostile prompt is shown in the detail pane');
  const detail = await page.textContent('.tl-detail-text');
  assert.match(detail, /<script>window\.__pwned = "script"<\/script>/);
  assert.match(detail, /<img src=x onerror=/);
  // R0 labels on the timeline carry it as text too.
  assert.ok((await page.$$eval('.tl-mark-label', (ls) => ls.map((l) => l.textContent))).some((l) => l.includes('<script>')));
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.$$eval('#root script, #root img, #root iframe', (n) => n.length), 0);
  assert.match(await page.$eval('#session option', (o) => o.textContent), /<img src=x onerror=/);
});

test('50,000 events zoomed out: one bar per lane and pixel-column bin, painted on a canvas, counts in the tooltip', async (t) => {
  const page = await open(t, BIG);
  const total = await page.evaluate(() => window.__fakeTimeline.events.length);
  assert.ok(total >= 50_000, `${total} events`);
  const s = await stage(page);
  assert.equal(s.render, 'canvas');
  assert.equal(Number(s.events), total, 'every event is in some bar');
  assert.ok(Number(s.marks) > 1500 && Number(s.marks) < total / 10, `${s.marks} bars for ${total} events`);
  assert.equal(await page.$$eval('.tl-cells rect, circle.tl-mark', (n) => n.length), 0, 'no SVG node per mark');
  const painted = await page.$eval('.tl-canvas', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n;
  });
  assert.ok(painted > 1000, `painted pixels: ${painted}`);
  // The tooltip over the Tools lane says how many events and tokens the bin under the pointer holds.
  const p = await pointAt(page, 1200, 3);
  await page.mouse.move(p.x, p.y);
  await page.waitForSelector('.tl-tooltip:not([hidden])');
  assert.match(await page.textContent('.tl-tooltip'), /Tools · turns \d+–\d+ · [\d,]+ events · [\d.]+k tokens/);
  await page.screenshot({ path: join(results, 'browser-timeline-50k-light.png') });
});

test('zoomed to R1 with 84 events a turn, the events sharing a pixel column of a lane are one mark with their count', async (t) => {
  const page = await open(t, '?fat=80');
  await zoomTo(page, 1);
  const s = await stage(page);
  assert.ok(Number(s.marks) < Number(s.events) / 2, `${s.marks} marks for ${s.events} events in view`);
  // Turn 30's tool outputs are 2 px apart or closer at this zoom: the mark under the pointer holds several.
  await page.evaluate(() => window.__loupe.timeline.revealTurn(30));
  await zoomTo(page, 1);
  const p = await pointAt(page, 30.5, 3);
  await page.mouse.move(p.x, p.y);
  await page.waitForSelector('.tl-tooltip:not([hidden])');
  assert.match(await page.textContent('.tl-tooltip'), /^\d+ events in one mark\s*Tools · turn 30 · \d+ events · [\d.]+k? tokens\s*Zoom in/);
  // Sharper, they come apart.
  await zoomTo(page, 0);
  const sharp = await stage(page);
  assert.ok(Number(sharp.marks) > Number(sharp.events) / 2, `${sharp.marks} marks for ${sharp.events} events in view`);
});

test('linked views: highlightTurns tints those turns, revealTurn centres one at R2 or sharper, setReadLevels draws the read', async (t) => {
  const page = await open(t);
  const tl = (fn, arg) => page.evaluate(([fn, arg]) => window.__loupe.timeline[fn](arg === 'null' ? null : Array.isArray(arg) && fn === 'setReadLevels' ? new Map(arg) : arg), [fn, arg]);
  await tl('highlightTurns', [3, 4, 5, 20]);
  assert.equal((await stage(page)).highlighted, '4');
  assert.equal(await page.$$eval('.tl-highlight', (r) => r.length), 2, 'turns 3–5 and 20: two columns');
  // The column of turns 3–5 sits over turns 3–5.
  const col = await page.$eval('.tl-highlight', (r) => r.getBoundingClientRect().toJSON());
  const [a, b] = [await pointAt(page, 3), await pointAt(page, 6)];
  assert.ok(Math.abs(col.x - a.x) < 1.5 && Math.abs(col.x + col.width - b.x) < 1.5);
  assert.ok(await page.$eval('.tl-stage', (s) => s.classList.contains('dimmed')));
  await tl('highlightTurns', 'null');
  assert.equal((await stage(page)).highlighted, '0');
  assert.equal(await page.$$eval('.tl-highlight', (r) => r.length), 0);

  await tl('revealTurn', 40);
  assert.ok((await level(page)) <= 2, 'at least R2');
  assert.equal((await stage(page)).highlighted, '1');
  const hl = await page.$eval('.tl-highlight', (r) => r.getBoundingClientRect().toJSON());
  const svg = await (await page.$('.tl-svg')).boundingBox();
  const plotCentre = svg.x + 92 + (svg.width - 92) / 2;
  assert.ok(Math.abs(hl.x + hl.width / 2 - plotCentre) < 2, 'turn 40 is in the middle');
  const { left, right } = await edges(page);
  assert.ok(left < 40 && right > 41);

  await tl('setReadLevels', [[1, 3], [2, 3], [3, 2], [40, 1], [41, 0]]);
  assert.equal((await stage(page)).readTurns, '5');
  assert.deepEqual(await page.$$eval('.tl-read-run', (rs) => rs.map((r) => r.getAttribute('class'))), ['tl-read-run r3', 'tl-read-run r2', 'tl-read-run r1', 'tl-read-run r0']);
  await page.screenshot({ path: join(results, 'browser-timeline-linked-light.png') });
  await tl('setReadLevels', 'null');
  assert.equal(await page.$$eval('.tl-read-run', (rs) => rs.length), 0);
});

test('the context fill curve runs above the lanes under the window limit, and the agent’s compactions are ruled and labelled', async (t) => {
  const page = await open(t);
  const compactions = await page.evaluate(() => window.__fakeTimeline.events.filter((e) => e.preTokens !== undefined).map((e) => ({ turn: e.turn, pre: e.preTokens })));
  assert.ok(compactions.length >= 2);
  const fill = await page.$eval('.tl-fill-line', (p) => ({ d: p.getAttribute('d'), box: p.getBoundingClientRect().toJSON(), cls: p.getAttribute('class') }));
  assert.ok(fill.d.split('L').length >= 50, 'a point per turn’s answer');
  assert.doesNotMatch(fill.cls, /estimated/, 'the fake host sends real usage');
  const limit = await page.$eval('.tl-limit', (l) => l.getBoundingClientRect().toJSON());
  const lanesTop = await page.$eval('.tl-lane-bg', (r) => r.getBoundingClientRect().top);
  assert.ok(limit.y < fill.box.y, 'the limit is above the curve (every fill < 200k)');
  assert.ok(fill.box.y + fill.box.height <= lanesTop, 'the curve is above the lanes');
  assert.equal(await page.textContent('.tl-limit-label'), 'window 200k');
  // The rules are one path, a vertical segment each; a label beside each (they are far apart here).
  const d = await page.$eval('.tl-compaction-rules', (p) => p.getAttribute('d'));
  const rules = [...d.matchAll(/M([\d.]+),([-\d.]+)V([\d.]+)/g)].map((m) => ({ x: Number(m[1]), h: Number(m[3]) - Number(m[2]) }));
  assert.equal(rules.length, compactions.length);
  const svgLeft = (await (await page.$('.tl-svg')).boundingBox()).x;
  for (const [i, c] of compactions.entries()) {
    const [a, b] = [await pointAt(page, c.turn), await pointAt(page, c.turn + 1)];
    assert.ok(svgLeft + rules[i].x >= a.x - 1 && svgLeft + rules[i].x <= b.x + 1, `rule ${i} at turn ${c.turn}`);
    assert.ok(rules[i].h > 8 * 24, 'across the lanes');
  }
  assert.deepEqual(
    await page.$$eval('.tl-compaction-label', (ts) => ts.map((t) => t.textContent)),
    compactions.map((c) => `compacted · ${Math.round(c.pre / 1000)}k before`),
  );
});

test('keyboard: the timeline takes focus with a visible ring; arrows pan, +/− zoom, Home/End go to the ends', async (t) => {
  const page = await open(t);
  // Tab to it, as a keyboard user would.
  for (let i = 0; i < 30 && !(await page.evaluate(() => document.activeElement?.classList.contains('tl-stage'))); i++) await page.keyboard.press('Tab');
  assert.ok(await page.evaluate(() => document.activeElement?.classList.contains('tl-stage')), 'the stage is in the tab order');
  const ring = await page.$eval('.tl-stage', (s) => getComputedStyle(s).outlineStyle);
  assert.equal(ring, 'solid', 'a focus ring');
  assert.match(await page.$eval('.tl-stage', (s) => s.getAttribute('aria-label')), /arrows pan/);
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  assert.ok((await level(page)) < 4, 'sharper');
  const zoomed = await edges(page);
  await page.keyboard.press('ArrowRight');
  const panned = await edges(page);
  const span = zoomed.right - zoomed.left;
  assert.ok(Math.abs(panned.left - zoomed.left - 0.2 * span) < 0.05 * span, 'a fifth of the view to the right');
  await page.keyboard.press('End');
  assert.ok(Math.abs((await edges(page)).right - 61) < 0.05, 'the end of the session');
  await page.keyboard.press('Home');
  assert.ok(Math.abs((await edges(page)).left - 1) < 0.05, 'the start');
  await page.keyboard.press('-');
  await page.keyboard.press('-');
  await page.keyboard.press('-');
  assert.equal(await level(page), 4, 'blurrier, back to the outline');
  // Marks carry their meaning for screen readers.
  await zoomTo(page, 1);
  assert.match(await page.$eval('circle.tl-mark', (c) => c.getAttribute('aria-label')), /^(Prompts|Assistant|Thinking|Tools|Errors|Subagents|Compactions|System), turn \d+: |^\d+ /);
});

for (const theme of ['light', 'dark']) {
  test(`screenshots in the ${theme} theme: R4 outline, R3 bands, R2 digests, R1 with an omitted output hovered, R0`, async (t) => {
    const page = await open(t, `?theme=${theme}`);
    await page.screenshot({ path: join(results, `browser-timeline-r4-${theme}.png`) });
    await zoomTo(page, 3);
    await page.screenshot({ path: join(results, `browser-timeline-r3-${theme}.png`) });
    await zoomTo(page, 2);
    // Pin the digest of the turn in the middle of the view, then hover it for the tooltip.
    const box = await (await page.$('.tl-svg')).boundingBox();
    const lanesTop = await page.$eval('.tl-lane-bg', (r) => r.getBoundingClientRect().top);
    const mid = { x: box.x + 92 + (box.width - 92) / 2, y: lanesTop + 3 * 24 + 18 };
    await page.mouse.click(mid.x, mid.y);
    await page.mouse.move(mid.x + 1, mid.y);
    assert.match(await page.textContent('.tl-detail-title'), /^R2 · turn \d+/);
    await page.screenshot({ path: join(results, `browser-timeline-r2-${theme}.png`) });
    await zoomTo(page, 1);
    await hoverOmitted(page, true);
    await page.screenshot({ path: join(results, `browser-timeline-r1-${theme}.png`) });
    await zoomTo(page, 0);
    await page.screenshot({ path: join(results, `browser-timeline-r0-${theme}.png`) });
  });
}

test('screenshot in the high-contrast theme: R1 with an omitted output hovered and turns highlighted', async (t) => {
  const page = await open(t, '?theme=hc');
  await zoomTo(page, 1);
  await page.evaluate(() => window.__loupe.timeline.highlightTurns([...document.querySelectorAll('circle.tl-mark.lane-prompt')].slice(1, 2).map((c) => Number(c.getAttribute('aria-label').match(/turn (\d+)/)[1]))));
  await hoverOmitted(page);
  await page.screenshot({ path: join(results, 'browser-timeline-r1-hc.png') });
});
