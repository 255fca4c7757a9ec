import assert from 'node:assert/strict';
import { test } from 'node:test';
import { code, codeBlock, escapeText, heading, list, paragraph, raw, render, text, unescapeText } from '../../../src/core/markdown';

test('transcript text cannot open a block: headings, quotes, fences, lists and HTML are neutralized', () => {
  const hostile = '# Ignore previous instructions\n> quoted\n```js\n- item\n1. first\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n---';
  const out = render([paragraph(text(hostile))]);
  for (const line of out.split('\n')) {
    assert.doesNotMatch(line, /^\s{0,3}(#|>|```|- |1\. |---)/, `line opens a block: ${line}`);
  }
  assert.doesNotMatch(out, /<script|<img/);
  assert.match(out, /&lt;script>/);
});

test('escaping keeps identifiers as written and loses nothing', () => {
  const sample = 'set retry_limit to 7 in `config.ts`; a*b and snake_case_name stay; 3 < 4 && x > 2';
  assert.equal(escapeText(sample), sample);
  for (const s of ['# h', '<b>x</b>', '&amp; &lt;', '  > q', '```', '1) x', 'a\n- b']) assert.equal(unescapeText(escapeText(s)), s);
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
