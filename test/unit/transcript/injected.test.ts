import assert from 'node:assert/strict';
import { test } from 'node:test';
import { plainSystemText, splitUserText } from '../../../src/core/transcript/claude/injected';

test('a prompt without injected tags is one prompt part, HTML a person typed included', () => {
  assert.deepEqual(splitUserText('Why does <div> overflow?'), [{ type: 'prompt', text: 'Why does <div> overflow?' }]);
  assert.deepEqual(splitUserText('<b>bold</b> is wrong here'), [{ type: 'prompt', text: '<b>bold</b> is wrong here' }]);
});

test('injected blocks before and after the prompt are split off in order', () => {
  assert.deepEqual(
    splitUserText('<ide_selection>lines 3-9 of a.ts</ide_selection>\n<ide_opened_file>a.ts</ide_opened_file>\nRename this\n<system-reminder>todo</system-reminder>'),
    [
      { type: 'injected', tag: 'ide_selection', text: 'lines 3-9 of a.ts' },
      { type: 'injected', tag: 'ide_opened_file', text: 'a.ts' },
      { type: 'prompt', text: 'Rename this' },
      { type: 'injected', tag: 'system-reminder', text: 'todo' },
    ],
  );
  assert.deepEqual(splitUserText('<task-notification><task-id>x</task-id></task-notification>'), [
    { type: 'injected', tag: 'task-notification', text: '<task-id>x</task-id>' },
  ]);
});

test('a slash command becomes what was typed, in either order of its tags', () => {
  assert.deepEqual(splitUserText('<command-name>/model</command-name>\n  <command-message>model</command-message>\n  <command-args></command-args>'), [
    { type: 'command', text: '/model', name: '/model', args: '' },
  ]);
  assert.deepEqual(splitUserText('<command-message>review</command-message>\n<command-name>/review</command-name>\n<command-args>use the <idea> tag</command-args>'), [
    { type: 'command', text: '/review use the <idea> tag', name: '/review', args: 'use the <idea> tag' },
  ]);
  assert.equal(plainSystemText('<local-command-stdout>Session renamed</local-command-stdout>'), 'Session renamed');
  assert.equal(plainSystemText('Conversation compacted'), 'Conversation compacted');
});

test('a long pasted page of HTML ending in a stray closing tag stays the prompt', () => {
  // 400,000 characters: a scan from every tag to the end (quadratic) would stall the suite here.
  const page = '<p>x</p>'.repeat(50_000) + '</system-reminder>';
  assert.deepEqual(splitUserText(page).map((p) => p.type), ['prompt']);
});
