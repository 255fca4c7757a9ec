import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { cutMiddle } from '../../../src/core/text';

test('cutMiddle never lengthens a text, so a stored text shorter than its original is exactly a cut one', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 3000 }), fc.integer({ min: 50, max: 2000 }), (text, max) => {
      const out = cutMiddle(text, max);
      if (out.length < text.length) assert.match(out, /characters not stored/);
      else assert.equal(out, text);
    }),
  );
  // Just over the limit: the marker would add more than the cut removes.
  const text = 'x'.repeat(1_250);
  assert.equal(cutMiddle(text, 1_200), text);
  assert.ok(cutMiddle('y'.repeat(5_000), 1_200).length < 1_400);
});
