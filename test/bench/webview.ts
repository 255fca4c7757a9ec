// Webview benchmark (issue 7): the visualiser's timeline in headless Chromium over a 50,000-event
// session, beside the same session with 500 events in the same run. The harness page
// (test/browser/harness.html) with its fake host generates both; Chromium is launched as the browser
// tests launch it (Debian's chromium, a fresh profile). Measured, from inside the page:
//   first paint   navigation start → the frame showing the timeline's first drawing, less the time
//                 the fake host spent generating the session in the page (the real host builds it
//                 in the extension host's process; its cost there is the core's, not the webview's)
//   frame times   requestAnimationFrame deltas during a scripted pan+zoom (test/bench/webview-probe.js)
// The graph is left empty (`graph=empty`): its own layout is not what this measures.
//
//   LOUPE_BENCH_ONLY=webview      run only this part
//   LOUPE_BENCH_RUNS=3            page loads per session; the median first paint is reported
//   LOUPE_CHROMIUM=/usr/bin/chromium
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import type { BenchRow } from './row';

const ROOT = resolve(__dirname, '..', '..', '..');
const CHROMIUM = process.env.LOUPE_CHROMIUM ?? '/usr/bin/chromium';
const SERVED = ['dist/', 'media/', 'test/browser/'];
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };
/** 2,500 turns of ~21 events (the fake host's 3–5 reads plus `fat` more): ~52,000 events; 25 turns: ~520. */
const SESSIONS = { baseline: '?turns=25&fat=6&graph=empty', large: '?turns=2500&fat=6&graph=empty' } as const;
/** Pan+zoom steps of each kind (test/bench/webview-probe.js): 4 × this many frames in all. */
const STEPS = 40;
const FIRST_PAINT_MS = 1000;
const P95_FRAME_MS = 32;

interface Measure {
  events: number;
  /** The webview's own: navigation start → timeline painted, less the fake host's generation. */
  firstPaint: number;
  /** As measured, with the fake host generating the session inside the page first. */
  firstPaintWithHost: number;
  /** From the timeline message's arrival to its first frame: the timeline's own share of the first paint. */
  messageToPaint: number;
  frames: number[];
}

function serve(): Promise<{ server: Server; base: string }> {
  return new Promise((done) => {
    const server = createServer((req, rsp) => {
      const rel = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname)).replace(/^\/+/, '');
      if (!SERVED.some((p) => rel.startsWith(p)) || rel.includes('..') || !existsSync(join(ROOT, rel))) {
        rsp.writeHead(404).end();
        return;
      }
      rsp.writeHead(200, { 'content-type': TYPES[extname(rel)] ?? 'application/octet-stream' }).end(readFileSync(join(ROOT, rel)));
    });
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      done({ server, base: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` });
    });
  });
}

async function measure(context: BrowserContext, url: string): Promise<Measure> {
  const page = await context.newPage();
  try {
    page.setDefaultTimeout(120_000);
    await page.addInitScript({ path: join(ROOT, 'test', 'bench', 'webview-probe.js') });
    await page.goto(url);
    await page.waitForFunction('window.__bench && window.__bench.marks.painted !== undefined');
    const marks = (await page.evaluate('window.__bench.marks')) as { timelineMessage: number; painted: number };
    const events = Number(await page.evaluate('window.__fakeTimeline.events.length'));
    const hostMs = Number(await page.evaluate('window.__fakeHostMs'));
    const frames = (await page.evaluate(`window.__bench.panZoom(${STEPS})`)) as number[];
    return { events, firstPaint: marks.painted - hostMs, firstPaintWithHost: marks.painted, messageToPaint: marks.painted - marks.timelineMessage, frames };
  } finally {
    await page.close();
  }
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const ms = (v: number) => `${v.toFixed(0)} ms`;

export async function benchWebview(rows: BenchRow[]): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run \`node test/e2e/setup.mjs\` (or apt-get install chromium), or set LOUPE_CHROMIUM`);
  const runs = Number(process.env.LOUPE_BENCH_RUNS ?? 3);
  const { server, base } = await serve();
  const userDataDir = mkdtempSync(join(tmpdir(), 'loupe-bench-webview-'));
  // As test/browser/browser.mjs launches it: a fresh profile each run.
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1200, height: 820 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const results: Record<keyof typeof SESSIONS, Measure[]> = { baseline: [], large: [] };
    for (let i = 0; i < runs; i++) {
      // Alternated, so that a slow spell of a busy machine hits both.
      for (const name of ['baseline', 'large'] as const) {
        process.stderr.write(`webview: ${name} session, run ${i + 1}/${runs}…\n`);
        results[name].push(await measure(context, `${base}/test/browser/harness.html${SESSIONS[name]}`));
      }
    }
    const summary = (m: Measure[]) => ({
      events: m[0]!.events,
      firstPaint: quantile(m.map((x) => x.firstPaint), 0.5),
      firstPaintWithHost: quantile(m.map((x) => x.firstPaintWithHost), 0.5),
      messageToPaint: quantile(m.map((x) => x.messageToPaint), 0.5),
      median: quantile(m.flatMap((x) => x.frames), 0.5),
      p95: quantile(m.flatMap((x) => x.frames), 0.95),
    });
    const b = summary(results.baseline);
    const l = summary(results.large);
    const sizes = `${l.events.toLocaleString('en-US')} vs ${b.events.toLocaleString('en-US')} events`;
    rows.push(
      {
        measure: `webview first paint (${sizes})`,
        baseline: ms(b.firstPaint),
        loupe: ms(l.firstPaint),
        ratio: `${(l.firstPaint / b.firstPaint).toFixed(2)}×`,
        target: `≤ ${FIRST_PAINT_MS} ms`,
        ok: l.firstPaint <= FIRST_PAINT_MS,
      },
      {
        measure: 'webview first paint, fake host generating in the page',
        baseline: ms(b.firstPaintWithHost),
        loupe: ms(l.firstPaintWithHost),
        ratio: `${(l.firstPaintWithHost / b.firstPaintWithHost).toFixed(2)}×`,
        target: '',
        ok: null,
      },
      {
        measure: 'webview timeline message → painted',
        baseline: ms(b.messageToPaint),
        loupe: ms(l.messageToPaint),
        ratio: `${(l.messageToPaint / b.messageToPaint).toFixed(2)}×`,
        target: '',
        ok: null,
      },
      {
        measure: `webview frame p95, pan+zoom (${4 * STEPS} frames × ${runs})`,
        baseline: ms(b.p95),
        loupe: ms(l.p95),
        ratio: `${(l.p95 / b.p95).toFixed(2)}×`,
        target: `≤ ${P95_FRAME_MS} ms`,
        ok: l.p95 <= P95_FRAME_MS,
      },
      {
        measure: 'webview frame median, pan+zoom',
        baseline: ms(b.median),
        loupe: ms(l.median),
        ratio: `${(l.median / b.median).toFixed(2)}×`,
        target: '',
        ok: null,
      },
    );
  } finally {
    await context.close();
    server.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}
