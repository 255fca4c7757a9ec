// Supersession in assembly: a turn whose only work is reads that a later read or edit of the same
// file replaced keeps its floor (it is never dropped) but yields its sharp level to other turns
// under a tight budget. Two sessions that differ only in whether turn 2's read was superseded.
// (At R1 a superseded read is already a one-line marker; the contest is for R0, the read whole.)
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { assemble, type TurnLevel } from '../../../src/core/assemble/compact';
import { distillSession } from '../../../src/core/distill/units';
import { ingestPaths } from '../../../src/core/ingest';
import { openStore, type Store } from '../../../src/core/store/store';
import { assistant, CWD, jsonl, PROJECT, prompt, SESSION, tempDir, text, toolResult, toolUse, writeFile } from '../helpers';

const LEVELS: TurnLevel[] = ['none', 'R2', 'R1', 'R0'];
const code = (name: string) =>
  Array.from({ length: 24 }, (_, i) => `export function ${name}Step${i}(input: number): number {\n  return input * ${i + 2} + ${i};\n}`).join('\n');
/**
 * Turn 1 reads parser.ts; turn 2 reads config.ts; turn 3 edits config.ts (or, in the control,
 * another file); turns 4-6 only talk, so neither read is in the task's focus (focus reads would be
 * folded at R1): both reads are a placeholder at R1 and whole at R0, and cost the same.
 */
function session(editsConfig: boolean): string[] {
  const lines: string[] = [];
  let parent: string | null = null;
  let n = 0;
  const add = (make: (c: { uuid: string; parent: string | null }) => string) => {
    const uuid = `u${++n}`;
    lines.push(make({ uuid, parent }));
    parent = uuid;
  };
  const read = (id: string, file: string, content: string) => {
    add((c) => assistant({ ...c, messageId: `m${n}` }, toolUse(id, 'Read', { file_path: `${CWD}/${file}` })));
    add((c) => toolResult(c, id, content, { toolUseResult: { type: 'text', file: { filePath: `${CWD}/${file}`, content, numLines: 72, startLine: 1, totalLines: 72 } } }));
  };
  add((c) => prompt(c, 'Show me the parser'));
  read('r1', 'src/parser.ts', code('parse'));
  add((c) => prompt(c, 'Show me the config loader'));
  read('r2', 'src/config.ts', code('config'));
  add((c) => prompt(c, 'Rename the first step'));
  const target = editsConfig ? 'src/config.ts' : 'src/other.ts';
  add((c) => assistant({ ...c, messageId: `m${n}` }, toolUse('e1', 'Edit', { file_path: `${CWD}/${target}`, old_string: 'Step0', new_string: 'First' })));
  add((c) => toolResult(c, 'e1', `The file ${CWD}/${target} has been updated.`, { toolUseResult: { filePath: `${CWD}/${target}`, oldString: 'Step0', newString: 'First', structuredPatch: [] } }));
  add((c) => assistant({ ...c, messageId: `m${n}` }, text('Renamed.')));
  for (const question of ['Anything else to rename?', 'Is the changelog up to date?', 'Thanks, that is all']) {
    add((c) => prompt(c, question));
    add((c) => assistant({ ...c, messageId: `m${n}` }, text('No.')));
  }
  return lines;
}

async function ingested(editsConfig: boolean): Promise<Store> {
  const dir = tempDir('loupe-supersede-');
  writeFile(join(dir, 'projects', PROJECT, `${SESSION}.jsonl`), jsonl(session(editsConfig)));
  const store = await openStore(join(dir, 'db', 'loupe.db'));
  await ingestPaths(store, [dir], { workerScript: null });
  return store;
}

/** For each budget where only one of the two reads is shown whole (at R0), which turn's it is. */
function shownAlone(store: Store): { budget: number; turn: number; levels: TurnLevel[] }[] {
  const d = distillSession(store, SESSION);
  const out = [];
  for (let budget = 600; budget <= 3000; budget += 50) {
    const r = assemble(d, { budget });
    assert.ok(LEVELS.indexOf(r.levels.get(2)!) >= LEVELS.indexOf('R2'), `budget ${budget}: turn 2 keeps its floor`);
    const first = r.markdown.includes('parseStep23(');
    const second = r.markdown.includes('configStep23(');
    if (first !== second) out.push({ budget, turn: first ? 1 : 2, levels: [r.levels.get(1)!, r.levels.get(2)!] });
  }
  return out;
}

test('a turn whose only read was superseded yields its sharp level to an older turn, and is never dropped', async () => {
  const control = await ingested(false);
  const superseded = await ingested(true);
  assert.ok(distillSession(superseded, SESSION).analysis.supersededBy.size === 1, 'turn 3 supersedes turn 2 read');
  // Without supersession the more recent turn 2's read is the one shown whenever only one fits.
  const plain = shownAlone(control);
  assert.ok(plain.length > 0 && plain.every((b) => b.turn === 2), JSON.stringify(plain));
  // With it, turn 1's (an older read nothing replaced) is: turn 2 shows a one-line marker instead.
  const after = shownAlone(superseded);
  assert.ok(after.length > 0 && after.every((b) => b.turn === 1), JSON.stringify(after));
  const shared = plain.map((b) => b.budget).filter((b) => after.some((a) => a.budget === b));
  assert.ok(shared.length > 0, 'some budgets flip from turn 2 to turn 1');
  control.close();
  superseded.close();
});
