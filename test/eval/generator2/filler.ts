// The ordinary turns between planted facts: exploring, re-reading, running tests, installing,
// linting, small edits, background jobs, an interruption. They carry most of a session's bulk.
import { gitLog, grepHits, installOutput, lintOutput, logTail, testOutput } from './outputs';
import type { Rng } from './rng';
import type { Step, ToolCall, TurnPlan } from './types';
import { ACKS, PASS_LINES, fill, typed } from './voice';
import type { World } from './world';

export function passedCount(output: string): number {
  let n = 0;
  for (const m of output.matchAll(/(\d+) passed/g)) n += Number(m[1]);
  // go test prints no total: its verbose lines, else its packages.
  return n || output.split('\n').filter((l) => l.startsWith('--- PASS')).length || output.split('\n').filter((l) => l.startsWith('ok  ')).length;
}

function maybeThink(rng: Rng, w: World, about: string): string | undefined {
  if (!rng.chance(0.25)) return undefined;
  return rng.pick([
    `The user wants ${about}. I should look at the relevant code before changing anything.`,
    `Let me think about ${about}. The ${rng.pick(w.d.nouns).toLowerCase()} path is probably involved; checking it first is cheaper than guessing.`,
    `${about}: start from the tests, they tell me what the current behaviour is supposed to be.`,
  ]);
}

export function testTurn(w: World, rng: Rng, prompt?: string): TurnPlan {
  const verbose = rng.chance(0.5);
  const cmd = verbose ? `${w.cmd.test} ${w.d.lang === 'rust' ? '-- --nocapture' : '-v'}` : w.cmd.test;
  const out = testOutput(w.d, rng, { verbose });
  return {
    prompt: prompt ?? typed(rng, rng.pick(['run the tests', 'tests pls', 'does the suite still pass?', 'run the full suite again', 'rerun tests', 'quick test run before i commit'])),
    steps: [
      { kind: 'msg', text: rng.pick(['Running the suite.', 'Running the tests.', undefined]), calls: [w.bash(cmd, out, { description: 'Run the test suite' })] },
      { kind: 'msg', text: fill(rng.pick(PASS_LINES), { n: String(passedCount(out)) }) },
    ],
  };
}

function exploreTurn(w: World, rng: Rng): TurnPlan {
  const topic = rng.pick(w.d.topics);
  const pattern = rng.pick(w.d.greps);
  const hits = grepHits(w.files, pattern);
  const file = rng.chance(0.5) ? w.d.bigFile : rng.pick(w.d.srcFiles);
  const fnNames = [...(w.files[file] ?? '').matchAll(/(?:def|func \(w \*Worker\)|pub fn) (\w+)/g)].map((m) => m[1]!);
  const calls: ToolCall[] = [w.grep(pattern, hits, rng.chance(0.3) ? 'files_with_matches' : 'content')];
  calls.push(w.glob(`**/*.${w.d.lang === 'python' ? 'py' : w.d.lang === 'go' ? 'go' : 'rs'}`, rng.shuffle(Object.keys(w.files))));
  const steps: Step[] = [
    { kind: 'msg', think: maybeThink(rng, w, `an explanation of ${topic}`), text: `Let me find where ${topic} is handled.`, calls },
    { kind: 'msg', calls: [w.read(file)] },
    {
      kind: 'msg',
      text: `${topic.charAt(0).toUpperCase() + topic.slice(1)} is mostly in \`${file}\`. The entry point is \`${rng.pick(fnNames.length ? fnNames : ['main'])}\`, which calls \`${rng.pick(fnNames.length ? fnNames : ['run'])}\`; the ${rng.pick(w.d.nouns).toLowerCase()} handling ${rng.pick(['is spread over three helpers', 'happens before the flush', 'is only reached on the retry path', 'has no test of its own'])}. ${rng.pick(['Nothing looks wrong yet.', 'I would start there if we change it.', 'The grep hits above are the only other callers.'])}`,
    },
  ];
  return { prompt: typed(rng, rng.pick(['where do we handle {t}', 'how does {t} work rn', 'explain {t} to me, short', 'wheres the code for {t}', 'find {t} stuff']), { t: topic }), steps };
}

function rereadTurn(w: World, rng: Rng): TurnPlan {
  const file = w.d.bigFile;
  const noun = rng.pick(w.d.nouns).toLowerCase();
  return {
    prompt: typed(rng, rng.pick(['look at {f} again, the {n} part', 'reread {f} pls, i changed my mind about the {n} bit', 'open {f}, what happens to a {n} there', 'check {f} once more']), { f: file, n: noun }),
    steps: [
      { kind: 'msg', calls: [w.read(file)] },
      { kind: 'msg', text: `In \`${file}\` a ${noun} goes through ${rng.int(2, 5)} steps. ${rng.pick(['None of them drop it silently.', 'The last one can drop it when the cache misses.', 'Only the first step is covered by tests.'])}` },
    ],
  };
}

function editTurn(w: World, rng: Rng): TurnPlan {
  const file = rng.pick(w.d.srcFiles);
  const noun = rng.pick(w.d.nouns).toLowerCase();
  const line =
    w.d.lang === 'python' ? `log.debug("${noun} checkpoint reached")` : w.d.lang === 'go' ? `w.log.Debug().Msg("${noun} checkpoint")` : `debug!("${noun} checkpoint");`;
  const steps: Step[] = [
    { kind: 'msg', text: 'Reading it first.', calls: [w.read(file)] },
    { kind: 'msg', calls: [w.insertAfterSomeLine(file, line, rng)] },
  ];
  if (rng.chance(0.6)) {
    const out = testOutput(w.d, rng, {});
    steps.push({ kind: 'msg', calls: [w.bash(w.cmd.test, out)] }, { kind: 'msg', text: `Added the log line. ${fill(rng.pick(PASS_LINES), { n: String(passedCount(out)) })}` });
  } else steps.push({ kind: 'msg', text: 'Added.' });
  return { prompt: typed(rng, rng.pick(['add a debug log for the {n} in {f}', 'put a log line in {f} so i can see {n}s go by', 'need visibility on {n} in {f}, add logging']), { n: noun, f: file }), steps };
}

function installTurn(w: World, rng: Rng): TurnPlan {
  return {
    prompt: typed(rng, rng.pick(['reinstall deps, something is stale', 'fresh env pls', 'my env is borked, reinstall', 'pull deps again'])),
    steps: [
      { kind: 'msg', calls: [w.bash(w.cmd.install, installOutput(w.d, rng, w.cmd.install), { description: 'Install dependencies' })] },
      { kind: 'msg', text: rng.pick(['Dependencies installed.', 'Done, environment is fresh.', 'Reinstalled; nothing failed.']) },
    ],
  };
}

function lintTurn(w: World, rng: Rng): TurnPlan {
  const out = lintOutput(w.d, rng, w.d.srcFiles);
  return {
    prompt: typed(rng, rng.pick(['lint', 'run the linter', 'any lint?', 'lint before push'])),
    steps: [
      { kind: 'msg', calls: [w.bash(w.cmd.lint, out)] },
      { kind: 'msg', text: out.includes(':') ? 'A few warnings, none new from this branch. Leaving them.' : 'Clean.' },
    ],
  };
}

function gitTurn(w: World, rng: Rng, authors: string[]): TurnPlan {
  const status = [`On branch ${w.d.branch}`, 'Changes not staged for commit:', ...rng.sample(w.d.srcFiles, rng.int(1, 4)).map((f) => `\tmodified:   ${f}`), '', 'no changes added to commit (use "git add" and/or "git commit -a")'].join('\n');
  const subjects = w.d.topics.map((t) => `${rng.pick(['fix', 'tidy', 'rework', 'test'])}: ${t}`);
  return {
    prompt: typed(rng, rng.pick(['whats changed', 'git status + recent log', 'what did we touch so far', 'show me recent commits'])),
    steps: [
      { kind: 'msg', calls: [w.bash('git status', status), w.bash('git log -n 12', gitLog(rng, authors, subjects, 12))] },
      { kind: 'msg', text: `${status.split('\n').filter((l) => l.includes('modified')).length} files modified on \`${w.d.branch}\`; the recent commits are mostly ${rng.pick(w.d.topics)} work.` },
    ],
  };
}

function parallelReadTurn(w: World, rng: Rng): TurnPlan {
  const files = rng.sample([...w.d.srcFiles, ...w.d.testFiles], rng.int(2, 4));
  return {
    prompt: typed(rng, rng.pick(['read {a} and {b}, are they consistent', 'compare {a} with {b}', 'do {a} and {b} agree on the {n} shape?']), { a: files[0]!, b: files[1]!, n: rng.pick(w.d.nouns).toLowerCase() }),
    steps: [
      { kind: 'msg', think: maybeThink(rng, w, 'a comparison of these files'), calls: files.map((f) => w.read(f)) },
      { kind: 'msg', text: `They agree on the ${rng.pick(w.d.nouns).toLowerCase()} shape. ${rng.pick(['One difference: the test file builds it by hand.', 'The only mismatch is naming.', 'No inconsistencies.'])}` },
    ],
  };
}

function backgroundTurn(w: World, rng: Rng): TurnPlan {
  const bg = w.background(`${w.cmd.test} ${w.d.lang === 'go' ? '-count=3 -race' : w.d.lang === 'rust' ? '--release' : '-x --hypothesis-profile=ci'}`, 'Long test run');
  const out = testOutput(w.d, rng, { verbose: true });
  return {
    prompt: typed(rng, rng.pick(['kick off the long test run in the background', 'run the slow suite in bg, tell me when its done', 'start the soak run, dont block on it'])),
    steps: [
      { kind: 'msg', text: 'Started in the background.', calls: [bg.call] },
      { kind: 'notify', taskId: bg.taskId, toolUseId: '', summary: 'Background command "Long test run" completed (exit code 0)', outputFile: bg.outputFile },
      { kind: 'msg', calls: [w.readOutputFile(bg.outputFile, out)] },
      { kind: 'msg', text: `The long run finished: ${passedCount(out)} passed.` },
    ],
  };
}

function interruptedTurn(w: World, rng: Rng): TurnPlan {
  const file = rng.pick(w.d.srcFiles);
  const call = w.write(`${file}.bak`, w.files[file] ?? '');
  delete w.files[`${file}.bak`];
  return {
    prompt: typed(rng, rng.pick(['clean up {f}', 'refactor {f} a bit', 'tidy {f}']), { f: file }),
    steps: [
      { kind: 'msg', think: `A tidy-up of ${file}: keep a copy first so the old version is easy to diff against.`, text: `I'll back up \`${file}\` and then restructure it.` },
      { kind: 'interrupt', call: { ...call, output: '' } },
    ],
  };
}

function logTurn(w: World, rng: Rng): TurnPlan {
  const n = rng.int(150, 320);
  const cmd = w.d.lang === 'python' ? `tail -n ${n} logs/tidewater.log` : w.d.lang === 'go' ? `journalctl -u relayd -n ${n} --no-pager -o cat` : `tail -n ${n} ~/.local/state/grebe/grebe.log`;
  const out = logTail(w.d, rng, n, () => w.fresh(() => String(rng.int(10, 99999))));
  return {
    prompt: typed(rng, rng.pick(['anything weird in the logs?', 'check the logs', 'tail the log, i saw a warning earlier', 'logs pls'])),
    steps: [
      { kind: 'msg', calls: [w.bash(cmd, out)] },
      { kind: 'msg', text: `${out.split('\n').filter((l) => /WARN|warn/.test(l)).length} warnings and ${out.split('\n').filter((l) => /ERROR|"error"/.test(l)).length} errors in the last ${n} lines; ${rng.pick(['the warnings are the usual retries', 'nothing new compared to yesterday', 'the errors are all one endpoint timing out'])}.` },
    ],
  };
}

function todoTurn(w: World, rng: Rng): TurnPlan {
  const items = rng.sample(w.d.topics, 4).map((t, i) => [`Check ${t}`, i === 0 ? 'in_progress' : 'pending'] as [string, 'in_progress' | 'pending']);
  return {
    prompt: typed(rng, rng.pick(['make a plan for the rest of the day', 'what should we do next, list it', 'plan pls'])),
    steps: [{ kind: 'msg', calls: [w.todo(items)] }, { kind: 'msg', text: `Plan: ${items.map(([c]) => c.toLowerCase()).join(', ')}. Starting with the first.` }],
  };
}

function ackTurn(w: World, rng: Rng): TurnPlan {
  return { prompt: rng.pick(ACKS), reminder: rng.chance(0.5) ? 'The task list has not been updated in a while. Update it if it helps; ignore this if not relevant. Do not mention this reminder to the user.' : undefined, steps: [{ kind: 'msg', text: rng.pick(['👍', 'Okay.', 'Noted.', 'Sounds good.']) }] };
}

export type Filler = (w: World, rng: Rng, authors: string[]) => TurnPlan;

/** Filler kinds: weight, and whether the kind is bulky (long reads and outputs). */
export const FILLERS: Array<[number, boolean, Filler]> = [
  [5, true, (w, r) => testTurn(w, r)],
  [5, true, exploreTurn],
  [4, true, rereadTurn],
  [3, true, parallelReadTurn],
  [1, true, backgroundTurn],
  [3, true, logTurn],
  [4, false, editTurn],
  [1, false, installTurn],
  [2, false, lintTurn],
  [2, false, gitTurn],
  [1, false, todoTurn],
  [1, false, ackTurn],
];

export { backgroundTurn, exploreTurn, interruptedTurn, todoTurn };

/** A filler kind; `bulk` restricts the draw to bulky (true) or light (false) kinds. */
export function pickFiller(rng: Rng, bulk?: boolean): Filler {
  const kinds = FILLERS.filter(([, b]) => bulk === undefined || b === bulk);
  const total = kinds.reduce((s, [wt]) => s + wt, 0);
  let x = rng.next() * total;
  for (const [wt, , f] of kinds) {
    x -= wt;
    if (x < 0) return f;
  }
  return kinds[0]![2];
}

/** Characters a planned turn puts in the transcript (prompt, texts, tool inputs and outputs). */
export function turnChars(t: TurnPlan): number {
  let n = t.prompt.length;
  for (const s of t.steps) {
    if (s.kind !== 'msg') continue;
    n += (s.text?.length ?? 0) + (s.think?.length ?? 0);
    for (const c of s.calls ?? []) n += c.output.length + JSON.stringify(c.input).length;
  }
  return n;
}
