import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildWorkingContext } from '../../../src/core/distill/context';
import type { TurnDigest } from '../../../src/core/distill/digest';

function digest(turn: number, intent: string): TurnDigest {
  return {
    version: 2, turn, eventFrom: turn * 10, eventTo: turn * 10 + 9, startedAt: '', promptId: turn * 10, intent, read: [], edited: [],
    commands: [], otherTools: [], outcome: '', decisions: [], errors: [], facts: [], values: [], subagents: 0,
  };
}

test("a timeline period is labelled by its most informative prompts, not by its first", () => {
  // 60 turns, so that each period holds several; most prompts say nothing new.
  const intents: string[] = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? 'Continue.' : 'Check the tests.'));
  intents[7] = 'Always use pnpm here, never npm: the lockfile is pnpm-lock.yaml.';
  intents[31] = 'Ask Priya before touching the legacy importer.';
  const w = buildWorkingContext(intents.map((intent, i) => digest(i + 1, intent)));
  const labels = w.timeline.map((p) => p.summary).join('\n');
  assert.match(labels, /Always use pnpm here/);
  assert.match(labels, /Ask Priya/);
  const period = w.timeline.find((p) => p.from <= 8 && p.to >= 8)!;
  assert.ok(!period.summary.startsWith('Continue.'), period.summary);
  // A period of one prompt keeps it whole (up to the longer limit).
  const one = buildWorkingContext([digest(1, 'Continue.')]);
  assert.equal(one.timeline[0]!.summary, 'Continue.');
});
