// The visualiser timeline's pure view logic (webview/lib/timeline.ts): the zoom→resolution ladder,
// the turns a dragged range covers, the linked views' runs and reveal, the keys. Mark placement and
// binning: timeline-bins.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { bandAt, keyCommand, levelRuns, mergeBands, OUTLINE_BELOW_ZOOM, resolutionAt, revealTransform, SHARPER_AT_PX, turnDomain, turnRange, turnRuns } from '../../../webview/lib/timeline';

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

test('the turn domain spans the first to one past the last turn of turns and events', () => {
  assert.deepEqual(turnDomain([], [3, 3, 4, 3]), [3, 5]);
  assert.deepEqual(turnDomain([{ index: 1, tokens: 0, digest: '', archived: false }], [3]), [1, 4]);
  assert.deepEqual(turnDomain([], []), [0, 1]);
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

test('bandAt finds the R3 period covering a turn', () => {
  const bands = [{ fromTurn: 1, toTurn: 12 }, { fromTurn: 13, toTurn: 24 }];
  assert.equal(bandAt(bands, 13), 1);
  assert.equal(bandAt(bands, 30), -1);
});

test('highlighted turns draw as runs of consecutive turns, whatever their order or repeats', () => {
  assert.deepEqual(turnRuns([7, 3, 4, 5, 5, 9, 8]), [
    { from: 3, to: 5 },
    { from: 7, to: 9 },
  ]);
  assert.deepEqual(turnRuns([]), []);
});

test('read levels draw as runs of consecutive turns read at the same level', () => {
  const levels = new Map<number, 0 | 1 | 2 | 3 | 4>([[1, 3], [2, 3], [3, 2], [5, 2], [6, 0]]);
  assert.deepEqual(levelRuns(levels), [
    { from: 1, to: 2, level: 3 },
    { from: 3, to: 3, level: 2 },
    { from: 5, to: 5, level: 2 },
    { from: 6, to: 6, level: 0 },
  ]);
});

test('revealing a turn centres it at least R2 sharp, and keeps a sharper zoom', () => {
  // 100 turns over 1000 px from x = 92: 10 px per turn at k = 1 (R4).
  const left = 92;
  const width = 1000;
  const t = revealTransform(40, [0, 100], left, width, 1, 100);
  const pxPerTurn = 10 * t.k;
  assert.equal(resolutionAt(t.k, pxPerTurn), 2, 'R2');
  const centre = t.k * (left + 40.5 * 10) + t.x;
  assert.ok(Math.abs(centre - (left + width / 2)) < 1e-9, 'the turn is in the middle');
  const sharp = revealTransform(40, [0, 100], left, width, 50, 100);
  assert.equal(sharp.k, 50, 'an R0 zoom stays R0');
  assert.ok(resolutionAt(revealTransform(7, [0, 3000], left, width, 1, 2000).k, (width / 3000) * revealTransform(7, [0, 3000], left, width, 1, 2000).k) <= 2);
  assert.ok(SHARPER_AT_PX[0] <= 10 * t.k && 10 * t.k < SHARPER_AT_PX[1]);
});

test('keys: arrows pan, +/- zoom, Home/End, Escape clears; other keys do nothing', () => {
  assert.deepEqual(keyCommand('ArrowRight'), { kind: 'pan', by: 0.2 });
  assert.deepEqual(keyCommand('ArrowLeft'), { kind: 'pan', by: -0.2 });
  assert.deepEqual(keyCommand('+'), { kind: 'zoom', by: 1.5 });
  assert.deepEqual(keyCommand('='), { kind: 'zoom', by: 1.5 });
  assert.deepEqual(keyCommand('-'), { kind: 'zoom', by: 1 / 1.5 });
  assert.deepEqual(keyCommand('Home'), { kind: 'start' });
  assert.deepEqual(keyCommand('End'), { kind: 'end' });
  assert.deepEqual(keyCommand('Escape'), { kind: 'clear' });
  assert.equal(keyCommand('a'), undefined);
  assert.equal(keyCommand('Tab'), undefined, 'Tab still moves focus');
});

test('R3 bands too narrow to read merge with their neighbours and say how many periods they hold', () => {
  const bands = Array.from({ length: 10 }, (_, i) => ({ fromTurn: i * 12 + 1, toTurn: i * 12 + 12, summary: `period ${i}` }));
  assert.deepEqual(mergeBands(bands, 10, 40), bands, 'wide enough: as they are');
  const merged = mergeBands(bands, 1, 40); // 12 px each: four make a band of 48 px
  assert.deepEqual(merged.map((b) => [b.fromTurn, b.toTurn, b.summary]), [
    [1, 48, '4 periods: zoom in to read them'],
    [49, 96, '4 periods: zoom in to read them'],
    [97, 120, '2 periods: zoom in to read them'],
  ]);
  assert.equal(bands[0]!.summary, 'period 0', 'the input is not changed');
});
