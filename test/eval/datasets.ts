// The eval's data, from more than one source (issue 13): a generator's planted facts are written in
// shapes a compactor can learn, real sessions are not, so every figure is reported per data set.
// Each data set writes (or names) transcripts to ingest and the questions to ask of them; a
// question is answered by a compacted output when all its literal answers occur in it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusQuestions } from './corpus';
import { EVAL2_SESSIONS, generateSession2 } from './generator2';
import { loreDataset, loreDir, loreOwnScores, writeLoreSessions } from './lore';
import { EVAL_SESSIONS, plantedSession, writePlanted } from './planted';

export type Position = 'early' | 'middle' | 'late';
/** Where in the session the answer first occurs. */
export type Where = 'prompt' | 'assistant' | 'tool_output' | 'edit' | 'tool_call' | 'other';

export interface EvalQuestion {
  id: string;
  question: string;
  /** Literals that must all occur in the output. */
  answers: string[];
  /** A superseded value, which must not be what a reader meets last (see score.ts). */
  stale?: string;
  /** A finer class where the data set has one (a planted fact's kind, lore's question type). */
  kind?: string;
}

export interface EvalSession {
  label: string;
  sessionId: string;
  questions: EvalQuestion[];
}

export interface PreparedDataset {
  /** Files or folders to ingest. */
  paths: string[];
  sessions: EvalSession[];
  /** A figure published by someone else for the same questions, printed beside ours. */
  reference?: string;
}

export interface EvalDataset {
  name: string;
  /** `generated` data sets are held to the generator targets, `real` ones to the real targets. */
  kind: 'generated' | 'real';
  description: string;
  /** Writes what it needs under `dir`; a string says why the data set is skipped (data absent). */
  prepare(dir: string, repoRoot: string): PreparedDataset | string;
}

/** Writes JSONL lines as `<dir>/<sessionId>.jsonl`, the way Claude Code names a session's file. */
export function writeSessionFile(dir: string, sessionId: string, lines: readonly string[]): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${sessionId}.jsonl`);
  writeFileSync(path, lines.map((l) => `${l}\n`).join(''));
  return path;
}

/** (a) The first generator (test/eval/planted.ts): facts planted in the shapes it writes. */
export const plantedDataset: EvalDataset = {
  name: 'generator',
  kind: 'generated',
  description: 'test/eval/planted.ts: generated sessions with planted facts (decisions, values, errors, revised values)',
  prepare(dir) {
    const planted = EVAL_SESSIONS.map((o) => plantedSession(o));
    writePlanted(dir, planted);
    return {
      paths: [dir],
      sessions: planted.map((p) => ({
        label: p.label,
        sessionId: p.sessionId,
        questions: p.facts.map((f) => ({ id: f.id, question: f.question, answers: [f.answer], kind: f.kind, ...(f.stale !== undefined ? { stale: f.stale } : {}) })),
      })),
    };
  },
};

/** (b) An independently written generator (generator2/): other domains, voices and fact shapes. */
export const generator2Dataset: EvalDataset = {
  name: 'generator2',
  kind: 'generated',
  description: 'test/eval/generator2: Python/Go/Rust projects, facts in prose, tool output, edits, names, revisions',
  prepare(dir) {
    const sessions = EVAL2_SESSIONS.map((o) => generateSession2(o));
    for (const s of sessions) writeSessionFile(dir, s.sessionId, s.lines);
    return {
      paths: [dir],
      sessions: sessions.map((s) => ({
        label: s.label,
        sessionId: s.sessionId,
        questions: s.facts.map((f) => ({ id: f.id, question: f.question, answers: [f.answer], kind: f.kind, ...(f.stale !== undefined ? { stale: f.stale } : {}) })),
      })),
    };
  },
};

/** (d) lore's evaluation data: two real OpenCode sessions, 20 depth-bucketed questions (lore.ts). */
export const loreEvalDataset: EvalDataset = {
  name: 'lore',
  kind: 'real',
  description: "lore's evaluation data (../shared/corpus/lore-eval): 2 real sessions converted to Claude Code JSONL, 20 questions scored on their key literals",
  prepare(dir, repoRoot) {
    const data = loreDataset(repoRoot);
    if (!data) return `${loreDir(repoRoot)} is absent`;
    writeLoreSessions(dir, data);
    const scores = loreOwnScores(repoRoot) ?? [];
    const session = scores.filter((s) => s.eval === 'session');
    const reference = session.map((s) => `${s.version} ${s.mode} ${s.correct}/${s.total}`).join(', ');
    return {
      paths: [dir],
      sessions: data.sessions.map((s) => ({
        label: s.label,
        sessionId: s.sessionId,
        questions: data.questions.filter((q) => q.sessionLabel === s.label).map((q) => ({ id: q.id, question: q.question, answers: q.literals, kind: q.type })),
      })),
      reference: `lore's own published figure on these questions (answers graded by a model, not by literals; "default" is OpenCode's compaction): ${reference}`,
    };
  },
};

/** (c) The real Claude Code sessions of ../shared/corpus, with questions written by reading them (corpus.ts). */
export const corpusDataset: EvalDataset = {
  name: 'corpus',
  kind: 'real',
  description: '../shared/corpus/claude-code: 11 real sessions from public repositories, questions written by reading them (test/eval/corpus-questions.json)',
  prepare(_dir, repoRoot) {
    const corpusDir = join(repoRoot, '..', 'shared', 'corpus');
    const questions = corpusQuestions(corpusDir);
    if (!questions) return `${corpusDir} is absent`;
    const repos = [...new Set(questions.map((q) => q.repo))];
    return {
      // Read in place, as a user would point Loupe at it: the corpus is never copied.
      paths: [join(corpusDir, 'claude-code')],
      sessions: repos.map((repo) => {
        const mine = questions.filter((q) => q.repo === repo);
        return {
          label: repo.split('__')[1] ?? repo,
          sessionId: mine[0]!.sessionId,
          questions: mine.map((q) => ({ id: q.id, question: q.question, answers: q.answers, kind: q.source })),
        };
      }),
    };
  },
};
