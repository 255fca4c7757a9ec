import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sparkline } from '../../../src/core/stats';

test('sparkline scales to the maximum and keeps the peak of each bucket', () => {
  assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8, 7), '▁▂▃▄▅▆▇█');
  assert.equal(sparkline([0, 7, 0, 0], 2, 7), '█▁');
  assert.equal(sparkline([]), '');
  assert.equal(sparkline(Array.from({ length: 200_000 }, (_, i) => i), 10).length, 10);
});
