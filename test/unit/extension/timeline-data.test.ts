// What the host sends the visualiser's timeline (src/extension/lib/timeline.ts), on the bundled
// sample session: every resolution is there, the events are lean and their text comes on demand, the
// fill curve and the agent's compactions are there, the messages pass the webview's validation, and
// a range renders at R2, R1 and R0.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ingestPaths } from '../../../src/core/ingest';
import { openStore } from '../../../src/core/store/store';
import { buildTimeline, eventDetail, renderTurnRange } from '../../../src/extension/lib/timeline';
import { EVENT_FLAGS, parseToWebview, TIMELINE_LANES } from '../../../src/protocol';
import { tempDir } from '../helpers';

const SAMPLE_DIR = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'sample');

test('the timeline of the sample session carries R4, R3, R2, lean events, the fill curve and compactions, and passes validation', async () => {
  const store = await openStore(join(tempDir(), 'loupe.db'));
  await ingestPaths(store, [SAMPLE_DIR], { workerScript: null });
  const session = store.listSessions().sort((a, b) => b.turns - a.turns)[0]!;
  const t = buildTimeline(store, session.id, 200_000);
  assert.ok(t.outline.length > 0, 'R4 outline');
  assert.ok(t.bands.length > 0, 'R3 bands');
  assert.ok(t.turns.length > 10 && t.turns.every((x) => x.digest.length > 0), 'R2 digests');
  assert.ok(t.turns.some((x) => x.archived) && t.turns.some((x) => !x.archived));
  const n = t.events.id.length;
  assert.ok(n > 100);
  for (const column of [t.events.turn, t.events.lane, t.events.tokens, t.events.flags, t.events.label]) assert.equal(column.length, n);
  assert.ok(t.events.label.every((l) => l.length <= 48), 'labels are short: the text comes on demand');
  const lanes = new Set(t.events.lane.map((l) => TIMELINE_LANES[l]));
  assert.ok(lanes.has('subagent'), 'the sample has a subagent');
  assert.ok(lanes.has('compaction'), 'the sample has a compaction');

  // The R1/R0 text of an event is fetched on demand; an omitted output brings its placeholder's metadata.
  const omitted = t.events.id.filter((_, i) => t.events.flags[i]! & EVENT_FLAGS.omitted);
  assert.ok(omitted.length > 0, 'omitted outputs');
  for (const id of omitted.slice(0, 20)) {
    const d = eventDetail(store, session.id, id)!;
    assert.match(d.omitted!.placeholder, /^\[output omitted — .* — recall e\d+\]$/);
    assert.equal(d.r1, d.omitted!.placeholder);
    assert.equal(d.omitted!.handle, `e${id}`);
  }
  const thinking = t.events.id.find((_, i) => TIMELINE_LANES[t.events.lane[i]!] === 'thinking');
  if (thinking !== undefined) assert.equal(eventDetail(store, session.id, thinking)!.r1, '', 'thinking is dropped at R1');
  const errors = t.events.id.filter((_, i) => TIMELINE_LANES[t.events.lane[i]!] === 'error' && !(t.events.flags[i]! & EVENT_FLAGS.omitted));
  for (const id of errors.slice(0, 5)) assert.equal(eventDetail(store, session.id, id)!.omitted, undefined, 'an error keeps its text at R1');
  assert.equal(eventDetail(store, session.id, 987_654_321), null, 'no such event');
  const other = store.listSessions().find((s) => s.id !== session.id);
  if (other) assert.equal(eventDetail(store, other.id, t.events.id[0]!), null, "another session's event is not sent");

  assert.equal(t.contextWindow, 200_000);
  assert.ok(t.contextFill.tokens.length > 10, 'a fill curve');
  assert.ok(t.contextFill.eventIndex.every((i, k) => i < n && (k === 0 || i > t.contextFill.eventIndex[k - 1]!)), 'points in event order');
  assert.ok(t.compactions.length > 0, 'the compaction of the agent is marked');
  for (const c of t.compactions) assert.equal(TIMELINE_LANES[t.events.lane[c.eventIndex]!], 'compaction');

  const envelope = JSON.parse(JSON.stringify({ messageId: 1, body: { type: 'didLoadTimeline', timeline: t } }));
  assert.ok(parseToWebview(envelope), 'the webview accepts it');
  const detail = JSON.parse(JSON.stringify({ messageId: 2, body: { type: 'didLoadEventDetail', sessionId: session.id, eventId: omitted[0], detail: eventDetail(store, session.id, omitted[0]!) } }));
  assert.ok(parseToWebview(detail), 'the webview accepts an event detail');

  const turn = t.turns[3]!.index;
  assert.match(renderTurnRange(store, session.id, turn, turn + 1, 2), new RegExp(`turns ${turn}–${turn + 1} at R2 turn digests[\\s\\S]*## Turn ${turn + 1}`));
  assert.match(renderTurnRange(store, session.id, turn, turn + 1, 1), /R1 stripped/);
  assert.match(renderTurnRange(store, session.id, 9999, 10000, 0), /No turns in this range/);
});
