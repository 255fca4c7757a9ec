// What the host sends the visualiser's timeline (src/extension/lib/timeline.ts), on the bundled
// sample session: every resolution is there, the message passes the webview's validation, and a
// range renders at R2, R1 and R0.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ingestPaths } from '../../../src/core/ingest';
import { openStore } from '../../../src/core/store/store';
import { buildTimeline, renderTurnRange } from '../../../src/extension/lib/timeline';
import { parseToWebview } from '../../../src/protocol';
import { tempDir } from '../helpers';

const SAMPLE_DIR = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'sample');

test('the timeline of the sample session carries R4, R3, R2, R1 and R0 and passes validation', async () => {
  const store = await openStore(join(tempDir(), 'loupe.db'));
  await ingestPaths(store, [SAMPLE_DIR], { workerScript: null });
  const session = store.listSessions().sort((a, b) => b.turns - a.turns)[0]!;
  const t = buildTimeline(store, session.id);
  assert.ok(t.outline.length > 0, 'R4 outline');
  assert.ok(t.bands.length > 0, 'R3 bands');
  assert.ok(t.turns.length > 10 && t.turns.every((x) => x.digest.length > 0), 'R2 digests');
  assert.ok(t.turns.some((x) => x.archived) && t.turns.some((x) => !x.archived));
  const omitted = t.events.filter((e) => e.omitted);
  assert.ok(omitted.length > 0, 'omitted outputs');
  for (const e of omitted) {
    assert.match(e.omitted!.placeholder, /^\[output omitted — .* — recall e\d+\]$/);
    assert.equal(e.r1, e.omitted!.placeholder);
    assert.equal(e.omitted!.handle, `e${e.id}`);
  }
  assert.ok(t.events.every((e) => e.kind !== 'thinking' || e.r1 === ''), 'thinking is dropped at R1');
  assert.ok(t.events.some((e) => e.lane === 'subagent'), 'the sample has a subagent');
  assert.ok(t.events.some((e) => e.lane === 'compaction'), 'the sample has a compaction');
  const envelope = JSON.parse(JSON.stringify({ messageId: 1, body: { type: 'didLoadTimeline', timeline: t } }));
  assert.ok(parseToWebview(envelope), 'the webview accepts it');

  const turn = t.turns[3]!.index;
  assert.match(renderTurnRange(store, session.id, turn, turn + 1, 2), new RegExp(`turns ${turn}–${turn + 1} at R2 turn digests[\\s\\S]*## Turn ${turn + 1}`));
  assert.match(renderTurnRange(store, session.id, turn, turn + 1, 1), /R1 stripped/);
  assert.match(renderTurnRange(store, session.id, 9999, 10000, 0), /No turns in this range/);
});
