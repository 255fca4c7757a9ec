// The visualiser timeline's pure view logic (webview/lib/timeline.ts): the zoom→resolution ladder,
// mark placement and size, hit testing and the turns a dragged range covers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { TimelineEvent } from '../../../src/protocol';
import {
  bandAt,
  eventPositions,
  labelRooms,
  laneCells,
  markAt,
  markRadius,
  OUTLINE_BELOW_ZOOM,
  resolutionAt,
  turnDomain,
  turnRange,
  visibleEvents,
} from '../../../webview/lib/timeline';

function ev(id: number, turn: number, lane: TimelineEvent['lane'] = 'tool', tokens = 100): TimelineEvent {
  return { id, turn, lane, kind: 'tool_result', toolName: 'Read', tokens, isError: false, r1: '', r0: '' };
}

test('zooming in only ever sharpens: the resolution never gets blurrier as k and px per turn grow', () => {
  assert.equal(resolutionAt(1, 500), 4, 'the whole session in view is its outline');
  assert.equal(resolutionAt(OUTLINE_BELOW_ZOOM, 20), 3);
  assert.equal(resolutionAt(2, 60), 2);
  assert.equal(resolutionAt(4, 120), 1);
  assert.equal(resolutionAt(20, 400), 0);
  fc.assert(
    fc.property(fc.double({ min: 1, max: 1000, noNaN: true }), fc.double({ min: 1, max: 10, noNaN: true }), fc.double({ min: 0.1, max: 2000, noNaN: true }), (k, f, px) => {
      assert.ok(resolutionAt(k * f, px * f) <= resolutionAt(k, px));
    }),
  );
});

test('events of a turn spread across it in order, inside [turn, turn + 1)', () => {
  const events = [ev(1, 3), ev(2, 3), ev(3, 4), ev(4, 3)];
  const pos = eventPositions(events);
  assert.deepEqual([...pos], [3 + 1 / 6, 3 + 3 / 6, 4.5, 3 + 5 / 6]);
  assert.deepEqual(turnDomain([], events), [3, 5]);
  assert.deepEqual(turnDomain([], []), [0, 1]);
  assert.deepEqual(visibleEvents(pos, 3.4, 4), [1, 3]);
});

test('mark area grows with tokens and stays within its bounds', () => {
  assert.equal(markRadius(0, 1000, 11), 1.5);
  assert.equal(markRadius(1000, 1000, 11), 11);
  assert.ok(Math.abs(markRadius(250, 1000, 11) - 5.5) < 1e-9);
  assert.ok(markRadius(10, 1000, 11) >= 1.5);
});

test('lane cells sum tokens per turn and lane', () => {
  const cells = laneCells([ev(1, 1, 'tool', 10), ev(2, 1, 'tool', 5), ev(3, 1, 'prompt', 7), ev(4, 2, 'tool', 1)]);
  assert.deepEqual(cells, [
    { turn: 1, lane: 'tool', tokens: 15, count: 2 },
    { turn: 1, lane: 'prompt', tokens: 7, count: 1 },
    { turn: 2, lane: 'tool', tokens: 1, count: 1 },
  ]);
});

test('the mark under the pointer is the nearest one whose circle holds it', () => {
  const marks = [
    { index: 0, x: 10, y: 10, r: 5 },
    { index: 1, x: 18, y: 10, r: 5 },
  ];
  assert.equal(markAt(marks, 12, 10), 0);
  assert.equal(markAt(marks, 16, 10), 1);
  assert.equal(markAt(marks, 40, 10), -1);
});

test('a dragged span covers the whole turns it touches, clamped to the session', () => {
  assert.deepEqual(turnRange(10.3, 14.7, [1, 61]), { fromTurn: 10, toTurn: 14 });
  assert.deepEqual(turnRange(14.7, 10.3, [1, 61]), { fromTurn: 10, toTurn: 14 }, 'dragged right to left');
  assert.deepEqual(turnRange(10.2, 10.4, [1, 61]), { fromTurn: 10, toTurn: 10 });
  assert.deepEqual(turnRange(-5, 3.5, [1, 61]), { fromTurn: 1, toTurn: 3 });
  assert.equal(turnRange(70, 80, [1, 61]), null);
  fc.assert(
    fc.property(fc.double({ min: -10, max: 80, noNaN: true }), fc.double({ min: -10, max: 80, noNaN: true }), (a, b) => {
      const r = turnRange(a, b, [1, 61]);
      if (r) assert.ok(r.fromTurn >= 1 && r.toTurn <= 60 && r.fromTurn <= r.toTurn);
    }),
  );
});

test('a label gets the room up to the next mark in its lane', () => {
  const rooms = labelRooms([
    { index: 0, x: 100, y: 12, r: 2 },
    { index: 1, x: 10, y: 12, r: 2 },
    { index: 2, x: 50, y: 36, r: 2 },
  ]);
  assert.deepEqual(rooms, [Infinity, 100 - 2 - 12 - 6, Infinity]);
});

test('bandAt finds the R3 period covering a turn', () => {
  const bands = [{ fromTurn: 1, toTurn: 12 }, { fromTurn: 13, toTurn: 24 }];
  assert.equal(bandAt(bands, 13), 1);
  assert.equal(bandAt(bands, 30), -1);
});
