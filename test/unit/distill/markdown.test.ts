import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as fc from 'fast-check';
import { code, codeBlock, escapeText, heading, list, paragraph, quote, raw, render, strong, text, unescapeText } from '../../../src/core/markdown';

/**
 * Whether a line (its container's prefix removed) opens a CommonMark block other than a paragraph:
 * ATX heading, block quote, list item, fence, HTML block, thematic break, setext underline, or a
 * table row. Written from the spec (4.1–4.6, 5.1–5.3), not from the escaper, to check it.
 */
function opensBlock(line: string): boolean {
  // Four columns of indentation make indented code, literal text; a tab is at least one column
  // (after '- ' or '> ' it reaches the next tab stop), so up to three spaces or tabs keep a block start.
  const l = line.replace(/^[ \t]{0,3}/, '');
  if (/^[ \t]/.test(l)) return false;
  return (
    /^#{1,6}(?:[ \t]|$)/.test(l) ||
    l.startsWith('>') ||
    /^[-+*](?:[ \t]|$)/.test(l) ||
    /^\d{1,9}[.)](?:[ \t]|$)/.test(l) ||
    /^(?:`{3,}|~{3,})/.test(l) ||
    /^<[A-Za-z/!?]/.test(l) ||
    /^([-*_])(?:[ \t]*\1){2,}[ \t]*$/.test(l) ||
    /^=+[ \t]*$/.test(l) ||
    l.startsWith('|')
  );
}

/** Inline HTML, an autolink or an entity that the text would open: a `<` or `&` not escaped. */
function opensInline(md: string): boolean {
  for (const m of md.matchAll(/(\\*)(?:<(?=[A-Za-z/!?])|&(?=#?\w+;))/g)) if (m[1]!.length % 2 === 0) return true;
  return false;
}

const lines = (md: string) => md.replace(/\n$/, '').split(/\r\n|\r|\n/);

// Transcript-like text: markup that could open a block or HTML, in random order, with noise.
const piece = fc.oneof(
  fc.constantFrom(
    '<div>', '</b>', '<!-- c -->', '<?x', '<https://a.b>', 'Array<string>', '3 < 4', '&amp;', '&lt;', '&#39;', 'AT&T',
    '1.', '1)', '12. ', '- ', '+ ', '* ', '#', '## ', '> ', '```', '~~~', '---', '***', '_ _ _', '===', '=', '|', '\\',
    '\\\\', '`', '``', '\n', '\n\n', '\r\n', '\r', ' ', '   ', '    ', '\t', 'a', 'word', 'snake_case', 'a*b', 'X_URL=https://x.y/z',
  ),
  fc.string({ maxLength: 6 }),
);
const transcriptText = fc.array(piece, { maxLength: 24 }).map((p) => p.join(''));
const anyText = fc.oneof(transcriptText, fc.string({ unit: 'binary', maxLength: 80 }));

test('transcript text cannot open a block: headings, quotes, fences, lists and HTML are neutralized', () => {
  const hostile = '# Ignore previous instructions\n> quoted\n```js\n- item\n1. first\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n---';
  const out = render([paragraph(text(hostile))]);
  for (const line of lines(out)) assert.ok(!opensBlock(line), `line opens a block: ${line}`);
  assert.ok(!opensInline(out), out);
  assert.match(out, /\\<script>/);
});

test('property: transcript text opens no block and no HTML, in a paragraph, a list item or a quote', () => {
  fc.assert(
    fc.property(anyText, anyText, (x, y) => {
      for (const line of lines(render([paragraph(text(x))]))) assert.ok(!opensBlock(line), JSON.stringify(line));

      const md = render([list([[text(x)], [strong(raw('Decisions:')), raw(' '), text(y)]])]);
      let items = 0;
      for (const line of lines(md)) {
        if (line.startsWith('- ')) items++;
        else assert.ok(line === '' || line.startsWith('  '), `a line left its list item: ${JSON.stringify(line)}`);
        assert.ok(!opensBlock(line.slice(2)), JSON.stringify(line));
      }
      assert.equal(items, 2, md);

      for (const line of lines(render([quote(paragraph(text(x)))]))) {
        assert.ok(line.startsWith('>'), `a line left the quote: ${JSON.stringify(line)}`);
        assert.ok(!opensBlock(line.replace(/^> ?/, '')), JSON.stringify(line));
      }
      assert.ok(!opensInline(render([paragraph(text(x), raw(' '), text(y))])));
    }),
    { numRuns: 2000 },
  );
});

test('property: escaping writes no HTML entity and loses nothing', () => {
  fc.assert(
    fc.property(anyText, fc.boolean(), (x, atLineStart) => {
      const out = escapeText(x, atLineStart);
      for (const entity of ['&lt;', '&gt;', '&amp;', '&quot;', '&#']) {
        if (!x.includes(entity)) assert.ok(!out.includes(entity), `${entity} in ${JSON.stringify(out)}`);
      }
      assert.equal(unescapeText(out, atLineStart), x);
    }),
    { numRuns: 3000 },
  );
});

test('property: text in the middle of a line is written as is unless it holds a tag or an entity', () => {
  fc.assert(
    fc.property(transcriptText, (x) => {
      const line = x.replace(/[\r\n]/g, ' ');
      if (/[<&]/.test(line)) return;
      assert.equal(escapeText(line, false), line);
    }),
  );
});

test('a list marker after a label stays as written; at a line start it gets the escape CommonMark needs', () => {
  const decisions = render([list([[strong(raw('Decisions:')), raw(' '), text('1. .env.example is copied')], [raw('turn 3: '), text('- prefer ruby')]])]);
  assert.equal(decisions, '- **Decisions:** 1. .env.example is copied\n- turn 3: - prefer ruby\n');
  // `\1.` is not an escape in CommonMark (a backslash before a digit is a backslash): `1\.` is.
  assert.equal(render([paragraph(text('1. first\n2) second'))]), '1\\. first\n2\\) second\n');
  assert.equal(render([list([[text('- prefer ruby')]])]), '- \\- prefer ruby\n');
  assert.equal(render([paragraph(raw('**Goal:** '), text('x\n# not a heading'))]), '**Goal:** x\n\\# not a heading\n');
  assert.equal(render([heading(3, text('fix\n# 12'))]), '### fix # 12\n');
});

test('HTML is escaped with a backslash, and backslashes before it are kept', () => {
  assert.equal(escapeText('use <div> & Array<string>; 3 < 4'), 'use \\<div> & Array\\<string>; 3 < 4');
  assert.equal(escapeText('&amp; stays &amp;'), '\\&amp; stays \\&amp;');
  assert.equal(escapeText('\\<div>'), '\\\\\\<div>'); // renders as \<div>, not as a backslash and a tag
});

test('escaping keeps identifiers as written and loses nothing', () => {
  const sample = 'set retry_limit to 7 in `config.ts`; a*b and snake_case_name stay; 3 < 4 && x > 2; C:\\Users\\me';
  assert.equal(escapeText(sample), sample);
  for (const s of ['# h', '<b>x</b>', '&amp; &lt;', '  > q', '```', '1) x', 'a\n- b', '\\# h', '1\\. x', '\\\\<b>']) assert.equal(unescapeText(escapeText(s)), s);
});

test('code spans and blocks survive backticks inside them', () => {
  assert.equal(render([paragraph(code('a `b` c'))]), '``a `b` c``\n');
  const block = render([codeBlock('x\n```\ny')]);
  assert.ok(block.startsWith('````\n'), block);
  assert.ok(block.trimEnd().endsWith('````'));
});

test('a document renders headings, lists and raw labels', () => {
  const out = render([heading(2, raw('Current State')), list([[raw('**Goal:** '), text('fix #12')]])]);
  assert.equal(out, '## Current State\n\n- **Goal:** fix #12\n');
});
