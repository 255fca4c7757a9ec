// Facts whose value lives in tool output or in an edit: a port in a config that was read, a p99 a
// benchmark printed, a version a command printed, a row count a query printed, a value an edit
// set, an error signature hit and then fixed. And the distractor turns of the same shapes.
import type { FactData } from './facts-data';
import { BENCH_FORMATS, benchRow, PORT_FORMATS, type PortFormat, portFile, renderBench, renderCounts, renderPorts } from './formats';
import { testOutput } from './outputs';
import type { Rng } from './rng';
import type { Plant, Step, TurnPlan } from './types';
import { fill, typed } from './voice';
import type { World } from './world';

const PORT = (rng: Rng) => String(rng.int(1100, 64999));
// Never a trailing zero: the JSON report prints numbers, 165.30 as 165.3.
const P99 = (rng: Rng) => rng.fixed(40, 480, 1) + String(rng.int(1, 9));
const COUNT = (rng: Rng) => String(rng.int(120_000, 9_800_000));
const SETTING = (rng: Rng) => String(rng.int(1201, 97999));

/** What the fact plants have taken, so distractors use the rest. */
export interface Taken {
  portFormats: Set<PortFormat>;
  ops: Set<string>;
  tables: Set<string>;
  editSites: Set<string>;
  subjects: Set<string>;
  topics: Set<string>;
}

export function portPlant(w: World, rng: Rng, data: FactData, taken: Taken): Plant {
  const format = rng.pick(PORT_FORMATS.filter((f) => !taken.portFormats.has(f)));
  taken.portFormats.add(format);
  const file = portFile(format, w.d.project);
  const subject = rng.pick(data.portSubjects.filter((s) => !taken.subjects.has(s)));
  taken.subjects.add(subject);
  const port = w.fresh(() => PORT(rng));
  w.reserved.add(port);
  return {
    kind: 'port',
    where: 'tool_output',
    question: `Which port is the ${subject} set to listen on in ${file}?`,
    answer: port,
    parts: 1,
    build: () => {
      const others = rng.sample(data.portSubjects.filter((s) => !taken.subjects.has(s)), rng.int(2, 4));
      const entries = rng.shuffle([[subject, port] as [string, string], ...others.map((s) => [s, w.fresh(() => PORT(rng))] as [string, string])]);
      w.files[file] = renderPorts(format, w.d.project, entries, rng) + '\n';
      return {
        prompt: typed(rng, rng.pick(['cant reach staging, check {f} for anything off', 'look over {f}, anything weird?', 'is {f} sane? deploying soon', 'whats in {f} these days', 'sanity check {f} pls']), { f: file }),
        steps: [
          { kind: 'msg', calls: [w.read(file)] },
          { kind: 'msg', text: rng.pick([`Nothing obviously wrong in \`${file}\`. The log level is the only thing I'd double-check before deploying.`, `\`${file}\` looks consistent: every listener binds all interfaces and nothing is duplicated.`, `It parses and nothing collides. If staging is unreachable, the problem is more likely the security group than this file.`]) },
        ],
      };
    },
  };
}

export function portDistractor(w: World, rng: Rng, data: FactData, taken: Taken): TurnPlan {
  const free = PORT_FORMATS.filter((f) => !taken.portFormats.has(f));
  const format = rng.pick(free.length ? free : PORT_FORMATS);
  const file = `${portFile(format, w.d.project).replace(/(\.\w+)$/, '.local$1')}`;
  const entries = rng.sample(data.portSubjects.filter((s) => !taken.subjects.has(s)), rng.int(2, 3)).map((s) => [s, w.fresh(() => PORT(rng))] as [string, string]);
  w.files[file] = renderPorts(format, w.d.project, entries, rng) + '\n';
  return { prompt: typed(rng, rng.pick(['what does my local config look like', 'show me {f}', 'check {f} vs staging']), { f: file }), steps: [{ kind: 'msg', calls: [w.read(file)] }, { kind: 'msg', text: 'That is the local variant; it differs from staging only in the listener ports.' }] };
}

export function latencyPlant(w: World, rng: Rng, data: FactData, taken: Taken): Plant {
  const op = rng.pick(data.benchOps.filter((o) => !taken.ops.has(o)));
  taken.ops.add(op);
  const p99 = w.fresh(() => P99(rng));
  w.reserved.add(p99);
  return {
    kind: 'latency',
    where: 'tool_output',
    question: `What p99 latency (ms) did the benchmark report for ${op}?`,
    answer: p99,
    parts: 1,
    build: () => {
      // Distractor ops are drawn when built, when every fact's op is known.
      const ops = [op, ...rng.sample(data.benchOps.filter((o) => !taken.ops.has(o)), rng.int(3, 4))];
      const rows = rng.shuffle(ops).map((o) => (o === op ? benchRow(rng, o, p99) : benchRow(rng, o, w.fresh(() => P99(rng)))));
      const other = rng.pick(ops.filter((o) => o !== op));
      return {
        prompt: typed(rng, rng.pick(['run the bench, did anything regress', 'bench it', 'numbers pls, run the benchmark', 'how fast is it now? bench']), {}),
        steps: [
          { kind: 'msg', text: 'Running the benchmark.', calls: [w.bash(data.benchCmd, renderBench(rng.pick(BENCH_FORMATS), rows, rng), { description: 'Run benchmark' })] },
          { kind: 'msg', text: rng.pick([`Results are in. ${other} is the one to watch; the rest look like last time.`, `No obvious regression. The tail on ${other} is wider than its median suggests, but that has been true for a while.`, `Benchmark done. Nothing failed and the sample counts are large enough to trust.`]) },
        ],
      };
    },
  };
}

export function benchDistractor(w: World, rng: Rng, data: FactData, taken: Taken): TurnPlan {
  const ops = rng.sample(data.benchOps.filter((o) => !taken.ops.has(o)), rng.int(2, 3));
  const rows = ops.map((o) => benchRow(rng, o, w.fresh(() => P99(rng))));
  return {
    prompt: typed(rng, rng.pick(['quick bench of just {o}', 'bench {o} only']), { o: ops[0]! }),
    steps: [{ kind: 'msg', calls: [w.bash(`${data.benchCmd} --only ${ops.join(',')}`, renderBench(rng.pick(BENCH_FORMATS), rows, rng))] }, { kind: 'msg', text: 'Those are within noise of the previous run.' }],
  };
}

export function versionPlant(w: World, rng: Rng, data: FactData): Plant {
  const entry = rng.pick(data.versions);
  const v = w.fresh(() => entry.draw(rng.int(0, 1000)));
  w.reserved.add(v);
  return {
    kind: 'version',
    where: 'tool_output',
    question: `Which ${entry.pkg} version did \`${entry.cmd}\` report?`,
    answer: v,
    parts: 1,
    build: () => ({
      prompt: typed(rng, rng.pick(['check the toolchain before i file the bug', 'what are we running, versions wise', 'grab versions for the bug report', 'env info pls']), {}),
      steps: [
        { kind: 'msg', calls: [w.bash(entry.cmd, entry.render(v, []))] },
        { kind: 'msg', text: rng.pick(['Got it; paste that into the report as is.', 'Those are the versions in this environment.', 'Nothing unusual there, the build uses the same toolchain as CI.']) },
      ],
    }),
  };
}

export function countPlant(w: World, rng: Rng, data: FactData, taken: Taken): Plant {
  const table = rng.pick(data.tables.filter((t) => !taken.tables.has(t)));
  taken.tables.add(table);
  const count = w.fresh(() => COUNT(rng));
  w.reserved.add(count);
  const what = data.countTool === 'grebe' ? 'lines' : 'rows';
  return {
    kind: 'rowcount',
    where: 'tool_output',
    question: `How many ${what} did the ${data.countTool} query report for ${table}?`,
    answer: count,
    parts: 1,
    build: () => {
      const tables = [table, ...rng.sample(data.tables.filter((t) => !taken.tables.has(t)), rng.int(2, 4))];
      const rows = rng.shuffle(tables).map((t) => [t, t === table ? count : w.fresh(() => COUNT(rng))] as [string, string]);
      const q = renderCounts(data.countTool, rows, rng);
      return {
        prompt: typed(rng, rng.pick(['how big is everything now', 'sanity check counts after the load', 'sizes pls', 'did the load actually land? counts']), {}),
        steps: [{ kind: 'msg', calls: [w.bash(q.cmd, q.out)] }, { kind: 'msg', text: rng.pick(['The load landed; every table has data.', 'Sizes look plausible for a full day.', 'Nothing is empty, so the load did land.']) }],
      };
    },
  };
}

export function countDistractor(w: World, rng: Rng, data: FactData, taken: Taken): TurnPlan {
  const tables = rng.sample(data.tables.filter((t) => !taken.tables.has(t)), 2);
  const q = renderCounts(data.countTool, tables.map((t) => [t, w.fresh(() => COUNT(rng))]), rng);
  return { prompt: typed(rng, rng.pick(['count {t}', 'how many in {t} now']), { t: tables[0]! }), steps: [{ kind: 'msg', calls: [w.bash(q.cmd, q.out)] }, { kind: 'msg', text: 'Counts above.' }] };
}

function editTurn(w: World, rng: Rng, site: { file: string; line: string; subject: string }, v: string, restate: boolean): TurnPlan {
  const steps: Step[] = [
    { kind: 'msg', calls: [w.read(site.file)] },
    { kind: 'msg', text: rng.pick(['Adding it next to the setup code.', undefined]), calls: [w.insertAfterSomeLine(site.file, fill(site.line, { v }), rng)] },
  ];
  const out = testOutput(w.d, rng, {});
  steps.push({ kind: 'msg', calls: [w.bash(w.cmd.test, out)] }, { kind: 'msg', text: restate ? `Set the ${site.subject} to ${v}; tests still pass.` : rng.pick(['Done; tests still pass.', 'Changed, and the suite is green.', 'Updated. Nothing else depends on it.']) });
  return { prompt: typed(rng, rng.pick(['the {s} is way too low, pick something sane', 'set the {s} explicitly, your call on the number', 'we need a {s}, choose one']), { s: site.subject }), steps };
}

export function editPlant(w: World, rng: Rng, data: FactData, taken: Taken): Plant {
  const site = rng.pick(data.editSites.filter((s) => !taken.editSites.has(s.file)));
  taken.editSites.add(site.file);
  const v = w.fresh(() => SETTING(rng));
  w.reserved.add(v);
  return { kind: 'edit_value', where: 'edit', question: `What value was the ${site.subject} set to in ${site.file}?`, answer: v, parts: 1, build: () => editTurn(w, rng, site, v, rng.chance(0.3)) };
}

export function editDistractor(w: World, rng: Rng, data: FactData, taken: Taken): TurnPlan | undefined {
  const free = data.editSites.filter((s) => !taken.editSites.has(s.file));
  if (!free.length) return undefined;
  const site = rng.pick(free);
  taken.editSites.add(site.file);
  return editTurn(w, rng, site, w.fresh(() => SETTING(rng)), true);
}

export function errorPlant(w: World, rng: Rng, data: FactData): Plant {
  const c = rng.pick(data.errors);
  w.reserved.add(c.signature);
  return {
    kind: 'error',
    where: 'tool_output',
    question: `What error was hit while ${c.context}, before it was fixed?`,
    answer: c.signature,
    parts: 1,
    build: () => {
      const lines = w.d.lang === 'rust' && c.detail[0]!.startsWith('thread') ? [c.detail[0]!, c.signature, ...c.detail.slice(1)] : [c.signature, ...c.detail];
      let failing: string;
      let cmd: string;
      if (c.context.includes('test')) {
        cmd = w.cmd.test;
        const test = w.d.lang === 'python' ? `${w.d.testFiles[0]}::test_${rng.pick(w.d.verbs)}_late` : w.d.lang === 'go' ? `TestWorker${rng.pick(w.d.nouns)}` : `roundtrip_empty_file`;
        failing = testOutput(w.d, rng, { fail: { test, lines } });
      } else {
        cmd = w.d.lang === 'python' ? 'python -m tidewater.cli enrich --day 2024-06-03 --sample' : w.d.lang === 'go' ? 'go run ./cmd/relayd replay --dead-letters --since 24h' : 'cargo build';
        failing = w.d.lang === 'python' ? ['Traceback (most recent call last):', ...lines.slice(1).reverse(), lines[0]].join('\n') : lines.join('\n');
      }
      const pass = c.context.includes('test') ? testOutput(w.d, rng, {}) : w.d.lang === 'rust' ? `   Compiling grebe v0.4.1 (${w.d.cwd})\n    Finished \`dev\` profile [unoptimized + debuginfo] target(s) in ${rng.fixed(2, 20, 2)}s` : `done: ${rng.int(10, 900)} ok, 0 failed`;
      return {
        prompt: typed(rng, rng.pick(['{c} pls', 'go ahead with {c}', 'next: {c}']), { c: c.context }),
        steps: [
          { kind: 'msg', calls: [w.bash(cmd, failing, { error: true, exit: w.d.lang === 'go' ? 2 : 1 })] },
          { kind: 'msg', think: rng.chance(0.5) ? `It fails in ${c.file}. The fix is local; no need to touch callers.` : undefined, text: `It fails. Looking at \`${c.file}\`.`, calls: [w.read(c.file)] },
          { kind: 'msg', calls: [w.insertAfterSomeLine(c.file, c.fix, rng)] },
          { kind: 'msg', calls: [w.bash(cmd, pass)] },
          { kind: 'msg', text: rng.pick(['Fixed; it runs clean now.', 'That was it. Passing now.', 'Fixed with a one-line change, rerun is clean.']) },
        ],
      };
    },
  };
}
