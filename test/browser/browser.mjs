// Shared by the browser suites: serves the repository's harness, bundle and css on 127.0.0.1,
// launches Debian's chromium (fresh profile) through playwright-core, and opens harness pages whose
// page errors and CSP violations fail the test.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const results = join(root, 'test-results');
const CHROMIUM = process.env.LOUPE_CHROMIUM ?? '/usr/bin/chromium';
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.svg': 'image/svg+xml' };
const SERVED = ['dist/', 'media/', 'test/browser/'];

let server;
export let base;
export let browser;
let userDataDir;

/** Serves the harness, the bundle and the css from the repository; `?csp=off` drops the page's CSP. */
function serve() {
  return new Promise((res) => {
    server = createServer((req, rsp) => {
      const url = new URL(req.url, 'http://localhost');
      if (url.pathname === '/favicon.ico') {
        rsp.writeHead(204).end();
        return;
      }
      const rel = normalize(decodeURIComponent(url.pathname)).replace(/^\/+/, '');
      if (!SERVED.some((p) => rel.startsWith(p)) || rel.includes('..')) {
        rsp.writeHead(404).end();
        return;
      }
      try {
        let body = readFileSync(join(root, rel));
        if (rel.endsWith('harness.html') && url.searchParams.get('csp') === 'off') body = Buffer.from(body.toString('utf8').replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, ''));
        rsp.writeHead(200, { 'content-type': TYPES[extname(rel)] ?? 'application/octet-stream' }).end(body);
      } catch {
        rsp.writeHead(404).end();
      }
    });
    server.listen(0, '127.0.0.1', () => {
      base = `http://127.0.0.1:${server.address().port}`;
      res();
    });
  });
}

/** Registers the suite's before/after hooks: build, serve, launch. */
export function useBrowser() {
  before(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run \`node test/e2e/setup.mjs\` (or apt-get install chromium), or set LOUPE_CHROMIUM`);
    if (process.env.LOUPE_BROWSER_NO_BUILD !== '1') execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    mkdirSync(results, { recursive: true });
    await serve();
    userDataDir = mkdtempSync(join(tmpdir(), 'loupe-browser-'));
    // A fresh profile each run (Playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1200, height: 820 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  after(async () => {
    await browser?.close();
    server?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });
}

/** A page on the harness, with the timeline painted. Page errors and CSP violations fail the test. */
export async function open(t, query = '', ready = waitForTimeline) {
  const page = await browser.newPage();
  page.setDefaultTimeout(8000);
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()));
  t.after(async () => {
    const csp = await page.evaluate(() => window.__cspViolations).catch(() => []);
    await page.close();
    assert.deepEqual(errors, [], 'page errors');
    assert.deepEqual(csp, [], 'CSP violations');
  });
  await page.goto(`${base}/test/browser/harness.html${query}`);
  await ready(page);
  return page;
}

/** The default readiness of a harness page: the timeline painted and its resolution shown. */
export async function waitForTimeline(page) {
  await page.waitForSelector('.tl-stage[data-render]');
  await page.waitForFunction(() => document.querySelector('#tl-resolution')?.textContent?.startsWith('Showing'));
}
