// The visualiser's webview in a real browser: the built bundle (dist/webview.js) on a harness page
// (harness.html) with a fake host (fake-host.js), driven by playwright-core in Debian's chromium.
//
//   npm run test:browser        (builds the bundles first; chromium: test/e2e/setup.mjs)
//
// Screenshots in the light and dark theme go to test-results/browser-*.png.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { open, results, useBrowser } from './browser.mjs';

useBrowser();

const level = (page) => page.$eval('#tl-resolution', (e) => Number(e.dataset.level));

/** Clicks the zoom-in button until the timeline shows `target` (or gives up). */
async function zoomTo(page, target) {
  for (let i = 0; i < 20 && (await level(page)) > target; i++) await page.click('.tl-zoom button[data-zoom="1.5"]');
  assert.equal(await level(page), target);
}

/** The screen point of turn position `x` (turn units) on lane row `lane`. */
async function pointAt(page, x, lane = 0) {
  return page.evaluate(
    ([x, lane]) => {
      const svg = document.querySelector('.tl-svg').getBoundingClientRect();
      const axis = document.querySelector('.tl-axis');
      // The axis ticks carry d3's own positions: read the scale back from two of them.
      const ticks = [...axis.querySelectorAll('.tick')].map((t) => ({ v: Number(t.__data__), px: Number(t.getAttribute('transform').match(/translate\(([-\d.e]+)/)[1]) }));
      const [a, b] = [ticks[0], ticks[ticks.length - 1]];
      const px = a.px + ((x - a.v) * (b.px - a.px)) / (b.v - a.v);
      return { x: svg.left + px, y: svg.top + lane * 24 + 12 };
    },
    [x, lane],
  );
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
  const mark = await page.$('circle.tl-mark.omitted');
  assert.ok(mark, 'an omitted-output mark is drawn at R1');
  const box = await mark.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForSelector('.tl-tooltip.omitted:not([hidden])');
  const tip = await page.textContent('.tl-tooltip');
  assert.match(tip, /Omitted output · Read src\/store\/file\d\.ts/);
  assert.match(tip, /\[output omitted — Read src\/store\/file\d\.ts: \d+ lines, errors: no — recall e\d+\]/);
  assert.match(tip, /first lines/);
  assert.match(tip, /last lines/);
  assert.match(tip, /Recall full output: e\d+/);
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
  const posted = await page.evaluate((n) => window.__posted.slice(n), before);
  assert.equal(posted.length, 1);
  assert.deepEqual(posted[0].body, { type: 'runRangeAction', action: 'compact', sessionId: 'fake-session-1', fromTurn: 10, toTurn: 14 });
  await page.click('.tl-range button[data-range-action="progressiveRead"]');
  assert.equal(await page.evaluate(() => window.__posted.at(-1).body.action), 'progressiveRead');
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
    if (m.box.x < 0 || m.box.x > 1200) continue;
    await page.mouse.click(m.box.x + m.box.width / 2, m.box.y + m.box.height / 2);
    if ((await page.textContent('.tl-detail-text')).includes('<script>')) {
      found = true;
      break;
    }
  }
  if (!found) console.log(JSON.stringify(prompt), await page.$$eval('.tl-axis .tick', (ts) => ts.map((t) => t.textContent)), await page.textContent('.tl-detail'));
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

test('many marks in view are drawn on a canvas, not as SVG nodes', async (t) => {
  const page = await open(t, '?fat=80');
  await zoomTo(page, 1);
  for (let i = 0; i < 3 && (await page.$eval('.tl-stage', (s) => s.dataset.render)) !== 'canvas'; i++) {
    await page.click('.tl-zoom button[data-zoom="0.5"]');
    await page.click('.tl-zoom button[data-zoom="1.5"]');
  }
  assert.equal(await page.$eval('.tl-stage', (s) => s.dataset.render), 'canvas');
  assert.ok(Number(await page.$eval('.tl-stage', (s) => s.dataset.marks)) > 1500);
  assert.equal(await page.$$eval('circle.tl-mark', (c) => c.length), 0);
  // The canvas is painted: some pixels are not transparent.
  const painted = await page.$eval('.tl-canvas', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n;
  });
  assert.ok(painted > 1000, `painted pixels: ${painted}`);
  await page.screenshot({ path: join(results, 'browser-canvas-light.png') });
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
    const mid = { x: box.x + 92 + (box.width - 92) / 2, y: box.y + 3 * 24 + 18 };
    await page.mouse.click(mid.x, mid.y);
    await page.mouse.move(mid.x + 1, mid.y);
    assert.match(await page.textContent('.tl-detail-title'), /^R2 · turn \d+/);
    await page.screenshot({ path: join(results, `browser-timeline-r2-${theme}.png`) });
    await zoomTo(page, 1);
    const mark = await page.$('circle.tl-mark.omitted');
    const m = await mark.boundingBox();
    await page.mouse.click(m.x + m.width / 2, m.y + m.height / 2);
    await page.waitForSelector('.tl-tooltip.omitted:not([hidden])');
    await page.screenshot({ path: join(results, `browser-timeline-r1-${theme}.png`) });
    await zoomTo(page, 0);
    await page.screenshot({ path: join(results, `browser-timeline-r0-${theme}.png`) });
  });
}
