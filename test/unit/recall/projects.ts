// Two sessions in two projects that touch files of the same names, as Claude Code JSONL:
//   shop-api (/home/ana/shop-api)
//     turn 1: reads and edits config.toml, after an error naming it   turn 2: edits README.md
//     turn 3: reads src/server.ts, which defines startServerLater past the head the index keeps
//     turn 4: edits src/server.ts and config.toml   turn 5: edits CHANGELOG.md and README.md
//     turns 6-35: read config.toml again
//   weather (/home/ben/weather)
//     turn 1: reads and edits config.toml, after the same error
//     turn 2: edits README.md, reads ~/.config/weather/settings.toml (outside the project)
//     turn 3: edits weather.config.js
import { join } from 'node:path';
import { ingestPaths } from '../../../src/core/ingest';
import { openStore, type Store } from '../../../src/core/store/store';
import { assistant, jsonl, prompt, tempDir, text, toolResult, toolUse, writeFile } from '../helpers';

export const SHOP = { session: '1a2b3c4d-1111-4e8a-9c3b-7a6d5e4f3a21', cwd: '/home/ana/shop-api' };
export const WEATHER = { session: '5e6f7a8b-2222-4c6d-8e7f-8091a2b3c4d5', cwd: '/home/ben/weather' };
/** Later shop-api turns that only read config.toml again: each is far from src/server.ts's symbols. */
const CONFIG_CHECKS = 30;
/** Defined in shop-api's src/server.ts past the head the full-text index keeps: no text names it. */
export const DEEP_SYMBOL = 'startServerLater';

/** Builds one session's lines in `cwd`; `turns` calls say, read and edit (paths relative to cwd, or absolute). */
function sessionLines(project: { session: string; cwd: string }, turns: ((t: Turn) => void)[]): string[] {
  const lines: string[] = [];
  let parent: string | null = null;
  let n = 0;
  const add = (make: (c: { uuid: string; parent: string | null; sessionId: string }) => string) => {
    const uuid = `${project.session.slice(0, 4)}-${++n}`;
    // The helpers write one working folder; each project has its own.
    lines.push(JSON.stringify({ ...JSON.parse(make({ uuid, parent, sessionId: project.session })), cwd: project.cwd }));
    parent = uuid;
  };
  const abs = (file: string) => (file.startsWith('/') ? file : `${project.cwd}/${file}`);
  const turn: Turn = {
    ask: (t) => add((c) => prompt(c, t)),
    say: (t) => add((c) => assistant({ ...c, messageId: `m${n}` }, text(t))),
    read: (file, content) => {
      const id = `r${n}`;
      add((c) => assistant({ ...c, messageId: `m${n}` }, toolUse(id, 'Read', { file_path: abs(file) })));
      add((c) => toolResult(c, id, content, { toolUseResult: { type: 'text', file: { filePath: abs(file), content, numLines: 1, startLine: 1, totalLines: 1 } } }));
    },
    fail: (command, output) => {
      const id = `b${n}`;
      add((c) => assistant({ ...c, messageId: `m${n}` }, toolUse(id, 'Bash', { command })));
      add((c) => toolResult(c, id, output, {}, true));
    },
    edit: (file) => {
      const id = `e${n}`;
      add((c) => assistant({ ...c, messageId: `m${n}` }, toolUse(id, 'Edit', { file_path: abs(file), old_string: 'a', new_string: 'b' })));
      add((c) => toolResult(c, id, `The file ${abs(file)} has been updated.`, { toolUseResult: { filePath: abs(file), oldString: 'a', newString: 'b', structuredPatch: [] } }));
    },
  };
  for (const make of turns) make(turn);
  return lines;
}

interface Turn {
  ask(text: string): void;
  say(text: string): void;
  read(file: string, content: string): void;
  edit(file: string): void;
  /** A command that fails with `output`. */
  fail(command: string, output: string): void;
}

/** An error both projects hit: one error node (errors mean the same everywhere), naming each one's config.toml. */
const PORT_ERROR = 'Error: invalid port in config.toml (expected a number)';

const SERVER_TS = `${'// Boots the HTTP listener once the pool is warm; retries on EADDRINUSE.\n'.repeat(12)}export function ${DEEP_SYMBOL}(port: number) {}\n`;

export function shopLines(): string[] {
  return sessionLines(SHOP, [
    (t) => (t.ask('Set the port to 8080 in config.toml'), t.fail('npm start', PORT_ERROR), t.read('config.toml', 'port = 80\n'), t.edit('config.toml'), t.say('The port is 8080 now.')),
    (t) => (t.ask('Mention the port in README.md'), t.edit('README.md'), t.say('README.md documents the port.')),
    (t) => (t.ask('Check how the server boots'), t.read('src/server.ts', SERVER_TS), t.say('It listens on the configured port.')),
    (t) => (t.ask('Log when the listener is up'), t.edit('src/server.ts'), t.edit('config.toml'), t.say('Logged.')),
    (t) => (t.ask('Tidy the changelog'), t.edit('CHANGELOG.md'), t.edit('README.md'), t.say('Tidied.')),
    ...Array.from({ length: CONFIG_CHECKS }, (_, i) => (t: Turn) => (t.ask(`Is the port still right? (check ${i + 1})`), t.read('config.toml', 'port = 8080\n'))),
  ]);
}

export function weatherLines(): string[] {
  return sessionLines(WEATHER, [
    (t) => (t.ask('Set the API key name in config.toml'), t.fail('npm start', PORT_ERROR), t.read('config.toml', 'key = ""\n'), t.edit('config.toml'), t.say('Done.')),
    (t) => (t.ask('Describe the setup in README.md'), t.edit('README.md'), t.read('/home/ben/.config/weather/settings.toml', 'units = "metric"\n')),
    (t) => (t.ask('Build with weather.config.js'), t.edit('weather.config.js'), t.say('The build reads weather.config.js.')),
  ]);
}

/** Both sessions ingested (and graphed) into a fresh database; weather's is the later one. */
export async function twoProjects(): Promise<{ dir: string; db: string; store: Store }> {
  const dir = tempDir('loupe-projects-');
  writeFile(join(dir, 'projects', '-home-ana-shop-api', `${SHOP.session}.jsonl`), jsonl(shopLines()));
  writeFile(join(dir, 'projects', '-home-ben-weather', `${WEATHER.session}.jsonl`), jsonl(weatherLines()));
  const db = join(dir, 'db', 'loupe.db');
  const store = await openStore(db);
  await ingestPaths(store, [dir], { workerScript: null });
  return { dir, db, store };
}
