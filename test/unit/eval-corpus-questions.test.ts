// The question set for evaluating compaction on the real Claude Code corpus
// (test/eval/corpus-questions.json, loaded by test/eval/corpus.ts) checked against the sessions it
// asks about, read in place from ../shared/corpus. What is measured here (position, frequency,
// where an answer occurs) is measured from the session files, never taken from the data file.
// Skipped, saying so, where ../shared/corpus is absent (a clone outside this setup).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  type CorpusQuestion,
  type PartKind,
  type PlacedQuestion,
  type Position,
  type QuestionSource,
  corpusQuestions,
  locateAnswer,
  placeQuestions,
  positionOf,
  readSessionText,
  sessionText,
} from '../eval/corpus';
import { normalizeForMatch } from '../eval/eval';
import { ingestPaths } from '../../src/core/ingest';
import { openStore, type Store } from '../../src/core/store/store';
import { renderVerbatim } from '../eval/baselines';
import { makeTempDir, removeTempDirs, repoRoot } from './transcript/claude-helpers';

const CORPUS = join(repoRoot(), '..', 'shared', 'corpus');
const questions = corpusQuestions(CORPUS);

/**
 * A literal must occur fewer than this many times in its session. A value a session keeps
 * repeating (a version tag, a deploy URL, the RPC endpoint everything calls) survives any excerpt
 * by chance, so it would measure nothing: at 12 and above, in sessions of 45k–290k characters, a
 * literal recurs every few thousand characters. The set's most frequent literal occurs 11 times.
 */
const MAX_OCCURRENCES = 12;
/** Each of the four sources makes up at least this share of all questions. */
const MIN_SOURCE_SHARE = 0.1;
/** Questions per session: 10–14, and at least 5 where the session is too small for 10. */
const PER_SESSION = { min: 10, max: 14, minSmall: 5 };
/** Sessions below this many characters of verbatim text count as small. */
const SMALL_SESSION_CHARS = 50_000;

const SOURCES: readonly QuestionSource[] = ['prompt', 'assistant', 'tool_output', 'edit'];
const POSITIONS: readonly Position[] = ['early', 'middle', 'late'];
/**
 * The parts a declared source may be carried by: 'assistant' is text the assistant wrote, in its
 * prose or in the input of a (non-edit) tool call, such as a Skill's arguments or a command.
 */
const CARRIERS: Record<QuestionSource, readonly PartKind[]> = {
  prompt: ['prompt'],
  assistant: ['assistant', 'tool_call'],
  tool_output: ['tool_output'],
  edit: ['edit'],
};

function bySession(qs: readonly CorpusQuestion[]): Map<string, CorpusQuestion[]> {
  const m = new Map<string, CorpusQuestion[]>();
  for (const q of qs) m.set(q.repo, [...(m.get(q.repo) ?? []), q]);
  return m;
}

describe('locating an answer in a session', () => {
  const line = (o: unknown) => JSON.stringify(o);
  const jsonl = [
    line({ type: 'user', sessionId: 's1', message: { role: 'user', content: 'set the port to 8443 please' } }),
    line({ type: 'summary', summary: 'not conversation' }),
    'not json {',
    line({
      type: 'assistant',
      sessionId: 's1',
      message: {
        content: [
          { type: 'thinking', thinking: 'hidden' },
          { type: 'text', text: 'Setting `PORT` &amp; restarting.' },
          { type: 'tool_use', id: 't1', name: 'Edit', input: { file_path: '/a/.env', old_string: 'PORT=3000', new_string: 'PORT=8443' } },
        ],
      },
    }),
    line({ type: 'user', sessionId: 's1', message: { content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'ok' }] }] } }),
    line({ type: 'assistant', sessionId: 's1', isSidechain: true, message: { content: [{ type: 'text', text: 'subagent only' }] } }),
  ].join('\n');

  test('the verbatim text holds prompts, assistant text, calls with what edits write, and results, in order', () => {
    const s = sessionText(jsonl);
    assert.deepEqual(s.sessionIds, ['s1']);
    assert.deepEqual(
      s.parts.map((p) => p.kind),
      ['prompt', 'assistant', 'edit', 'tool_output'],
    );
    assert.equal(s.parts[2]!.text, 'Edit /a/.env\n- PORT=3000\n+ PORT=8443');
    assert.ok(!s.text.includes('hidden') && !s.text.includes('not conversation') && !s.text.includes('subagent only'));
  });

  test('matching normalizes as the eval does, and position is the first occurrence in thirds', () => {
    const s = sessionText(jsonl).text;
    const port = locateAnswer(s, 'PORT=8443');
    assert.equal(port.occurrences, 1);
    assert.ok(port.at > 2 / 3, `PORT=8443 first at ${port.at}`);
    assert.equal(locateAnswer(s, 'set the PORT  to 8443').at, 0);
    assert.equal(locateAnswer(s, '`port` & restarting').occurrences, 1);
    assert.equal(locateAnswer(s, '8443').occurrences, 2);
    assert.deepEqual(locateAnswer(s, 'absent'), { occurrences: 0, at: -1 });
    assert.equal(positionOf(0), 'early');
    assert.equal(positionOf(0.5), 'middle');
    assert.equal(positionOf(0.99), 'late');
  });
});

describe('the corpus question set', { skip: questions === null ? `${CORPUS} is absent: the corpus question checks need ../shared/corpus` : false }, () => {
  let qs: readonly CorpusQuestion[];
  let placed: PlacedQuestion[];

  before(() => {
    qs = questions!;
    placed = placeQuestions(CORPUS, qs);
  });

  test('ids are unique and named <repo-short>-<n>; every question has a question, literals and a source', () => {
    const ids = new Set<string>();
    for (const q of qs) {
      assert.match(q.id, /^[a-z0-9]+-\d+$/, q.id);
      assert.ok(!ids.has(q.id), `duplicate id ${q.id}`);
      ids.add(q.id);
      assert.ok(q.question.trim().length > 10, `${q.id}: no question`);
      assert.ok(q.answers.length > 0, `${q.id}: no answers`);
      for (const a of q.answers) assert.ok(normalizeForMatch(a).length >= 4 && !a.includes('\n'), `${q.id}: literal "${a}" is not a short one-line literal`);
      assert.ok(SOURCES.includes(q.source), `${q.id}: source ${q.source}`);
    }
    const prefixes = new Map<string, string>();
    for (const q of qs) {
      const prefix = q.id.replace(/-\d+$/, '');
      assert.equal(prefixes.get(prefix) ?? q.repo, q.repo, `${prefix} names two sessions`);
      prefixes.set(prefix, q.repo);
    }
  });

  test('every session of the corpus has questions, and each question names the sessionId of its file', () => {
    const sessions = bySession(qs);
    assert.equal(sessions.size, 11, `sessions with questions: ${[...sessions.keys()].join(', ')}`);
    for (const [repo, list] of sessions) {
      const ids = readSessionText(CORPUS, repo).sessionIds;
      assert.equal(ids.length, 1, `${repo}: sessionIds ${ids.join(', ')}`);
      for (const q of list) assert.equal(q.sessionId, ids[0], `${q.id}: sessionId`);
    }
  });

  test(`10–14 questions per session (at least ${PER_SESSION.minSmall} in a small one)`, () => {
    for (const [repo, list] of bySession(qs)) {
      const small = readSessionText(CORPUS, repo).text.length < SMALL_SESSION_CHARS;
      assert.ok(list.length >= (small ? PER_SESSION.minSmall : PER_SESSION.min) && list.length <= PER_SESSION.max, `${repo}: ${list.length} questions`);
    }
  });

  test('every literal occurs verbatim (after normalization) in its session', () => {
    const missing = placed.flatMap((q) => q.answers.filter((_, i) => q.located[i]!.occurrences === 0).map((a) => `${q.id}: "${a}"`));
    assert.deepEqual(missing, []);
  });

  test(`no literal is so common that it is kept by chance (fewer than ${MAX_OCCURRENCES} occurrences)`, () => {
    const common = placed.flatMap((q) => q.answers.flatMap((a, i) => (q.located[i]!.occurrences >= MAX_OCCURRENCES ? [`${q.id}: "${a}" ×${q.located[i]!.occurrences}`] : [])));
    assert.deepEqual(common, []);
  });

  test('the first answer occurs in a part of the declared source; a tool_output answer is not repeated in assistant prose', () => {
    const wrong = placed.filter((q) => !q.carriers.some((k) => CARRIERS[q.source].includes(k))).map((q) => `${q.id}: ${q.source}, found in ${q.carriers.join('/')}`);
    assert.deepEqual(wrong, []);
    const repeated = placed.filter((q) => q.source === 'tool_output' && q.carriers.includes('assistant')).map((q) => q.id);
    assert.deepEqual(repeated, []);
  });

  test('per session, measured positions cover early, middle and late', () => {
    const byRepo = new Map<string, Set<Position>>();
    for (const q of placed) byRepo.set(q.repo, (byRepo.get(q.repo) ?? new Set()).add(q.position));
    for (const [repo, positions] of byRepo) assert.deepEqual(POSITIONS.filter((p) => !positions.has(p)), [], `${repo} lacks these thirds`);
  });

  test(`overall, each of the four sources makes up at least ${MIN_SOURCE_SHARE * 100}% of the questions`, () => {
    for (const s of SOURCES) {
      const n = qs.filter((q) => q.source === s).length;
      assert.ok(n / qs.length >= MIN_SOURCE_SHARE, `${s}: ${n} of ${qs.length}`);
    }
  });
});

// Not a check of the question set but of what any compaction can start from: the eval compacts
// stored events, whose text ingest bounds (a tool output keeps its head and tail, calls and prose
// are cut at a limit; see MAX_*_CHARS in src/core/transcript/claude/build.ts). A question whose
// literal was cut away cannot be answered at any budget; the count is reported, not asserted.
describe('the corpus questions against the stored sessions', { skip: questions === null ? `${CORPUS} is absent: the stored-session report needs ../shared/corpus` : false }, () => {
  let store: Store;

  before(async () => {
    store = await openStore(join(makeTempDir(), 'loupe.db'));
    await ingestPaths(store, [join(CORPUS, 'claude-code')]);
  });

  after(() => {
    store?.close();
    removeTempDirs();
  });

  test('how many questions the stored verbatim rendering can answer (reported)', (t) => {
    const rendered = new Map<string, string>();
    for (const s of store.listSessions()) rendered.set(s.id, normalizeForMatch(renderVerbatim(store.events(s.id))));
    const cut = questions!.filter((q) => {
      const text = rendered.get(q.sessionId);
      assert.ok(text !== undefined, `${q.id}: session ${q.sessionId} not ingested`);
      return q.answers.some((a) => !text.includes(normalizeForMatch(a)));
    });
    t.diagnostic(`${questions!.length - cut.length} of ${questions!.length} questions answerable from the stored verbatim rendering; cut away: ${cut.map((q) => q.id).join(', ') || 'none'}`);
  });
});
