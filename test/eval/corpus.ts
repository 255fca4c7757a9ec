// Questions about the real Claude Code sessions of ../shared/corpus/claude-code, for measuring what
// compaction keeps of a session nobody on this project wrote (issue: "On real Claude Code sessions,
// with questions a developer resuming the work would ask, measure what `compact` keeps at 1/5,
// 1/10, 1/20, 1/50 of the session").
//
// The questions (corpus-questions.json) were written by reading each session whole, as a developer
// picking it up cold: what was decided and why, values set, files changed, commands that worked,
// errors hit, what the user asked for or ruled out, what remains. They were not chosen by looking
// at what any compaction keeps. Each answer is a short literal that occurs verbatim in its session;
// a question is answered when ALL its literals occur in a compacted output (matched after
// normalizeForMatch, as the eval matches planted facts).
//
// The sessions are never copied into this repository (most of their repositories carry no
// licence): they are read in place, and everything about a question that can be measured (its
// position, how often its literals occur) is measured from the session file, not declared.
//
// A session's verbatim text (sessionText): every line of the file JSON-parsed in file order (a line
// that does not parse is skipped, as ingest skips it); of the `user` and `assistant` records that
// are not subagent sidechains, the message content in order:
//   - a string content, and `text` blocks: the text as written;
//   - `tool_use` blocks: the call as ingest renders it (toolCallText: `Bash: <command>`,
//     `Read <path>`, …, the input JSON for other tools; for Write/Edit/MultiEdit/NotebookEdit the
//     text the edit writes on the lines after, Edit's old/new lines prefixed `- `/`+ `);
//   - `tool_result` blocks: their text (toolResultText: text blocks joined, images as a marker).
// Thinking blocks and bookkeeping records (summaries/titles, file snapshots, system records) are
// left out: they never reach the model as conversation, and the eval's verbatim rendering leaves
// them out too. Parts are joined with a blank line. Unlike the stored events, nothing is cut to a
// length limit: the text is the whole session.
//
// A question's position (placeQuestions) is where the first occurrence of its first answer starts,
// as a fraction of the normalized verbatim text's length, in thirds: early, middle, late.
//
// The eval compacts stored events, not this text, and ingest bounds what it stores (a long tool
// output keeps its head and tail; skill bodies are stored as meta and not rendered). Some answers
// are therefore cut away before any compaction runs; the unit test reports how many
// (test/unit/eval-corpus-questions.test.ts), so an eval can tell that ceiling from what it loses.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Json, isObject, str } from '../../src/core/transcript/claude/build';
import { toolCallText, toolResultText } from '../../src/core/transcript/claude/tools';
import { normalizeForMatch } from './eval';
import questionsJson from './corpus-questions.json';

export type QuestionSource = 'prompt' | 'assistant' | 'tool_output' | 'edit';
export type Position = 'early' | 'middle' | 'late';

export interface CorpusQuestion {
  /** Folder under claude-code/ (the repository, owner__name). */
  repo: string;
  /** The sessionId field of the session's records. */
  sessionId: string;
  /** `<repo-short>-<n>`. */
  id: string;
  question: string;
  /** Short literals, each verbatim in the session; the question is answered when all occur. */
  answers: string[];
  /**
   * Where the answer comes from: 'prompt', user-role text (typed or pasted by the user; a few are
   * skill bodies Claude Code injects as user messages, each said so in its note); 'assistant', text
   * the assistant wrote, in prose or in a non-edit tool call's input (a Skill's arguments);
   * 'tool_output', what a command printed or a file read showed, not repeated in assistant prose;
   * 'edit', text a Write/Edit/MultiEdit/NotebookEdit wrote. Checked against the session: the first
   * answer must occur in a part of that kind.
   */
  source: QuestionSource;
  /** Why a developer resuming the session needs it. */
  note?: string;
}

export const CORPUS_QUESTIONS: readonly CorpusQuestion[] = questionsJson as CorpusQuestion[];

/** The session file of a repository folder, relative to the corpus root (../shared/corpus). */
export function sessionPath(corpusDir: string, repo: string): string {
  return join(corpusDir, 'claude-code', repo, 'claude-session.jsonl');
}

/** The questions, or null where the corpus is absent (a clone outside this setup). */
export function corpusQuestions(corpusDir: string): readonly CorpusQuestion[] | null {
  return existsSync(join(corpusDir, 'claude-code')) ? CORPUS_QUESTIONS : null;
}

/** What a part of the verbatim text is: the four question sources, and other tool calls. */
export type PartKind = QuestionSource | 'tool_call';

export interface SessionPart {
  kind: PartKind;
  text: string;
}

export interface SessionText {
  /** Every sessionId the records name (one, for a well-formed session). */
  sessionIds: string[];
  /** The parts in file order: `user` text is 'prompt' (typed, pasted or injected alike). */
  parts: SessionPart[];
  /** The verbatim text: the parts joined with a blank line (see the header). */
  text: string;
}

const EDIT_TOOLS: ReadonlySet<string> = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);

/** A session file's verbatim text, as described in the header. */
export function sessionText(jsonl: string): SessionText {
  const ids = new Set<string>();
  const parts: SessionPart[] = [];
  for (const line of jsonl.split('\n')) {
    if (line.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      continue;
    }
    if (!isObject(record)) continue;
    const id = str(record.sessionId);
    if (id) ids.add(id);
    if ((record.type !== 'user' && record.type !== 'assistant') || record.isSidechain === true) continue;
    const said: PartKind = record.type === 'user' ? 'prompt' : 'assistant';
    const content = isObject(record.message) ? record.message.content : undefined;
    if (typeof content === 'string') {
      parts.push({ kind: said, text: content });
      continue;
    }
    if (!Array.isArray(content)) continue;
    for (const block of content) {
      if (!isObject(block)) continue;
      if (block.type === 'text') parts.push({ kind: said, text: str(block.text) ?? '' });
      else if (block.type === 'tool_use') {
        const name = str(block.name) ?? '?';
        const input: Json = isObject(block.input) ? block.input : {};
        parts.push({ kind: EDIT_TOOLS.has(name) ? 'edit' : 'tool_call', text: toolCallText(name, input) });
      } else if (block.type === 'tool_result') parts.push({ kind: 'tool_output', text: toolResultText(block.content) });
    }
  }
  return { sessionIds: [...ids], parts, text: parts.map((p) => p.text).join('\n\n') };
}

/** A session's verbatim text, read in place from the corpus. */
export function readSessionText(corpusDir: string, repo: string): SessionText {
  return sessionText(readFileSync(sessionPath(corpusDir, repo), 'utf8'));
}

export interface Located {
  /** How many times the literal occurs in the normalized session text (non-overlapping). */
  occurrences: number;
  /** Where its first occurrence starts, as a fraction of the normalized text's length (-1: absent). */
  at: number;
}

/** Where a literal first occurs in a normalized session text, and how often. */
export function locateNormalized(normalizedText: string, literal: string): Located {
  const n = normalizeForMatch(literal);
  if (n === '') return { occurrences: 0, at: -1 };
  const first = normalizedText.indexOf(n);
  if (first < 0) return { occurrences: 0, at: -1 };
  let occurrences = 0;
  for (let i = first; i >= 0; i = normalizedText.indexOf(n, i + n.length)) occurrences++;
  return { occurrences, at: first / normalizedText.length };
}

/** locateNormalized on a session's raw verbatim text (normalized here; prefer locateNormalized in loops). */
export function locateAnswer(sessionText: string, literal: string): Located {
  return locateNormalized(normalizeForMatch(sessionText), literal);
}

export function positionOf(at: number): Position {
  return at < 1 / 3 ? 'early' : at < 2 / 3 ? 'middle' : 'late';
}

export interface PlacedQuestion extends CorpusQuestion {
  /** The third of the session where the first occurrence of its first answer falls. */
  position: Position;
  /** locateNormalized of each answer, in order. */
  located: Located[];
  /** The kinds of the parts its first answer occurs in (the declared source should be one of them). */
  carriers: PartKind[];
}

interface NormalizedSession {
  text: string;
  parts: { kind: PartKind; text: string }[];
}

/** Each question with its measured position, from the session files under corpusDir. */
export function placeQuestions(corpusDir: string, questions: readonly CorpusQuestion[]): PlacedQuestion[] {
  const sessions = new Map<string, NormalizedSession>();
  const session = (repo: string): NormalizedSession => {
    let s = sessions.get(repo);
    if (s === undefined) {
      const read = readSessionText(corpusDir, repo);
      s = { text: normalizeForMatch(read.text), parts: read.parts.map((p) => ({ kind: p.kind, text: normalizeForMatch(p.text) })) };
      sessions.set(repo, s);
    }
    return s;
  };
  return questions.map((q) => {
    const s = session(q.repo);
    const located = q.answers.map((a) => locateNormalized(s.text, a));
    const first = normalizeForMatch(q.answers[0] ?? '');
    const carriers = [...new Set(s.parts.filter((p) => first !== '' && p.text.includes(first)).map((p) => p.kind))];
    return { ...q, located, carriers, position: positionOf(located[0]?.at ?? -1) };
  });
}
