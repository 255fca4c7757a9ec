// lore's evaluation data as Loupe eval input. lore (MIT, © BYK) published two real OpenCode sessions
// with 20 depth-bucketed questions, reference answers, and its own graded answers per question. The
// data is read in place from `../shared/corpus/lore-eval/` (never copied into this repository: see
// ../shared/corpus/README.md); without it `loreDataset` and `loreOwnScores` return null.
//
// ── lore's session format ─────────────────────────────────────────────────────────────────────
// `sessions/<label>.json` = {session_id, label, project_path, stats, messages}. Each message is
// {index, role: 'user'|'assistant', content: string, tokens, timestamp (epoch ms)}: lore flattened
// an OpenCode message's parts into one string, one part after another separated by "\n":
//   - a text part as is;
//   - a reasoning part as `[reasoning] <text>`;
//   - a tool part as `[tool:<name>] <output>`: the tool's OUTPUT only (OpenCode `state.output`).
// Markers only ever start a line, and in every assistant message of both sessions the parts come
// in OpenCode's step order: reasoning?, text?, tools* (checked by the unit test, which also checks
// that the parts join back to the exact content).
//
// What the flattening lost, and what the conversion therefore cannot restore:
//   - Tool INPUTS: no bash command, no edit's old/new strings, no grep pattern. An input is
//     rebuilt only from what its own output shows: the file a `read` printed (`<path>…</path>`),
//     the file an edit/write's "LSP errors detected in this file" block names, the list a
//     `todowrite` echoes back. Every other call has the input `{}`. Nothing is invented.
//   - Where a reasoning part ends and the following text part begins (both are free text joined
//     by "\n"). The two are kept together as one assistant text block (not a thinking block,
//     which would hide the text part from the context like Claude Code's dropped thinking).
//   - API usage: `tokens` is lore's size estimate of the content, not what the model was billed,
//     so the lines carry no `usage` (Loupe's context fill reads 0 for these sessions).
//   - Error status of a tool: no result is marked `is_error`.
//   - lore's own `recall` tool: its output reads "[recall results stripped for eval]" (lore's doing).
//
// ── Claude Code shape (FORMATS.md §a) ─────────────────────────────────────────────────────────
// One user line per user message (content: the text). Per assistant message: one assistant line
// per content block (text, then one tool_use per tool part), all sharing one message.id, then one
// user line per tool part with its tool_result. Lines form one parentUuid chain; every line of a
// message carries its timestamp. sessionId is a UUID (v5 shape) hashed from lore's session id.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

// ── lore's files ──────────────────────────────────────────────────────────────────────────────

export interface LoreMessage {
  index: number;
  role: 'user' | 'assistant';
  content: string;
  tokens: number;
  timestamp: number;
}

export interface LoreSession {
  session_id: string;
  label: string;
  project_path: string;
  stats: { total_messages: number; user_messages: number; assistant_messages: number; total_tokens: number; first_message: string; last_message: string };
  messages: LoreMessage[];
}

interface LoreSessionQuestion {
  session_file: string;
  session_label: string;
  question_type: string;
  question: string;
  answer: string;
  message_index: number;
  cumulative_tokens: number;
}

interface LoreMemoryQuestion {
  session_id: string;
  session_label: string;
  question: string;
  answer: string;
  question_type: string;
  message_index: number;
}

interface LoreResult {
  session_label: string;
  question_type: string;
  question: string;
  answer: string;
  hypothesis: string;
  mode: string;
  label: boolean;
}

/** Where lore's data is, relative to the repository root. */
export function loreDir(repoRoot: string): string {
  return join(repoRoot, '..', 'shared', 'corpus', 'lore-eval');
}

// ── parts ─────────────────────────────────────────────────────────────────────────────────────

/** `space`: whether a space followed the marker (lore trimmed it off an empty part at the very end). */
export type LorePart =
  | { kind: 'text'; text: string }
  | { kind: 'reasoning'; text: string; space: boolean }
  | { kind: 'tool'; tool: string; output: string; space: boolean };

const MARKER = /^\[(reasoning|tool:([^\]\s]+))\] ?/gm;

/**
 * The parts of a flattened message, in order. `joinLoreParts` is its exact inverse on this data
 * (the unit test checks every message), so no character is lost.
 */
export function loreParts(content: string): LorePart[] {
  const marks = [...content.matchAll(MARKER)];
  const parts: LorePart[] = [];
  const first = marks[0]?.index ?? content.length;
  // The separator before the next part is the "\n" that ends this one.
  const body = (from: number, to: number) => content.slice(from, to < content.length ? to - 1 : to);
  if (first > 0 || marks.length === 0) parts.push({ kind: 'text', text: body(0, first) });
  marks.forEach((m, i) => {
    const start = m.index + m[0].length;
    const end = marks[i + 1]?.index ?? content.length;
    const text = body(start, end);
    const space = m[0].endsWith(' ');
    parts.push(m[1] === 'reasoning' ? { kind: 'reasoning', text, space } : { kind: 'tool', tool: m[2]!, output: text, space });
  });
  return parts;
}

/** The content lore wrote for these parts (the unit test uses it to prove the split lossless). */
export function joinLoreParts(parts: readonly LorePart[]): string {
  return parts
    .map((p) => {
      if (p.kind === 'text') return p.text;
      const sp = p.space ? ' ' : '';
      return p.kind === 'reasoning' ? `[reasoning]${sp}${p.text}` : `[tool:${p.tool}]${sp}${p.output}`;
    })
    .join('\n');
}

// ── tools ─────────────────────────────────────────────────────────────────────────────────────

/** OpenCode's built-in tools under their Claude Code names. Others (MCP tools, lore's `recall`) keep theirs. */
const TOOL_NAMES: Record<string, string> = {
  bash: 'Bash',
  read: 'Read',
  edit: 'Edit',
  write: 'Write',
  grep: 'Grep',
  glob: 'Glob',
  todowrite: 'TodoWrite',
  webfetch: 'WebFetch',
  task: 'Task',
  question: 'AskUserQuestion',
  skill: 'Skill',
};

const READ_PATH = /^<path>([^<\n]+)<\/path>/;
const LSP_THIS_FILE = /LSP errors detected in this file, please fix:\n<diagnostics file="([^"\n]+)">/;

/** A tool part as a Claude Code call: its name, and the input its output shows (see the header). */
export function loreToolCall(tool: string, output: string): { name: string; input: Record<string, unknown> } {
  const name = TOOL_NAMES[tool] ?? tool;
  const input: Record<string, unknown> = {};
  if (tool === 'read') {
    const path = READ_PATH.exec(output)?.[1];
    if (path !== undefined) input.file_path = path;
  } else if (tool === 'edit' || tool === 'write') {
    const path = LSP_THIS_FILE.exec(output)?.[1];
    if (path !== undefined) input.file_path = path;
  } else if (tool === 'todowrite') {
    try {
      const todos: unknown = JSON.parse(output);
      if (Array.isArray(todos)) input.todos = todos;
    } catch {
      // not a list: the call keeps an empty input, the output keeps the text
    }
  }
  return { name, input };
}

// ── conversion ────────────────────────────────────────────────────────────────────────────────

function hex(text: string, algorithm = 'sha1'): string {
  return createHash(algorithm).update(text).digest('hex');
}

/** A UUID-shaped string (version 5 and variant bits set) from a hash of `name`. */
function uuidFrom(name: string): string {
  const h = hex(name).slice(0, 32).split('');
  h[12] = '5';
  h[16] = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

/** Loupe's session id for a lore session: deterministic, UUID-shaped. */
export function loreSessionId(loreId: string): string {
  return uuidFrom(`lore-eval:${loreId}`);
}

/** The text blocks of an assistant message: reasoning and text parts as they come. */
function assistantText(part: LorePart): string | undefined {
  if (part.kind === 'text') return part.text === '' ? undefined : part.text;
  if (part.kind === 'reasoning') return part.text;
  return undefined;
}

/** One lore session as Claude Code JSONL lines (no trailing newlines). */
export function loreSessionToClaudeJsonl(session: LoreSession): string[] {
  const sessionId = loreSessionId(session.session_id);
  const lines: string[] = [];
  let parent: string | null = null;
  let n = 0;
  const push = (type: 'user' | 'assistant', timestamp: number, fields: Record<string, unknown>): string => {
    const uuid = uuidFrom(`${sessionId}:${n++}`);
    lines.push(
      JSON.stringify({
        type,
        uuid,
        parentUuid: parent,
        isSidechain: false,
        userType: 'external',
        cwd: session.project_path,
        sessionId,
        timestamp: new Date(timestamp).toISOString(),
        ...fields,
      }),
    );
    parent = uuid;
    return uuid;
  };

  for (const m of session.messages) {
    if (m.role === 'user') {
      push('user', m.timestamp, { message: { role: 'user', content: m.content } });
      continue;
    }
    const parts = loreParts(m.content);
    const tools = parts.filter((p): p is Extract<LorePart, { kind: 'tool' }> => p.kind === 'tool');
    const messageId = `msg_lore_${m.index}`;
    const requestId = `req_lore_${hex(session.session_id).slice(0, 8)}_${m.index}`;
    const blocks: Record<string, unknown>[] = [];
    for (const p of parts) {
      const text = assistantText(p);
      if (text !== undefined) blocks.push({ type: 'text', text });
    }
    const calls = tools.map((t, i) => ({ id: `toolu_lore_${m.index}_${i}`, ...loreToolCall(t.tool, t.output), output: t.output }));
    for (const c of calls) blocks.push({ type: 'tool_use', id: c.id, name: c.name, input: c.input });
    if (blocks.length === 0) blocks.push({ type: 'text', text: '' });
    let lastAssistant = '';
    for (const block of blocks) {
      lastAssistant = push('assistant', m.timestamp, {
        requestId,
        message: {
          id: messageId,
          type: 'message',
          role: 'assistant',
          content: [block],
          stop_reason: calls.length > 0 ? 'tool_use' : 'end_turn',
          stop_sequence: null,
        },
      });
    }
    for (const c of calls) {
      push('user', m.timestamp, {
        sourceToolAssistantUUID: lastAssistant,
        message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: c.id, content: c.output }] },
      });
    }
  }
  return lines;
}

/**
 * Every piece of text the converted lines hold, one string per piece: user prompts, assistant
 * text, tool calls as `<name> <input JSON>`, tool outputs. What a literal is checked against.
 */
export function convertedTexts(lines: readonly string[]): { text: string; where: 'prompt' | 'assistant' | 'tool' }[] {
  const out: { text: string; where: 'prompt' | 'assistant' | 'tool' }[] = [];
  for (const line of lines) {
    const rec = JSON.parse(line) as { type: string; message: { content: unknown } };
    const content = rec.message.content;
    if (typeof content === 'string') {
      out.push({ text: content, where: rec.type === 'user' ? 'prompt' : 'assistant' });
      continue;
    }
    for (const b of content as Record<string, unknown>[]) {
      if (b.type === 'text') out.push({ text: String(b.text), where: 'assistant' });
      else if (b.type === 'tool_use') out.push({ text: `${String(b.name)} ${JSON.stringify(b.input)}`, where: 'tool' });
      else if (b.type === 'tool_result') out.push({ text: String(b.content), where: 'tool' });
    }
  }
  return out;
}

// ── literals ──────────────────────────────────────────────────────────────────────────────────
//
// A question's literals are the strings a compacted context must contain for a reader to give the
// reference answer: the specific, checkable parts of it, not its wording. The rule, applied to the
// reference answer:
//   1. Every quoted span ('…', "…", `…`) is one literal, as quoted (a commit message, a key name).
//   2. Outside quotes, a whitespace-separated token (stripped of surrounding punctuation) is a
//      literal when it looks like something a reader could not paraphrase:
//        - it contains a digit (a version, a SHA, #292, 49.20%, a line number, CLI-8C), except a
//          bare number below 100: "5" or "33" occurs by chance in any long text;
//        - it contains `/`, `_`, `()`, or a `.` between word characters (paths, URLs, Date.now());
//        - it is camelCase or PascalCase with an inner capital (ResolutionError, getIssueInOrg);
//        - it is an all-capital word of four or more letters (GHCR, ORAS; CLI, PR, SDK, DSN are
//          too common to single out a fact);
//        - it is a hyphenated lowercase identifier (nightly-version, build-binary) or a command
//          line flag (--clobber).
//      A number followed by a word ("7 failures", "286 insertions") is also taken with that word:
//      the count of something is the fact, the bare number (unless ≥ 100) is not. Small words
//      (was, and, of …) do not count as the word.
//   3. A literal is checked against the converted session's text (whitespace collapsed, case
//      ignored, as the eval's scorer matches): one that does not occur cannot be kept by any
//      compaction and is dropped (the answer paraphrased the session).
//   4. A literal contained in another kept literal of the same question is dropped (redundant).
// Where the rule picks a useless literal or misses the one that matters, OVERRIDES below says so.

const MIN_BARE_NUMBER = 100;

function stripToken(token: string): string {
  let t = token;
  for (;;) {
    const before = t;
    t = t.replace(/^[([{*]+/, '').replace(/[.,;:!?*]+$/, '');
    const opens = (t.match(/\(/g) ?? []).length;
    const closes = (t.match(/\)/g) ?? []).length;
    if (t.endsWith(')') && closes > opens) t = t.slice(0, -1);
    if (t.endsWith(']') && !t.includes('[')) t = t.slice(0, -1);
    if (t === before) return t;
  }
}

function literalToken(t: string): boolean {
  if (t === '') return false;
  if (/^\d+$/.test(t)) return Number(t) >= MIN_BARE_NUMBER;
  if (/\d/.test(t)) return true;
  if (/[/_]/.test(t) || t.includes('()') || /\w\.\w/.test(t)) return true;
  if (/[a-z][A-Z]/.test(t)) return true;
  if (/^[A-Z]{4,}s?$/.test(t)) return true;
  return /^[a-z]+(?:-[a-z]+)+$/.test(t) || /^--?[a-z][a-z0-9-]*$/.test(t);
}

const SMALL_WORDS = new Set(['a', 'an', 'and', 'at', 'by', 'for', 'in', 'is', 'of', 'on', 'or', 'the', 'to', 'was', 'were', 'with']);

const QUOTED = [/(?<![\w])'([^'\n]+?)'(?![\w])/g, /"([^"\n]+)"/g, /`([^`\n]+)`/g];

/** Steps 1 and 2 of the rule: the candidate literals of an answer, in order of appearance. */
export function answerCandidates(answer: string): string[] {
  const found: { at: number; text: string }[] = [];
  let rest = answer;
  for (const re of QUOTED) {
    for (const m of rest.matchAll(re)) found.push({ at: m.index, text: m[1]! });
    // Blank out the quoted spans (same length) so their words are not taken again as tokens.
    rest = rest.replace(re, (s) => ' '.repeat(s.length));
  }
  for (const m of rest.matchAll(/\S+/g)) {
    const t = stripToken(m[0]);
    if (literalToken(t)) found.push({ at: m.index, text: t });
  }
  for (const m of rest.matchAll(/(?<=^|\s)(\d+) ([A-Za-z]+)(?=[\s.,;:)]|$)/g)) {
    if (!SMALL_WORDS.has(m[2]!.toLowerCase())) found.push({ at: m.index, text: `${m[1]} ${m[2]}` });
  }
  const out: string[] = [];
  for (const f of found.sort((a, b) => a.at - b.at)) if (!out.includes(f.text)) out.push(f.text);
  return out;
}

/** How the eval's scorer compares text: whitespace runs as one space, case ignored. */
export function normalizeLiteral(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

interface Override {
  /** Literals the rule missed, added as written (each must occur in the session). */
  add?: string[];
  /** Literals the rule picked that say nothing a reader needs. */
  remove?: string[];
  why: string;
}

/**
 * Hand review of the rule's output, by question id. Every entry says why; every added literal was
 * checked to occur in the session text (the unit test fails if one does not).
 */
export const OVERRIDES: Record<string, Override> = {
  'lore-q01': {
    add: ['Occurrences**: 33', 'Users Impacted**: 5'],
    why: 'The answer paraphrases the counts ("33 occurrences", "5 users", dropped: not in the session). They occur only in the Sentry issue tool output, as label and number: kept as written there.',
  },
  'lore-q03': {
    add: ['skip Part 4'],
    why: 'The rule finds only "1+2+3"; what was skipped is half the answer, written in the user\'s answer to the question tool: "Part 1+2+3 (skip Part 4)".',
  },
  'lore-q04': {
    remove: ['4 test'],
    why: '"4 test" is a fragment of "4 test files" (the session says "4 other test files") that also matches "14 tests"; the four paths carry the fact.',
  },
  'lore-q05': {
    add: ['12 files changed'],
    why: '"12 files" also matches "112 files"; git\'s own wording is more specific.',
  },
  'lore-q06': {
    remove: ['404'],
    why: '"404" occurs 104 times in 44 messages of this session (every not-found test): it says nothing about Step 4.',
  },
  'lore-q07': {
    remove: ['1-3'],
    add: ['#293 was merged'],
    why: '"1-3" (the answer\'s "Parts 1-3") occurs only in unrelated line ranges; the session writes "Part 1–3" with an en dash. The merge is the second half of the question: "PR #293 was merged!" is how the session says it.',
  },
  'lore-q08': {
    remove: ['subdomain-style'],
    why: 'A description (25 occurrences), not the missing format: the URL literal carries it.',
  },
  'lore-q09': {
    add: ['issue_id: Number(issueId)'],
    why: 'The fix as written in the session; it contains "Number(issueId)" and "issue_id", which then drop as redundant.',
  },
  'lore-q11': {
    remove: ['key-value', 'stable'],
    add: ['no schema migration needed', '"stable"'],
    why: '"key-value" describes the table; "stable" occurs 275 times in 90 messages. The default is written `"stable"` in the plan, and why no migration was needed is the question\'s second half.',
  },
  'lore-q12': {
    remove: ['nightly'],
    why: '"nightly" occurs 2,716 times in this session: it cannot tell whether the fact was kept.',
  },
  'lore-q13': {
    add: ['10 files changed'],
    why: '"10 files" also matches "110 files"; git\'s own wording is more specific.',
  },
  'lore-q14': {
    remove: ['E2E'],
    why: 'An acronym in the name of a CI job mentioned in 55 messages; the two job names and the condition carry the cascade.',
  },
  'lore-q18': {
    add: ['HTTP 422', 'Cannot upload assets to an immutable release'],
    why: 'The rule splits "HTTP 422:" into "HTTP" and "422", both everywhere in CI logs; the error is the status with its message.',
  },
  'lore-q19': {
    remove: ['GitHub'],
    why: 'A brand name with an inner capital, 2,307 occurrences: not the replacement method.',
  },
};

// ── the dataset ───────────────────────────────────────────────────────────────────────────────

export type Position = 'early' | 'middle' | 'late';

export interface LoreQuestion {
  /** `lore-q01` … in the order of coding_session_eval.json. */
  id: string;
  sessionLabel: string;
  /** Loupe's session id of the converted session. */
  sessionId: string;
  /** lore's question_type: early-detail, mid-detail, late-detail, step4-recall. */
  type: string;
  question: string;
  answer: string;
  literals: string[];
  /** By cumulative_tokens over the session's total tokens, in thirds. */
  position: Position;
  messageIndex: number;
  cumulativeTokens: number;
  /** Candidates dropped because they do not occur in the session (rule step 3). */
  dropped: string[];
  /** What the override table changed, if anything. */
  override?: Override;
  /** Whether every literal occurs only in tool calls and outputs (never in a prompt or assistant text). */
  toolOnly: boolean;
}

export interface LoreSessionData {
  label: string;
  /** lore's id (`ses_…`). */
  loreSessionId: string;
  /** Loupe's (UUID-shaped) id, the name of the JSONL file. */
  sessionId: string;
  cwd: string;
  messages: number;
  userMessages: number;
  assistantMessages: number;
  /** lore's token total (its estimate of the content, stats.total_tokens). */
  tokens: number;
  /** Tool parts in lore's messages, hence tool_use/tool_result pairs in the lines. */
  toolCalls: number;
  lines: string[];
  /** The lore session as read (for checks against the original). */
  source: LoreSession;
}

export interface LoreDataset {
  dir: string;
  sessions: LoreSessionData[];
  questions: LoreQuestion[];
  /** Question files (or parts of them) left out, and why. */
  excluded: { file: string; questions: number; reason: string }[];
}

export function positionOf(cumulativeTokens: number, totalTokens: number): Position {
  const share = cumulativeTokens / totalTokens;
  return share < 1 / 3 ? 'early' : share < 2 / 3 ? 'middle' : 'late';
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Literals of one answer against one session's text pieces: steps 3 and 4, then the override. */
export function chooseLiterals(
  answer: string,
  texts: readonly { text: string; where: string }[],
  override?: Override,
): { literals: string[]; dropped: string[]; toolOnly: boolean } {
  const pieces = texts.map((t) => ({ text: normalizeLiteral(t.text), where: t.where }));
  const occurs = (lit: string) => pieces.some((p) => p.text.includes(normalizeLiteral(lit)));
  const candidates = answerCandidates(answer).filter((c) => !(override?.remove ?? []).includes(c));
  const all = [...candidates, ...(override?.add ?? []).filter((a) => !candidates.includes(a))];
  const dropped = all.filter((c) => !occurs(c));
  const occurring = all.filter((c) => occurs(c));
  const kept = occurring.filter((c) => !occurring.some((o) => o !== c && normalizeLiteral(o).includes(normalizeLiteral(c))));
  const toolOnly = kept.length > 0 && kept.every((lit) => pieces.every((p) => p.where === 'tool' || !p.text.includes(normalizeLiteral(lit))));
  return { literals: kept, dropped, toolOnly };
}

/** lore's sessions converted, and its session questions with their literals; null without the data. */
export function loreDataset(repoRoot: string): LoreDataset | null {
  const dir = loreDir(repoRoot);
  if (!existsSync(join(dir, 'coding_session_eval.json'))) return null;
  const sessions: LoreSessionData[] = readdirSync(join(dir, 'sessions'))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const source = readJson<LoreSession>(join(dir, 'sessions', f));
      const lines = loreSessionToClaudeJsonl(source);
      return {
        label: source.label,
        loreSessionId: source.session_id,
        sessionId: loreSessionId(source.session_id),
        cwd: source.project_path,
        messages: source.messages.length,
        userMessages: source.messages.filter((m) => m.role === 'user').length,
        assistantMessages: source.messages.filter((m) => m.role === 'assistant').length,
        tokens: source.messages.reduce((s, m) => s + m.tokens, 0),
        toolCalls: source.messages.reduce((s, m) => s + (m.role === 'assistant' ? loreParts(m.content).filter((p) => p.kind === 'tool').length : 0), 0),
        lines,
        source,
      };
    });
  const byLabel = new Map(sessions.map((s) => [s.label, s]));
  const texts = new Map(sessions.map((s) => [s.label, convertedTexts(s.lines)]));

  const raw = readJson<LoreSessionQuestion[]>(join(dir, 'coding_session_eval.json'));
  const excluded: LoreDataset['excluded'] = [];
  const questions: LoreQuestion[] = [];
  raw.forEach((q, i) => {
    const id = `lore-q${String(i + 1).padStart(2, '0')}`;
    const session = byLabel.get(q.session_label) ?? sessions.find((s) => basename(q.session_file) === `${s.label}.json`);
    if (!session) {
      excluded.push({ file: 'coding_session_eval.json', questions: 1, reason: `${id}: session ${q.session_label} is not in sessions/` });
      return;
    }
    const override = OVERRIDES[id];
    const chosen = chooseLiterals(q.answer, texts.get(session.label)!, override);
    questions.push({
      id,
      sessionLabel: session.label,
      sessionId: session.sessionId,
      type: q.question_type,
      question: q.question,
      answer: q.answer,
      literals: chosen.literals,
      position: positionOf(q.cumulative_tokens, session.tokens),
      messageIndex: q.message_index,
      cumulativeTokens: q.cumulative_tokens,
      dropped: chosen.dropped,
      ...(override ? { override } : {}),
      toolOnly: chosen.toolOnly,
    });
  });

  // The memory eval asks about other sessions (lore's own development, other Sentry CLI work),
  // whose transcripts lore did not publish: without a session there is nothing to compact.
  const memoryPath = join(dir, 'coding_memory_eval.json');
  if (existsSync(memoryPath)) {
    const memory = readJson<LoreMemoryQuestion[]>(memoryPath);
    const ids = new Set(sessions.map((s) => s.loreSessionId));
    const labels = new Set(sessions.map((s) => s.label));
    const orphan = memory.filter((q) => !ids.has(q.session_id) && !labels.has(q.session_label));
    if (orphan.length > 0) {
      const names = [...new Set(orphan.map((q) => q.session_label))].join(', ');
      excluded.push({ file: 'coding_memory_eval.json', questions: orphan.length, reason: `asks about sessions lore did not publish (${names})` });
    }
    if (orphan.length < memory.length) throw new Error('coding_memory_eval.json now asks about a published session: include those questions');
  }
  return { dir, sessions, questions, excluded };
}

/** Writes the converted sessions under `<root>/projects/<encoded cwd>/<sessionId>.jsonl`, Claude Code's layout. */
export function writeLoreSessions(root: string, dataset: LoreDataset): string[] {
  return dataset.sessions.map((s) => {
    const folder = join(root, 'projects', s.cwd.replace(/[^a-zA-Z0-9]/g, '-'));
    mkdirSync(folder, { recursive: true });
    const file = join(folder, `${s.sessionId}.jsonl`);
    writeFileSync(file, s.lines.map((l) => `${l}\n`).join(''));
    return file;
  });
}

// ── lore's own results ────────────────────────────────────────────────────────────────────────

export interface LoreScore {
  /** The results file, e.g. session_eval_v3.jsonl. */
  file: string;
  /** Which question set: `session` (these two sessions) or `coding` (the memory eval's). */
  eval: string;
  /** Run version from the file name (v1, v2, v3). */
  version: string;
  /** `lore` (lore's context management) or `default` (OpenCode's own compaction), as lore labels them. */
  mode: string;
  correct: number;
  total: number;
  accuracy: number;
  /** Per question (lore's question text), whether lore's grader marked the answer right. */
  labels: { question: string; label: boolean }[];
}

/** lore's published figures: accuracy = labels true / answers, per results file and mode. Null without the data. */
export function loreOwnScores(repoRoot: string = process.cwd()): LoreScore[] | null {
  const dir = join(loreDir(repoRoot), 'results');
  if (!existsSync(dir)) return null;
  const scores: LoreScore[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    const rows = readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as LoreResult);
    const m = /^(.*)_eval_(v\d+)\.jsonl$/.exec(file);
    for (const mode of [...new Set(rows.map((r) => r.mode))].sort()) {
      const mine = rows.filter((r) => r.mode === mode);
      const correct = mine.filter((r) => r.label === true).length;
      scores.push({
        file,
        eval: m?.[1] ?? file,
        version: m?.[2] ?? '',
        mode,
        correct,
        total: mine.length,
        accuracy: correct / mine.length,
        labels: mine.map((r) => ({ question: r.question, label: r.label === true })),
      });
    }
  }
  return scores;
}
