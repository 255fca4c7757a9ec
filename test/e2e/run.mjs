// End-to-end tests of the extension in a real VS Code: code-server 4.96.4 (VS Code 1.96 in the
// browser) driven by playwright-core in Debian's chromium (recipe: ../shared/E2E.md).
//
//   npm run test:e2e          (setup.mjs installs code-server into .vscode-test/ once)
//
// It packages the extension with vsce, installs the .vsix, opens a workspace whose fixture session
// (a generated Claude Code transcript whose cwd is the workspace) lives in a transcript folder of
// its own, and asserts through the UI. Screenshots of every step go to test-results/.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appendTurn, BUDGET, makeFixture, SESSION_ID } from './fixture.mjs';
import { CHROMIUM, entryScript, setup } from './setup.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const results = join(root, 'test-results');
const started = Date.now();
const keep = process.env.LOUPE_E2E_KEEP === '1';
/** A line of the fixture transcript that holds a tool result (Bash `npx tsc --noEmit`). */
const JSONL_RESULT_LINE = 74;

function log(msg) {
  console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
}

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/**
 * Builds, then packages from a staging copy: other builds in the same tree (unit tests build
 * into dist/ too) must not change a file while vsce zips it.
 */
function packageExtension() {
  log('building and packaging the extension');
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  const stage = join(root, '.vscode-test', 'stage');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  for (const f of ['dist', 'media', 'package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore']) {
    cpSync(join(root, f), join(stage, f), { recursive: true, filter: (src) => !src.endsWith('.map') });
  }
  const vsix = join(root, '.vscode-test', 'loupe.vsix');
  const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', vsix], {
    cwd: stage,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return vsix;
}

async function startCodeServer(fx, port) {
  const args = ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', fx.userData, '--extensions-dir', fx.extensions, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', fx.ws];
  const child = spawn(process.execPath, [entryScript, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CLAUDE_CONFIG_DIR: join(fx.base, 'no-claude') } });
  let out = '';
  const onData = (d) => {
    out += d.toString();
    if (process.env.LOUPE_E2E_VERBOSE) process.stdout.write(d);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const deadline = Date.now() + 60_000;
  while (!/HTTP server listening/.test(out)) {
    if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}):\n${out}`);
    if (Date.now() > deadline) throw new Error(`code-server did not start in 60 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => out };
}

let shot = 0;
async function screenshot(page, name) {
  const path = join(results, `${String(++shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path });
  log(`screenshot ${path.slice(root.length + 1)}`);
}

async function runCommand(page, title) {
  await page.locator('.command-center-center').click();
  const input = page.locator('.quick-input-widget input.input[role="combobox"]');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
}

/** The frame of the Loupe sidebar webview (webviews are nested iframes). */
async function sidebarFrame(page, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      try {
        if ((await frame.locator('#session').count()) > 0) return frame;
      } catch {
        // frame detached while looking
      }
    }
    await page.waitForTimeout(250);
  }
  throw new Error('the Loupe sidebar webview did not show a session');
}

async function waitFor(what, fn, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

function assert(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

async function main() {
  setup();
  // Only this suite's own screenshots are replaced: the browser suite, which runs before it in
  // npm test, writes its browser-*.png here too.
  mkdirSync(results, { recursive: true });
  for (const name of readdirSync(results)) {
    if (/^\d\d-.*\.png$|^sidebar\.png$|^failure\.png$/.test(name)) rmSync(join(results, name), { force: true });
  }
  const vsix = packageExtension();
  const fx = makeFixture();
  log(`fixture in ${fx.base}`);
  execFileSync(process.execPath, [entryScript, '--extensions-dir', fx.extensions, '--user-data-dir', fx.userData, '--install-extension', vsix], { stdio: ['ignore', 'ignore', 'inherit'] });
  log('extension installed');
  const port = await freePort();
  const server = await startCodeServer(fx, port);
  log(`code-server on port ${port}`);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  const origin = `http://127.0.0.1:${port}`;
  let page;
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    page = await context.newPage();
    await page.goto(`${origin}/?folder=${encodeURIComponent(fx.ws)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    log('workbench up');

    // 1. The Loupe container opens.
    const activity = page.locator('.activitybar .action-label[aria-label^="Loupe"]');
    await activity.waitFor({ timeout: 30_000 });
    await activity.click();
    await page.mouse.move(800, 500); // away from the activity bar, so its tooltip is not in the screenshots
    // With one view in the container, its name is in the side bar's title ("LOUPE: SESSIONS").
    await page.locator('.sidebar .composite.title', { hasText: /loupe/i }).first().waitFor({ timeout: 15_000 });
    await screenshot(page, 'loupe-container');

    // 2. The sidebar webview shows the workspace's session and its context fill.
    let frame = await sidebarFrame(page, 60_000);
    const fillText = await waitFor('the context fill', async () => {
      const t = await frame.locator('#context-fill').textContent();
      return t && /Context [≈≥]?[\d.]+k? \/ 200k/.test(t) ? t : undefined;
    });
    const option = await frame.locator('#session option:checked').textContent();
    assert(/turns/.test(option ?? ''), `the session picker shows the session (got "${option}")`);
    const statusBar = await page.locator('.statusbar-item', { hasText: '/ 200k' }).first().textContent();
    log(`sidebar: "${option}", "${fillText}"; status bar: "${statusBar?.trim()}"`);
    await screenshot(page, 'sidebar-session');
    // The side bar alone, for the README (media/sidebar.png is a copy of it).
    const side = await page.locator('.part.sidebar').boundingBox();
    await page.screenshot({ path: join(results, 'sidebar.png'), clip: { ...side, height: Math.min(side.height, 440) } });

    // 3. Compact opens a loupe: document within the budget.
    await runCommand(page, 'Loupe: Compact Session…');
    const budgetItem = page.locator('.quick-input-list .monaco-list-row', { hasText: '4k tokens' }).first();
    await budgetItem.waitFor({ timeout: 15_000 });
    await budgetItem.click();
    const tab = page.locator('.tabs-container .tab', { hasText: `${SESSION_ID}.md` });
    await tab.waitFor({ timeout: 60_000 });
    const statusMessage = await waitFor('the compaction size in the status bar', async () => {
      const items = await page.locator('.statusbar-item').allTextContents();
      return items.find((t) => /Loupe: [\d,]+ of [\d,]+ tokens/.test(t));
    });
    const [, used, budget] = /Loupe: ([\d,]+) of ([\d,]+) tokens/.exec(statusMessage);
    const usedN = Number(used.replace(/,/g, ''));
    assert(Number(budget.replace(/,/g, '')) === BUDGET, `budget ${budget} is the picked ${BUDGET}`);
    assert(usedN > 0 && usedN <= BUDGET, `compacted ${usedN} tokens within ${BUDGET}`);
    log(`compact: ${usedN} of ${BUDGET} tokens in a loupe: document`);
    await screenshot(page, 'compact-document');

    // 3b. The sidebar's own Compact button, at the slider's budget (a message from the webview to the host).
    await frame.locator('input[type="range"]').fill(String(3)); // 8k: SLIDER_BUDGETS[3]
    await frame.locator('[data-action="compact"]').click(); // a toolkit <vscode-button>
    await waitFor('the compaction at the slider budget', async () => {
      const items = await page.locator('.statusbar-item').allTextContents();
      const m = items.map((t) => /Loupe: ([\d,]+) of 8,000 tokens/.exec(t)).find(Boolean);
      return m && Number(m[1].replace(/,/g, '')) <= 8000;
    });
    log('sidebar Compact button: compacted within the slider budget of 8,000 tokens');

    // 4. A hover on a placeholder shows its details.
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.click();
    await page.keyboard.press('Control+F');
    await page.keyboard.type('[output omitted — Edit'); // an Edit's output: a few lines to show
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await page.waitForTimeout(300);
    // Find left the match selected: hover over the selection (Monaco's DOM order of lines is not
    // their order on screen, so a text search over .view-line could pick a line off screen).
    const selection = page.locator('.editor-instance .selected-text').first();
    await selection.waitFor({ timeout: 10_000 });
    const box = await selection.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const hover = page.locator('.monaco-hover', { hasText: 'Recall full output' });
    let via = 'mouse';
    try {
      await hover.waitFor({ state: 'visible', timeout: 4_000 });
    } catch {
      via = 'keyboard';
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I'); // editor.action.showHover at the cursor (inside the match)
      await hover.waitFor({ state: 'visible', timeout: 10_000 });
    }
    const hoverText = await hover.textContent();
    assert(/output `?e\d+/.test(hoverText) && /errors: (yes|no)/.test(hoverText) && /Input:/.test(hoverText), `hover details (got "${hoverText?.slice(0, 200)}")`);
    log(`hover (${via}): ${hoverText.replace(/\s+/g, ' ').slice(0, 120)}…`);
    await screenshot(page, 'placeholder-hover');
    // Its "Recall full output" link opens the original in a loupe: document.
    const handle = /output\s*`?(e\d+)/.exec(hoverText)[1];
    await hover.locator('a', { hasText: 'Recall full output' }).click();
    await page.locator('.tabs-container .tab', { hasText: `${handle}.txt` }).waitFor({ timeout: 15_000 });
    log(`recall: ${handle} opened from the hover`);
    await screenshot(page, 'recall-from-hover');

    // 5. Export puts the compacted session on the clipboard.
    await page.evaluate(() => navigator.clipboard.writeText('(empty)'));
    await runCommand(page, 'Loupe: Export Compressed Context to Clipboard');
    const note = page.locator('.notification-toast', { hasText: 'to the clipboard' });
    await note.waitFor({ timeout: 60_000 });
    const clip = await waitFor('the clipboard', async () => {
      const t = await page.evaluate(() => navigator.clipboard.readText());
      return t !== '(empty)' ? t : undefined;
    });
    assert(clip.length > 200 && clip.includes('recall e'), `the clipboard holds the compacted session (${clip.length} chars)`);
    log(`export: ${clip.length} chars on the clipboard; "${(await note.locator('.notification-list-item-message').textContent()).trim()}"`);
    await screenshot(page, 'export-clipboard');

    // 6. A line appended to the transcript shows up in the view (the side bar is still open).
    frame = await sidebarFrame(page);
    const before = Number(/(\d+) turns/.exec(await frame.locator('#session option:checked').textContent())[1]);
    appendTurn(fx.transcript, fx.ws, 'E2E: one more question appended while the view is open');
    const after = await waitFor(
      'the appended turn in the sidebar',
      async () => {
        const f = await sidebarFrame(page);
        const m = /(\d+) turns/.exec((await f.locator('#session option:checked').textContent()) ?? '');
        return m && Number(m[1]) === before + 1 ? Number(m[1]) : undefined;
      },
      30_000,
    );
    log(`live: ${before} → ${after} turns after appending to the transcript`);
    await screenshot(page, 'live-append');

    // 7. The visualiser panel shows the full timeline, one row per turn.
    await runCommand(page, 'Loupe: Open Visualiser');
    const rows = await waitFor('the visualiser panel', async () => {
      for (const f of page.frames()) {
        const n = await f.locator('.turn-list li').count().catch(() => 0);
        if (n > 0) return n;
      }
      return undefined;
    });
    assert(rows === after, `the visualiser lists ${after} turns (got ${rows})`);
    log(`visualiser: ${rows} turns listed`);
    // The d3 timeline got its data from the host (requestTimeline → didLoadTimeline) and painted it.
    const painted = await waitFor('the visualiser timeline', async () => {
      for (const f of page.frames()) {
        const status = await f.locator('#tl-resolution').textContent({ timeout: 500 }).catch(() => null);
        // R4 is painted on a canvas: the stage says how many events its bars stand for.
        const events = Number(await f.locator('.tl-stage').getAttribute('data-events', { timeout: 500 }).catch(() => 0));
        if (status && status.startsWith('Showing R4') && events > 0) return `${status}, ${events} events drawn`;
      }
      return undefined;
    });
    log(`visualiser timeline: ${painted}`);
    await screenshot(page, 'visualiser-panel');

    // 8. The same hover on a tool-result line of the .jsonl transcript opened in the editor.
    await page.locator('.command-center-center').click();
    const quickOpen = page.locator('.quick-input-widget input.input[role="combobox"]');
    await quickOpen.fill(fx.transcript);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: `${SESSION_ID}.jsonl` }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab', { hasText: `${SESSION_ID}.jsonl` }).waitFor({ timeout: 15_000 });
    await page.locator('.editor-instance .monaco-editor').first().click();
    await page.keyboard.press('Control+G');
    await page.keyboard.type(String(JSONL_RESULT_LINE));
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I'); // editor.action.showHover at the cursor
    const jsonlHover = page.locator('.monaco-hover', { hasText: 'Recall full output' });
    await jsonlHover.waitFor({ state: 'visible', timeout: 15_000 });
    const jsonlHoverText = await jsonlHover.textContent();
    assert(/output\s*`?e\d+/.test(jsonlHoverText), `the transcript hover names the event (got "${jsonlHoverText?.slice(0, 200)}")`);
    log(`jsonl hover: ${jsonlHoverText.replace(/\s+/g, ' ').slice(0, 100)}…`);
    await screenshot(page, 'jsonl-hover');
    log('all steps passed');
  } catch (err) {
    if (page) await page.screenshot({ path: join(results, 'failure.png') }).catch(() => undefined);
    if (process.env.LOUPE_E2E_VERBOSE !== '1') console.error(server.output().split('\n').slice(-30).join('\n'));
    throw err;
  } finally {
    await browser.close();
    server.child.kill();
    if (!keep) rmSync(fx.base, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`[e2e] FAILED: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
