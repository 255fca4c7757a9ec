// Golden files: the whole parse of a fixture, checked in. A change to the parser shows up as a
// diff of the expected JSON in review. `UPDATE_GOLDEN=1` rewrites them after an intended change.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { fixturePath, parseFixture } from './claude-helpers';

const GOLDEN = ['all-records', 'tool-results', 'compact', 'corrupt-middle'];

function golden(name: string): unknown {
  const parsed = parseFixture(`${name}.jsonl`);
  // Per line, so that a diff says which line changed; JSON round trip drops undefined fields.
  const lines = parsed.lines.map((line, i) => ({ line: line.line, ...parsed.results[i] }));
  return JSON.parse(JSON.stringify({ fixture: `${name}.jsonl`, lines })) as unknown;
}

for (const name of GOLDEN) {
  test(`golden: ${name}.jsonl parses to ${name}.expected.json`, () => {
    const actual = golden(name);
    const expectedPath = fixturePath(`${name}.expected.json`);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(expectedPath)) {
      assert.ok(process.env.UPDATE_GOLDEN === '1', `${expectedPath} is missing: run with UPDATE_GOLDEN=1`);
      writeFileSync(expectedPath, `${JSON.stringify(actual, null, 2)}\n`);
      return;
    }
    assert.deepEqual(actual, JSON.parse(readFileSync(expectedPath, 'utf8')));
  });
}
