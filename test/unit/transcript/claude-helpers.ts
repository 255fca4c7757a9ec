// Shared by the Claude Code parser tests: where the fixtures are, and a fixture parsed the way
// ingest parses a file (complete lines only, each line on its own).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { LineIssue, ParsedEvent, SessionFacts } from '../../../src/core/model';
import { type RawLine, splitCompleteLines } from '../../../src/core/transcript/jsonl';
import { type ClaudeLineResult, parseClaudeLine } from '../../../src/core/transcript/claude/parse';

/** Tests run from a bundle under out/: find the repository by its package.json. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = up;
  }
  return dir;
}

export const FIXTURES = join(repoRoot(), 'test', 'fixtures', 'claude');

export function fixturePath(name: string): string {
  return join(FIXTURES, name);
}

export interface ParsedFile {
  bytes: Buffer;
  lines: RawLine[];
  results: ClaudeLineResult[];
  events: ParsedEvent[];
  /** Facts of all lines, later lines winning, as the store folds them. */
  facts: SessionFacts;
  issues: LineIssue[];
  endOffset: number;
}

/** `file` names the fixture in sourceRefs, so that results do not depend on the checkout's path. */
export function parseBytes(bytes: Buffer, file: string): ParsedFile {
  const split = splitCompleteLines(bytes, 0, 1);
  const results = split.lines.map((l) => parseClaudeLine(l, file));
  const facts: SessionFacts = {};
  for (const r of results) Object.assign(facts, r.facts);
  return {
    bytes,
    lines: split.lines,
    results,
    events: results.flatMap((r) => r.events),
    facts,
    issues: results.flatMap((r) => (r.issue ? [r.issue] : [])),
    endOffset: split.endOffset,
  };
}

export function parseFixture(name: string): ParsedFile {
  return parseBytes(readFileSync(fixturePath(name)), name);
}

/** A raw line built in memory, for records too large or too odd to keep as fixtures. */
export function rawLine(text: string, line = 1, offset = 0): RawLine {
  return { line, offset, length: Buffer.byteLength(text), text, invalidUtf8: false };
}

export function byUuid(events: ParsedEvent[], uuid: string): ParsedEvent[] {
  return events.filter((e) => e.uuid === uuid);
}

export function only<T>(items: T[], what: string): T {
  if (items.length !== 1) throw new Error(`expected exactly one ${what}, got ${items.length}`);
  return items[0] as T;
}

const tempDirs: string[] = [];

/** A fresh folder for one test; `removeTempDirs` (run it in `after`) deletes them all. */
export function makeTempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-claude-'));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
