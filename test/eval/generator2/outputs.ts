// Noisy command output: test runs, dependency installs, lint, git log, grep hits. Long and
// repetitive on purpose: this is what fills real sessions.
import type { Domain } from './domains';
import type { Rng } from './rng';

export interface Failure {
  test: string;
  /** The error's lines (its signature first). */
  lines: string[];
}

function testNames(d: Domain, rng: Rng, n: number): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < n; i++) {
    const file = rng.pick(d.testFiles);
    const v = rng.pick(d.verbs).toLowerCase();
    const noun = rng.pick(d.nouns).toLowerCase();
    const tail = rng.pick(['', '_empty', '_twice', '_late', '_unicode', '_boundary', '_concurrent', '_after_restart', '_retry']);
    const name = d.lang === 'go' ? `Test${rng.pick(d.verbs)}${rng.pick(d.nouns)}${tail.replace(/_(\w)/g, (_, c: string) => c.toUpperCase())}` : `test_${v}_${noun}${tail}`;
    out.push([file, name]);
  }
  return out;
}

export function testOutput(d: Domain, rng: Rng, opts: { verbose?: boolean; fail?: Failure; count?: number } = {}): string {
  const n = opts.count ?? rng.int(120, 260);
  const tests = testNames(d, rng, opts.verbose ? n : Math.min(n, 30));
  const secs = rng.fixed(3, 40, 2);
  if (d.lang === 'python') {
    const out = ['============================= test session starts ==============================', 'platform linux -- Python 3.11.9, pytest-8.2.2, pluggy-1.5.0', `rootdir: ${d.cwd}`, 'configfile: pyproject.toml', 'plugins: xdist-3.6.1, hypothesis-6.103.2', `collected ${n} items`, ''];
    if (opts.verbose) for (const [f, t] of tests) out.push(`${f}::${t} PASSED${' '.repeat(Math.max(1, 60 - f.length - t.length))}[${String(rng.int(1, 99)).padStart(3)}%]`);
    else for (const f of d.testFiles) out.push(`${f} ${'.'.repeat(rng.int(8, 40))}${opts.fail && opts.fail.test.startsWith(f) ? 'F' : ''}${'.'.repeat(rng.int(0, 12))}`);
    if (opts.fail) {
      out.push('', '=================================== FAILURES ===================================', `___________________ ${opts.fail.test.split('::').pop()} ___________________`, '', ...opts.fail.lines.slice(1).map((l) => '    ' + l), `E   ${opts.fail.lines[0]}`, '', '=========================== short test summary info ============================', `FAILED ${opts.fail.test} - ${opts.fail.lines[0]}`, `========================= 1 failed, ${n - 1} passed in ${secs}s =========================`);
    } else out.push('', `============================= ${n} passed in ${secs}s ==============================`);
    return out.join('\n');
  }
  if (d.lang === 'go') {
    const pkgs = ['internal/queue', 'internal/deliver', 'internal/httpapi', 'internal/store', 'internal/sign', 'cmd/relayd'];
    const out: string[] = [];
    if (opts.verbose) for (const [, t] of tests) out.push(`=== RUN   ${t}`, `--- PASS: ${t} (0.${String(rng.int(0, 99)).padStart(2, '0')}s)`);
    if (opts.fail) out.push(`=== RUN   ${opts.fail.test}`, ...opts.fail.lines, `--- FAIL: ${opts.fail.test} (0.${rng.int(10, 99)}s)`, 'FAIL');
    for (const p of pkgs) {
      const failed = opts.fail && p === 'internal/deliver';
      out.push(p === 'cmd/relayd' ? `?   \tgithub.com/odile/relayd/${p}\t[no test files]` : `${failed ? 'FAIL' : 'ok  '}\tgithub.com/odile/relayd/${p}\t${rng.fixed(0.01, 3, 3)}s`);
    }
    return out.join('\n');
  }
  const out = [`   Compiling grebe v0.4.1 (${d.cwd})`, `    Finished \`test\` profile [unoptimized + debuginfo] target(s) in ${secs}s`];
  for (const bin of ['unittests src/main.rs', 'tests/cli.rs', 'tests/index_roundtrip.rs', 'tests/query_ranges.rs']) {
    const k = opts.verbose ? Math.ceil(tests.length / 4) : rng.int(4, 30);
    out.push(`     Running ${bin} (target/debug/deps/${bin.includes('main') ? 'grebe' : bin.split('/')[1]!.replace('.rs', '')}-${rng.hex(16)})`, '', `running ${k} tests`);
    if (opts.verbose) for (const [, t] of tests.splice(0, k)) out.push(`test ${rng.pick(['index', 'parse', 'query', 'output'])}::tests::${t} ... ok`);
    const failHere = opts.fail && bin.includes('index');
    if (failHere) out.push(`test ${opts.fail!.test} ... FAILED`, '', 'failures:', '', `---- ${opts.fail!.test} stdout ----`, ...opts.fail!.lines, '', `test result: FAILED. ${k - 1} passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in ${rng.fixed(0, 2, 2)}s`, '', 'error: test failed, to rerun pass `--test index_roundtrip`');
    else out.push('', `test result: ok. ${k} passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in ${rng.fixed(0, 2, 2)}s`, '');
    if (failHere) break;
  }
  return out.join('\n');
}

export function installOutput(d: Domain, rng: Rng, cmd: string): string {
  const deps = rng.shuffle(d.deps);
  if (d.lang === 'python') {
    if (cmd.startsWith('uv')) return [`Resolved ${deps.length + rng.int(20, 40)} packages in ${rng.int(300, 1900)}ms`, `   Built ${d.project} @ file://${d.cwd}`, `Prepared ${rng.int(2, 9)} packages in ${rng.fixed(0.5, 4, 2)}s`, `Installed ${deps.length} packages in ${rng.int(40, 300)}ms`, ...deps.map(([p, v]) => ` + ${p}==${v}`)].join('\n');
    const out = [`Obtaining file://${d.cwd}`, '  Installing build dependencies ... done', '  Checking if build backend supports build_editable ... done', '  Getting requirements to build editable ... done'];
    for (const [p, v] of deps) out.push(`Collecting ${p}>=${v.split('.')[0]}`, `  Downloading ${p.replace(/-/g, '_')}-${v}-py3-none-any.whl (${rng.fixed(0.1, 12, 1)} MB)`, `     ${'━'.repeat(40)} ${rng.fixed(0.1, 12, 1)}/${rng.fixed(0.1, 12, 1)} MB ${rng.fixed(2, 60, 1)} MB/s eta 0:00:00`);
    out.push(`Successfully installed ${deps.map(([p, v]) => `${p}-${v}`).join(' ')} ${d.project}-0.9.0`, '', '[notice] A new release of pip is available: 24.0 -> 24.1.1', '[notice] To update, run: pip install --upgrade pip');
    return out.join('\n');
  }
  if (d.lang === 'go') return deps.flatMap(([p, v]) => [`# get https://proxy.golang.org/${p.toLowerCase()}/@v/${v}.zip`, `# get https://proxy.golang.org/${p.toLowerCase()}/@v/${v}.zip: 200 OK (${rng.fixed(0.05, 1.9, 3)}s)`]).join('\n');
  return [...deps.map(([p, v]) => `  Downloaded ${p} ${v}`), `  Downloaded ${deps.length} crates (${rng.fixed(1, 9, 1)} MB) in ${rng.fixed(0.5, 5, 2)}s`].join('\n');
}

export function lintOutput(d: Domain, rng: Rng, files: string[]): string {
  const out: string[] = [];
  const k = rng.int(0, 9);
  for (let i = 0; i < k; i++) {
    const f = rng.pick(files);
    const ln = rng.int(10, 400);
    if (d.lang === 'python') out.push(`${f}:${ln}:${rng.int(1, 60)}: ${rng.pick(['E501 Line too long (104 > 100)', 'F401 [*] `typing.Iterator` imported but unused', 'B008 Do not perform function call in argument defaults', 'SIM108 Use ternary operator instead of `if`-`else`-block', 'UP006 [*] Use `list` instead of `List` for type annotation'])}`);
    else if (d.lang === 'go') out.push(`${f}:${ln}:${rng.int(1, 40)}: ${rng.pick(['printf: fmt.Errorf format %w has arg err of wrong type', 'unusedresult: result of fmt.Sprintf call not used', 'copylocks: range var d copies lock: sync.Mutex', 'shadow: declaration of "err" shadows declaration'])}`);
    else out.push(`warning: ${rng.pick(['this `if` has identical blocks', 'redundant clone', 'you seem to be trying to use `match` for destructuring a single pattern', 'called `unwrap` on `self.cache` after checking its variant with `is_some`', 'needless borrow'])}`, `  --> ${f}:${ln}:${rng.int(1, 40)}`, '   |', `${String(ln).padStart(3)} |     ${rng.pick(['let x = y.clone();', 'if a { b } else { b }', 'self.cache.unwrap()'])}`, '   |');
  }
  if (d.lang === 'python') out.push(k === 0 ? 'All checks passed!' : `Found ${k} errors.\n[*] ${Math.floor(k / 2)} fixable with the \`--fix\` option.`);
  if (d.lang === 'rust') out.push(`warning: \`grebe\` (bin "grebe") generated ${k} warnings`, `    Finished \`dev\` profile [unoptimized + debuginfo] target(s) in ${rng.fixed(0.5, 9, 2)}s`);
  return out.join('\n');
}

export function gitLog(rng: Rng, authors: string[], subjects: string[], n: number): string {
  const out: string[] = [];
  let day = rng.int(1, 20);
  for (let i = 0; i < n; i++) {
    const a = rng.pick(authors);
    out.push(`commit ${rng.hex(40)}`, `Author: ${a} <${a.split(' ')[0]!.toLowerCase()}@ferrow.dev>`, `Date:   ${rng.pick(['Mon', 'Tue', 'Wed', 'Thu', 'Fri'])} Jun ${String(28 - (day % 27)).padStart(2)} ${rng.int(8, 19)}:${String(rng.int(0, 59)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')} 2024 +0200`, '', `    ${rng.pick(subjects)}`, '');
    day += rng.int(0, 3);
  }
  return out.join('\n');
}

/** Lines of `files` containing `pattern`, as Grep's content mode prints them. */
export function grepHits(files: Record<string, string>, pattern: string, limit = 60): string {
  const out: string[] = [];
  for (const [path, text] of Object.entries(files)) {
    text.split('\n').forEach((line, i) => {
      if (line.includes(pattern) && out.length < limit) out.push(`${path}:${i + 1}:${line}`);
    });
  }
  return out.length ? out.join('\n') : 'No matches found';
}

/** A tail of the project's own log: many similar lines, a warning here and there. */
export function logTail(d: Domain, rng: Rng, n: number, num: () => string): string {
  const out: string[] = [];
  let s = rng.int(0, 3000);
  for (let i = 0; i < n; i++) {
    s += rng.int(0, 4);
    const ts = `2024-06-0${rng.int(1, 7)}T${String(8 + Math.floor(s / 3600) % 12).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}.${String(rng.int(0, 999)).padStart(3, '0')}Z`;
    const level = rng.chance(0.06) ? 'WARN' : rng.chance(0.02) ? 'ERROR' : 'INFO';
    const noun = rng.pick(d.nouns).toLowerCase();
    const msg =
      d.lang === 'python'
        ? `${level.padEnd(5)} tidewater.${rng.pick(['reader', 'dedupe', 'enrich', 'warehouse'])}: ${rng.pick(d.verbs)}d ${noun} batch=${num()} rows=${num()} took=${rng.fixed(0.1, 99, 1)}ms`
        : d.lang === 'go'
          ? `{"level":"${level.toLowerCase()}","ts":"${ts}","component":"${rng.pick(['worker', 'reaper', 'httpapi', 'queue'])}","${noun}":"${rng.hex(8)}","attempt":${rng.int(1, 9)},"status":${rng.pick([200, 202, 204, 410, 429, 503])},"dur_ms":${rng.fixed(0.1, 99, 1)}}`
          : `[${ts} ${level} grebe::${rng.pick(['index', 'query', 'cache', 'output'])}] ${rng.pick(d.verbs)} ${noun} off=${num()} len=${rng.int(1, 999)}`;
    out.push(d.lang === 'python' ? `${ts} ${msg}` : msg);
  }
  return out.join('\n');
}
