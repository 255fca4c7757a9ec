// When the extension runs the forget/retention lifecycle: at most once a day per database, with the
// settings' days (0 turns a rule off), on a clock the test controls.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeGc, GC_INTERVAL_MS, gcDue, gcOptionsFor } from '../../../src/extension/lib/lifecycle';

const NOW = new Date('2026-05-01T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);

test('gc is due when it never ran, and then once a day: not an hour later, a day later yes', () => {
  assert.equal(gcDue(null, NOW), true);
  assert.equal(gcDue(ago(60 * 60 * 1000), NOW), false);
  assert.equal(gcDue(ago(GC_INTERVAL_MS - 1), NOW), false);
  assert.equal(gcDue(ago(GC_INTERVAL_MS), NOW), true);
  assert.equal(gcDue(ago(3 * GC_INTERVAL_MS), NOW), true);
});

test('a last run in the future (a clock set back) or an unreadable one counts as due, so gc is not stuck', () => {
  assert.equal(gcDue(new Date(NOW.getTime() + 5 * GC_INTERVAL_MS), NOW), true);
  assert.equal(gcDue(new Date('not a date'), NOW), true);
});

test('the settings become gc options; 0 turns a rule off (Infinity: never), both off means no gc', () => {
  assert.deepEqual(gcOptionsFor({ forgetAfterDays: 30, retentionDays: 120 }), { forgetAfterDays: 30, retentionDays: 120 });
  assert.deepEqual(gcOptionsFor({ forgetAfterDays: 0, retentionDays: 120 }), { forgetAfterDays: Infinity, retentionDays: 120 });
  assert.deepEqual(gcOptionsFor({ forgetAfterDays: 7, retentionDays: 0 }), { forgetAfterDays: 7, retentionDays: Infinity });
  assert.equal(gcOptionsFor({ forgetAfterDays: 0, retentionDays: 0 }), null);
  assert.equal(gcOptionsFor({ forgetAfterDays: -3, retentionDays: Number.NaN }), null);
});

test('the output line says what was forgotten and pruned, and which rule is off', () => {
  assert.equal(
    describeGc({ forgotten: 2, pruned: 0 }, { forgetAfterDays: 30, retentionDays: Infinity }),
    'lifecycle: forgot 2 digest(s) (forget after 30 days), pruned 0 archived one(s) (retention never)',
  );
});
