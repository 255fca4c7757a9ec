// What in a Claude Code `user` record a person typed, and what Claude Code put there.
//
// Claude Code writes much more than prompts as `user` records: background task notifications
// (74 of one real session's 89 "turns" were `<task-notification>` lines), the output of local
// slash commands, IDE context placed before the prompt in the same message, system reminders.
// A turn starts at a prompt a person typed, so these are told apart here, by the tags Claude
// Code wraps them in: each becomes an event of its own (kind `system`, role `user`, the tag in
// `meta.injected`) that belongs to the turn it arrives in and never becomes a turn's intent.
//
// Only known tags count: a person may well type `<div>` into a prompt.

/** Tags whose whole block Claude Code writes, never the person (seen in the corpus or FORMATS.md). */
const INJECTED_TAGS = new Set([
  'task-notification',
  'local-command-stdout',
  'local-command-stderr',
  'local-command-caveat',
  'system-reminder',
  'ide_opened_file',
  'ide_selection',
  'ide_diagnostics',
  'bash-input',
  'bash-stdout',
  'bash-stderr',
  'user-prompt-submit-hook',
  'tool_use_error',
]);

/** The tags of a slash command's record: `<command-name>/model</command-name>` and its message and args. */
const COMMAND_TAGS = new Set(['command-name', 'command-message', 'command-args', 'command-contents']);

const LEADING_BLOCK = /^\s*<([a-z][a-z0-9_-]*)>([\s\S]*?)<\/\1>/;
const CLOSING_AT_END = /<\/([a-z][a-z0-9_-]*)>\s*$/;

export type UserPart =
  | { type: 'prompt'; text: string }
  /** A slash command the person typed: `text` is the command as typed (`/name args`). */
  | { type: 'command'; text: string; name: string; args: string }
  | { type: 'injected'; tag: string; text: string };

/**
 * Splits the text of one user record into what was injected before the prompt, the prompt (or a
 * slash command), and what was injected after it, in order. Text without injected tags is one
 * `prompt` part; a record that is only injected blocks has no prompt part.
 */
export function splitUserText(text: string): UserPart[] {
  const command = slashCommand(text);
  if (command) return [command];
  const before: UserPart[] = [];
  const after: UserPart[] = [];
  let rest = text;
  for (let m = LEADING_BLOCK.exec(rest); m && INJECTED_TAGS.has(m[1]!); m = LEADING_BLOCK.exec(rest)) {
    before.push({ type: 'injected', tag: m[1]!, text: m[2]!.trim() });
    rest = rest.slice(m[0].length);
  }
  // A block appended to a prompt (a reminder): found from its closing tag back to its opening one,
  // in linear time (a pasted page of HTML must not make this quadratic).
  for (let m = CLOSING_AT_END.exec(rest); m && INJECTED_TAGS.has(m[1]!); m = CLOSING_AT_END.exec(rest)) {
    const start = rest.lastIndexOf(`<${m[1]}>`);
    if (start < 0) break;
    after.unshift({ type: 'injected', tag: m[1]!, text: rest.slice(start + m[1]!.length + 2, m.index).trim() });
    rest = rest.slice(0, start);
  }
  // Untouched when nothing was split off: what a person typed is kept exactly.
  if (before.length === 0 && after.length === 0) return [{ type: 'prompt', text }];
  const prompt = rest.trim();
  return [...before, ...(prompt !== '' ? [{ type: 'prompt' as const, text: rest.replace(/^\s*\n/, '').trimEnd() }] : []), ...after];
}

/** The tag of a text that is one injected block (an `isMeta` caveat, say), if it is one. */
export function injectedTag(text: string): string | undefined {
  const m = LEADING_BLOCK.exec(text);
  return m && (INJECTED_TAGS.has(m[1]!) || COMMAND_TAGS.has(m[1]!)) ? m[1] : undefined;
}

/**
 * A record made only of command tags is a slash command: `/model opus`, `/review the auth flow`.
 * Its typed form replaces the tags, so titles, intents and search see what the person typed.
 */
function slashCommand(text: string): UserPart | undefined {
  if (!text.includes('<command-name>')) return undefined;
  const fields: Record<string, string> = {};
  let rest = text;
  for (let m = LEADING_BLOCK.exec(rest); m && COMMAND_TAGS.has(m[1]!); m = LEADING_BLOCK.exec(rest)) {
    fields[m[1]!] = m[2]!.trim();
    rest = rest.slice(m[0].length);
  }
  const name = fields['command-name'];
  if (name === undefined || rest.trim() !== '') return undefined;
  const args = fields['command-args'] ?? '';
  const typed = name.startsWith('/') ? name : `/${name}`;
  return { type: 'command', text: args ? `${typed} ${args}` : typed, name: typed, args };
}

/**
 * A system record's text without the tags Claude Code wraps it in (`system/local_command` holds a
 * command or its output): a slash command as typed, one injected block as its content.
 */
export function plainSystemText(text: string): string {
  const parts = splitUserText(text);
  const only = parts.length === 1 ? parts[0]! : undefined;
  return only && only.type !== 'prompt' ? only.text : text;
}
