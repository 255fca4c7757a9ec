// A small realistic session for the recall tests, written as Claude Code JSONL:
//   turn 1: the tests fail with an error thrown in src/pricing/discount.ts; the fix is an edit of
//           src/cart/totals.ts (edited because of an error in another file)
//   turn 2: a later change to src/cart/totals.ts that never names the discount code
//   turn 3: an unrelated README change
//   turn 4: two reads of src/limits/rateLimiter.ts, the first superseded by the second
//   turn 5: identifiers of every shape, in prose
import { join } from 'node:path';
import { ingestPaths } from '../../../src/core/ingest';
import { openStore, type Store } from '../../../src/core/store/store';
import { assistant, CWD, jsonl, PROJECT, prompt, SESSION, tempDir, text, toolResult, toolUse, writeFile } from '../helpers';

export const DISCOUNT_ERROR =
  "TypeError: Cannot read properties of undefined (reading 'rate')\n    at applyDiscount (src/pricing/discount.ts:42:17)\n    at checkout (src/cart/checkout.ts:10:3)";

export function sessionLines(): string[] {
  let n = 0;
  const id = () => `x${++n}`;
  const lines: string[] = [];
  let parent: string | null = null;
  const add = (make: (c: { uuid: string; parent: string | null }) => string) => {
    const uuid = id();
    lines.push(make({ uuid, parent }));
    parent = uuid;
  };
  const say = (t: string) => add((c) => assistant({ ...c, messageId: `m${n}` }, text(t)));
  const call = (toolId: string, name: string, input: Record<string, unknown>) =>
    add((c) => assistant({ ...c, messageId: `m${n}` }, toolUse(toolId, name, input)));
  const result = (toolId: string, content: string, extra: Record<string, unknown> = {}, isError = false) =>
    add((c) => toolResult(c, toolId, content, extra, isError));
  const edit = (toolId: string, file: string, oldString: string, newString: string) => {
    call(toolId, 'Edit', { file_path: `${CWD}/${file}`, old_string: oldString, new_string: newString });
    result(toolId, `The file ${CWD}/${file} has been updated.`, {
      toolUseResult: { filePath: `${CWD}/${file}`, oldString, newString, structuredPatch: [] },
    });
  };
  const read = (toolId: string, file: string, content: string) => {
    call(toolId, 'Read', { file_path: `${CWD}/${file}` });
    result(toolId, content, { toolUseResult: { type: 'text', file: { filePath: `${CWD}/${file}`, content, numLines: 3, startLine: 1, totalLines: 3 } } });
  };

  add((c) => prompt(c, 'Run the test suite'));
  call('t1', 'Bash', { command: 'npm test' });
  result('t1', DISCOUNT_ERROR, {}, true);
  edit('t2', 'src/cart/totals.ts', 'const rate = cart.rate;', 'const rate = cart.pricing?.rate ?? 0;');
  say('The cart passed no pricing object; I now default the rate in totals.');

  add((c) => prompt(c, "Use banker's rounding for the grand total"));
  edit('t3', 'src/cart/totals.ts', 'Math.round(sum)', 'roundHalfEven(sum)');
  say('The grand total now rounds half to even.');

  add((c) => prompt(c, 'Update the README install section'));
  edit('t4', 'README.md', 'npm i', 'npm install --save');
  say('The install section is updated.');

  add((c) => prompt(c, 'Check the rate limiter window'));
  read('t5', 'src/limits/rateLimiter.ts', 'export const windowMs = 1000;\nexport function tokenBucket() {}\n');
  read('t6', 'src/limits/rateLimiter.ts', 'export const windowMs = 2000;\nexport function tokenBucket() {}\n');
  say('The window is 2000 ms.');

  add((c) => prompt(c, 'Where do we read the session cookie?'));
  say('In `getUserName`, which calls parse_cookie_header from lib/http/cookieJar.ts and reads config.sessionTtlSeconds.');
  return lines;
}

export async function recallFixture(): Promise<{ dir: string; db: string; file: string; store: Store }> {
  const dir = tempDir('loupe-recall-');
  const file = writeFile(join(dir, 'projects', PROJECT, `${SESSION}.jsonl`), jsonl(sessionLines()));
  const db = join(dir, 'db', 'loupe.db');
  const store = await openStore(db);
  await ingestPaths(store, [dir], { workerScript: null });
  return { dir, db, file, store };
}

export { SESSION };
