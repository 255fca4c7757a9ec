// The hover's markdown: transcript content stays inside its code fences, links run only Loupe's commands.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { commandLink, fence, hoverMarkdown, HOVER_EDGE_LINES } from '../../../src/extension/lib/hover';

const base = { eventId: 7, tool: 'Bash', input: 'npm test', output: 'ok', tokens: 3, isError: false, source: '/t.jsonl:4' };

test('no transcript text can close the fence that holds it', () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('`', 'a', '\n', '~') }), (text) => {
      const f = fence(text);
      assert.ok(!text.includes(f), `fence ${f} occurs in the text`);
    }),
  );
});

test('the hover shows the tool, the size, the error state and both links', () => {
  const md = hoverMarkdown({ ...base, isError: true, output: 'line\n'.repeat(30) });
  assert.match(md, /\*\*Bash\*\* output `e7` — 31 lines/);
  assert.match(md, /errors: \*\*yes\*\*/);
  assert.ok(md.includes(commandLink('loupe.recall', ['e7'])));
  assert.ok(md.includes(commandLink('loupe.copyEvent', ['e7'])));
  assert.ok(md.includes('more lines'));
});

test('the excerpt keeps the first and last lines of a long output', () => {
  const lines = Array.from({ length: 50 }, (_, i) => `L${i}`);
  const md = hoverMarkdown({ ...base, output: lines.join('\n') });
  for (let i = 0; i < HOVER_EDGE_LINES; i++) assert.ok(md.includes(`L${i}\n`));
  assert.ok(md.includes('L49'));
  assert.ok(!md.includes('L25\n'));
});

test('a command link carries its argument through markdown and URI parsing', () => {
  const link = commandLink('loupe.recall', ['e12']);
  assert.ok(!/[()\s]/.test(link));
  assert.deepEqual(JSON.parse(decodeURIComponent(link.slice('command:loupe.recall?'.length))), ['e12']);
});

test('a tool name with markdown in it is escaped', () => {
  const md = hoverMarkdown({ ...base, tool: '[x](command:evil)' });
  assert.ok(!md.includes('[x](command:evil)'));
});
