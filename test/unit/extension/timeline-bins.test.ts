// Where the timeline's marks go and how they merge when zoomed out (webview/lib/timeline-bins.ts):
// positions, x order and binary search, lane totals and their power-of-two binnings, marks merged per
// pixel column, the fill curve's polyline, hit testing and label room.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  binMarks,
  eventPositions,
  fillPolyline,
  labelRooms,
  laneTotals,
  lowerBound,
  markAt,
  markRadius,
  mergeBins,
  prepareTimeline,
  turnsPerBin,
  xOrder,
} from '../../../webview/lib/timeline-bins';

test('events of a turn spread across it in order, inside [turn, turn + 1)', () => {
  const pos = eventPositions([3, 3, 4, 3]);
  assert.deepEqual([...pos], [3 + 1 / 6, 3 + 3 / 6, 4.5, 3 + 5 / 6]);
});

test('x order is session order when turns do not interleave, sorted when they do', () => {
  const sorted = xOrder(eventPositions([1, 1, 2, 3]));
  assert.deepEqual([...sorted.order], [0, 1, 2, 3]);
  const mixed = xOrder(eventPositions([2, 1, 2, 1]));
  assert.deepEqual([...mixed.order], [1, 3, 0, 2]);
  assert.ok(mixed.x.every((x, k) => k === 0 || x >= mixed.x[k - 1]!));
  assert.equal(lowerBound(mixed.x, 2), 2);
  assert.equal(lowerBound(mixed.x, 0), 0);
  assert.equal(lowerBound(mixed.x, 99), 4);
});

test('lane totals sum tokens and counts per turn and lane, and binnings keep the sums', () => {
  const turns = [1, 1, 1, 2, 4];
  const lanes = [3, 3, 0, 3, 1];
  const tokens = [10, 5, 7, 1, 100];
  const t = laneTotals(turns, lanes, tokens, [1, 5], 8);
  assert.equal(t.bins, 4);
  assert.equal(t.tokens[0 * 8 + 3], 15);
  assert.equal(t.counts[0 * 8 + 3], 2);
  assert.equal(t.tokens[0 * 8 + 0], 7);
  assert.equal(t.tokens[3 * 8 + 1], 100);
  assert.equal(t.max, 100);
  const two = mergeBins(t, 2);
  assert.equal(two.bins, 2);
  assert.equal(two.tokens[0 * 8 + 3], 16, 'turns 1–2 of the tool lane');
  assert.equal(two.counts[0 * 8 + 3], 3);
  assert.equal(two.tokens[1 * 8 + 1], 100);
  assert.equal(mergeBins(t, 1), t);
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 5000 })), { maxLength: 200 }), fc.integer({ min: 0, max: 6 }), (evs, p) => {
      const totals = laneTotals(evs.map((e) => e[0]), evs.map((e) => e[1]), evs.map((e) => e[2]), [0, 41], 8);
      const merged = mergeBins(totals, 2 ** p);
      const sum = (a: ArrayLike<number>) => Array.from(a).reduce((n, v) => n + v, 0);
      assert.equal(sum(merged.tokens), sum(evs.map((e) => e[2])));
      assert.equal(sum(merged.counts), evs.length);
    }),
  );
});

test('a bar spans a power of two of turns, at least the minimum width', () => {
  assert.equal(turnsPerBin(30, 2), 1);
  assert.equal(turnsPerBin(2, 2), 1);
  assert.equal(turnsPerBin(0.44, 2), 8);
  fc.assert(
    fc.property(fc.double({ min: 0.001, max: 100, noNaN: true }), (px) => {
      const n = turnsPerBin(px, 2);
      assert.ok(n * px >= 2 - 1e-9 && Number.isInteger(Math.log2(n)));
      if (n > 1) assert.ok((n / 2) * px < 2, 'the smallest such power');
    }),
  );
});

test('zoomed out, the events of one lane in one pixel column merge into one mark with their count and tokens', () => {
  // 100 events of turn 1, lanes alternating 3 and 0: 50 each.
  const turns = new Array<number>(100).fill(1);
  const lanes = turns.map((_, i) => (i % 2 ? 0 : 3));
  const tokens = turns.map(() => 10);
  const xo = xOrder(eventPositions(turns));
  // The turn is 10 px wide: every column of 2 px holds 10 events, 5 per lane.
  const wide = binMarks(xo, 0, 100, lanes, tokens, turns, (x) => (x - 1) * 10, 2);
  assert.equal(wide.length, 10);
  assert.ok(wide.every((m) => m.count === 10 && m.tokens === 100 && m.fromTurn === 1 && m.toTurn === 1));
  assert.equal(wide.reduce((n, m) => n + m.count, 0), 100, 'every event is in exactly one mark');
  // 1000 px wide: 10 px per event, each its own mark.
  const sharp = binMarks(xo, 0, 100, lanes, tokens, turns, (x) => (x - 1) * 1000, 2);
  assert.equal(sharp.length, 100);
  assert.deepEqual(sharp.slice(0, 2).map((m) => [m.index, m.lane, m.count]), [
    [0, 3, 1],
    [1, 0, 1],
  ]);
});

test('mark area grows with tokens and stays within its bounds, an aggregate too', () => {
  assert.equal(markRadius(0, 1000, 11), 1.5);
  assert.equal(markRadius(1000, 1000, 11), 11);
  assert.equal(markRadius(50_000, 1000, 11), 11);
  assert.ok(Math.abs(markRadius(250, 1000, 11) - 5.5) < 1e-9);
  assert.ok(markRadius(10, 1000, 11) >= 1.5);
});

test('the mark under the pointer is the nearest one whose circle holds it', () => {
  const marks = [
    { index: 0, x: 10, y: 10, r: 5 },
    { index: 1, x: 18, y: 10, r: 5 },
  ];
  assert.equal(markAt(marks, 12, 10)?.index, 0);
  assert.equal(markAt(marks, 16, 10)?.index, 1);
  assert.equal(markAt(marks, 40, 10), undefined);
});

test('a label gets the room up to the next mark in its lane', () => {
  const rooms = labelRooms([
    { x: 100, y: 12, r: 2 },
    { x: 10, y: 12, r: 2 },
    { x: 50, y: 36, r: 2 },
  ]);
  assert.deepEqual(rooms, [Infinity, 100 - 2 - 12 - 6, Infinity]);
});

test('the fill polyline keeps one point per pixel column, its peak, and runs past both edges', () => {
  // 1000 points over turns 0–10, a saw: rising, then a compaction at x = 5.
  const x = Float64Array.from({ length: 1000 }, (_, i) => i / 100);
  const tokens = Float64Array.from(x, (v) => (v < 5 ? v * 10_000 : (v - 5) * 10_000));
  const line = fillPolyline(x, tokens, 2, 8, (v) => v * 10); // 10 px per turn: 60 px in view
  assert.ok(line.length <= 64, `${line.length} points`);
  assert.ok(line[0]![0] < 20 && line.at(-1)![0] >= 80, 'from before the left edge to the right one');
  const peak = Math.max(...line.map((p) => p[1]));
  assert.ok(peak >= 49_900, 'the peak before the compaction survives');
  assert.deepEqual(fillPolyline(new Float64Array(0), new Float64Array(0), 0, 1, (v) => v), []);
});

test('a prepared timeline has every event placed, the largest event, and the fill curve in x order', () => {
  const prep = prepareTimeline({ turn: [1, 1, 2], lane: [0, 3, 1], tokens: [10, 300, 20] }, [1, 3], 8, { eventIndex: [2, 0], tokens: [900, 100] });
  assert.equal(prep.positions.length, 3);
  assert.equal(prep.maxEventTokens, 300);
  assert.deepEqual([...prep.fillTokens], [100, 900]);
  assert.equal(prep.fillMax, 900);
  assert.equal(prep.perTurn.tokens[0 * 8 + 3], 300);
});
