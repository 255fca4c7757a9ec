// The real corpus as the parser's referee: 11 Claude Code sessions from public repositories
// (../shared/corpus/claude-code, never copied here), ingested as they are, files named by their
// repositories. Two kinds of check:
//   - rules that hold for any real session, asserted directly (a turn starts at a typed prompt,
//     every result is paired with its call, no session is named after its file);
//   - per-session figures (turns, events off the main line, token totals by kind) against a
//     checked-in golden file, so any change to how a real session reads shows up in review.
//     `UPDATE_GOLDEN=1` rewrites it after an intended change.
// Skipped, saying so, where ../shared/corpus is absent (a clone outside this setup).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ingestPaths, type IngestReport } from '../../../src/core/ingest';
import { openStore, type Store } from '../../../src/core/store/store';
import { fixturePath, makeTempDir, removeTempDirs, repoRoot } from './claude-helpers';

const CORPUS = join(repoRoot(), '..', 'shared', 'corpus', 'claude-code');
const GOLDEN = fixturePath('corpus.expected.json');
const present = existsSync(CORPUS);

/** Text a turn must never start with: the tags of records Claude Code injects as `user` lines. */
const INJECTED_START = /^\s*<(task-notification|local-command-|command-(name|message|args)|system-reminder|ide_|bash-(input|stdout|stderr))/;

interface SessionFigures {
  id: string;
  repo: string;
  title: string;
  cwd: string;
  turns: number;
  events: number;
  offMainLine: number;
  toolCalls: number;
  tokensByKind: Record<string, number>;
}

describe('the real Claude Code corpus', { skip: present ? false : `${CORPUS} is absent: the corpus checks need ../shared/corpus` }, () => {
  let store: Store;
  let report: IngestReport;
  let figures: SessionFigures[];

  before(async () => {
    store = await openStore(join(makeTempDir(), 'loupe.db'));
    report = await ingestPaths(store, [CORPUS]);
    figures = store
      .listSessions()
      .map((s) => {
        const events = store.events(s.id);
        const tokensByKind: Record<string, number> = {};
        for (const e of events) tokensByKind[e.kind] = (tokensByKind[e.kind] ?? 0) + e.tokens;
        return {
          id: s.id,
          repo: s.file.slice(CORPUS.length + 1).split('/')[0] ?? '',
          title: s.title,
          cwd: s.cwd,
          turns: store.turns(s.id).length,
          events: events.length,
          offMainLine: events.filter((e) => !e.mainLine).length,
          toolCalls: events.filter((e) => e.kind === 'tool_call').length,
          tokensByKind: Object.fromEntries(Object.entries(tokensByKind).sort(([a], [b]) => (a < b ? -1 : 1))),
        };
      })
      .sort((a, b) => (a.repo < b.repo ? -1 : a.repo > b.repo ? 1 : 0));
  });
  after(removeTempDirs);

  test('every file is a session of its own, named by the sessionId of its records', () => {
    assert.deepEqual(report.issues, []);
    assert.equal(figures.length, 11);
    assert.equal(new Set(figures.map((f) => f.repo)).size, 11, 'one session per repository');
    for (const f of figures) {
      assert.match(f.id, /^[0-9a-f]{8}-[0-9a-f]{4}-/, `${f.repo}: ${f.id}`);
      const head = readFileSync(join(CORPUS, f.repo, 'claude-session.jsonl'), 'utf8').slice(0, 200_000);
      assert.ok(head.includes(`"sessionId":"${f.id}"`), `${f.repo}: its records name ${f.id}`);
      assert.notEqual(f.cwd, '', `${f.repo} has its cwd`);
    }
  });

  test('every turn starts at a prompt a person typed, never at an injected record', () => {
    for (const f of figures) {
      for (const turn of store.turns(f.id)) {
        const first = store.events(f.id, { turn: turn.index }).find((e) => e.kind === 'user_prompt' && e.mainLine && !e.sidechain);
        assert.ok(first, `${f.repo} turn ${turn.index} has a typed prompt`);
        assert.equal(first.meta.injected, undefined, `${f.repo} turn ${turn.index}`);
        assert.doesNotMatch(turn.prompt, INJECTED_START, `${f.repo} turn ${turn.index}: ${turn.prompt.slice(0, 80)}`);
      }
    }
  });

  test('every tool result is paired with its call and knows its tool', () => {
    for (const f of figures) {
      const unpaired = store.events(f.id).filter((e) => e.kind === 'tool_result' && !e.meta.blockType && (e.parentId === null || !e.toolName));
      assert.deepEqual(unpaired.map((e) => `${e.sourceRef.line}`), [], f.repo);
    }
  });

  test('a Write is shown with what it wrote', () => {
    const writes = figures.flatMap((f) => store.events(f.id).filter((e) => e.kind === 'tool_call' && e.toolName === 'Write'));
    assert.ok(writes.length > 0);
    for (const w of writes) assert.ok(w.text.split('\n').length > 1 || w.textLength > w.text.length, `e${w.id}: ${w.text.slice(0, 60)}`);
  });

  test('per-session figures match the golden file', () => {
    const actual = JSON.parse(JSON.stringify(figures)) as SessionFigures[];
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(GOLDEN)) {
      assert.ok(process.env.UPDATE_GOLDEN === '1', `${GOLDEN} is missing: run with UPDATE_GOLDEN=1`);
      writeFileSync(GOLDEN, `${JSON.stringify(actual, null, 2)}\n`);
      return;
    }
    assert.deepEqual(actual, JSON.parse(readFileSync(GOLDEN, 'utf8')));
  });

  test('only sessions with a real rewind have events off the main line', () => {
    // Read by hand: in Flux and blockchain-dex-events the person sent a prompt, then went back
    // before any answer and sent another under the same parent. No other session rewinds.
    const off = Object.fromEntries(figures.filter((f) => f.offMainLine > 0).map((f) => [f.repo, f.offMainLine]));
    assert.deepEqual(off, { 'YatharthPnwr__Flux': 1, 'sgan0420__blockchain-dex-events': 1 });
  });
});
