// The context estimate against a real Claude Code session's API usage: the posthog session of the
// shared corpus (../shared/corpus, outside the repository; skipped where it is absent), the only one
// with a compaction. Its real fill peaks at 166,609 tokens before the compaction; the visible events
// alone count 46,338 there.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ingestPaths } from '../../../src/core/ingest';
import { sessionStats } from '../../../src/core/stats';
import { openStore } from '../../../src/core/store/store';
import { tempDir } from '../helpers';

const ROOT = join(__dirname, '..', '..', '..', '..');
const POSTHOG = join(ROOT, '..', 'shared', 'corpus', 'claude-code', 'leolin84200704__posthog-impact-dashboard', 'claude-session.jsonl');

test('the calibrated estimate of the real posthog session peaks within 15% of its real fill before its compaction', async (t) => {
  if (!existsSync(POSTHOG)) {
    t.skip('../shared/corpus absent');
    return;
  }
  // Named by its sessionId, as Claude Code names a session file.
  const sessionId = /"sessionId":"([^"]+)"/.exec(readFileSync(POSTHOG, 'utf8'))![1]!;
  const dir = tempDir();
  copyFileSync(POSTHOG, join(dir, `${sessionId}.jsonl`));
  const store = await openStore(join(dir, 'loupe.db'));
  await ingestPaths(store, [dir]);
  const stats = sessionStats(store, sessionId);

  assert.equal(stats.compactions.length, 1);
  const boundary = stats.compactions[0]!.eventId;
  const peakBefore = (points: { eventId: number; tokens: number }[]) =>
    Math.max(...points.filter((p) => p.eventId < boundary).map((p) => p.tokens));
  const realPeak = peakBefore(stats.contextReal);
  assert.equal(realPeak, 166_609);
  const estimatedPeak = peakBefore(stats.contextEstimated);
  assert.ok(Math.abs(estimatedPeak - realPeak) / realPeak <= 0.15, `estimated peak ${estimatedPeak}, real ${realPeak}`);

  // Each side of the compaction has its own calibration, fitted on its own calls.
  assert.deepEqual(
    stats.contextCalibration.map((c) => c.fit),
    ['fitted', 'fitted'],
  );
  assert.equal(stats.contextEstimateVisibleOnly, false);
  // The session ends on a reply: the fill now is its last call's.
  assert.deepEqual(stats.contextNow, { tokens: stats.contextReal.at(-1)!.tokens, eventId: stats.contextReal.at(-1)!.eventId, source: 'usage' });
});
