// generator2: Claude Code sessions with planted facts, written independently of the first
// generator (test/fixtures/generate*, test/eval/planted.ts). A session is about one of three
// projects (a Python data pipeline, a Go webhook relay, a Rust log CLI), typed by a terse person,
// and its facts come in varied forms: said in prose, printed only by a tool, set by an edit,
// decided by the assistant, revised later, hit as an error, left as a TODO. Deterministic from
// the seed; every session passes checkPlanting2 (a draw that would not is redrawn).
import { checkPlanting2 } from './check';
import { type DomainKey, pickDomain } from './domains';
import { emitSession } from './emit';
import { FACT_DATA, PEOPLE } from './facts-data';
import { benchDistractor, countDistractor, countPlant, editDistractor, editPlant, errorPlant, latencyPlant, portDistractor, portPlant, type Taken, versionPlant } from './facts-output';
import { colleaguePlant, constraintPlant, decisionPlant, preferencePlant, revisedPlant, todoPlant } from './facts-prose';
import { backgroundTurn, exploreTurn, interruptedTurn, pickFiller, todoTurn, turnChars } from './filler';
import { Rng } from './rng';
import type { Fact2, FactKind2, GenerateOptions2, Plant, Session2, TurnPlan } from './types';
import { typed } from './voice';
import { World } from './world';

export type { Fact2, Session2, GenerateOptions2 } from './types';
export { checkPlanting2, decodeSession, countTurns } from './check';

export const MIN_TURNS = 40;
export const MAX_TURNS = 150;
/**
 * Aimed-for size (gpt-tokenizer tokens): 40 turns ≈ 170k, 150 turns ≈ 550k, so that a session's
 * spread (about ±8%) stays within 150k–600k.
 */
const TOKENS_PER_TURN_AT_MIN = 4_250;
const TOKENS_PER_TURN_AT_MAX = 3_667;
const CHARS_PER_TOKEN = { python: 3.6, go: 3.0, rust: 3.45 };

function build(opts: GenerateOptions2, attempt: number): Session2 {
  const seed = String(opts.seed);
  const T = opts.turns;
  const d = pickDomain(opts.domain, () => new Rng(`${seed}:domain`).pick<DomainKey>(['py', 'go', 'rs']));
  const rng = new Rng(attempt === 0 ? seed : `${seed}#${attempt}`);
  const sessionId = rng.uuid();
  const w = new World(d, seed, sessionId, rng.fork('world'));
  const data = FACT_DATA[d.key];
  const people = rng.shuffle(PEOPLE);
  const factPeople = people.slice(0, 3);
  const others = people.slice(3).map(([f, l]) => `${f} ${l}`);
  const taken: Taken = { portFormats: new Set(), ops: new Set(), tables: new Set(), editSites: new Set(), subjects: new Set(), topics: new Set() };
  // Size control: bulky filler while the session is behind its size target, light filler ahead of it.
  const charsPerTurn = (TOKENS_PER_TURN_AT_MIN - ((TOKENS_PER_TURN_AT_MIN - TOKENS_PER_TURN_AT_MAX) * (T - MIN_TURNS)) / (MAX_TURNS - MIN_TURNS)) * CHARS_PER_TOKEN[d.lang];
  const size = { chars: 0, turn: 1 };
  const filler = (): TurnPlan => {
    const deficit = size.turn * charsPerTurn - size.chars;
    const first = pickFiller(rng, deficit > 0)(w, rng, others);
    if (deficit < 2 * charsPerTurn) return first;
    // Far behind (short sessions, where fact turns are a large share): two tasks in one turn.
    const second = pickFiller(rng, true)(w, rng, others);
    const last = first.steps[first.steps.length - 1];
    const steps = last?.kind === 'msg' && !last.calls?.length && first.steps.length > 1 ? first.steps.slice(0, -1) : first.steps;
    return { prompt: `${first.prompt}${rng.pick([', then ', '. after that ', ' and then '])}${second.prompt}`, steps: [...steps, ...second.steps] };
  };
  const topics = rng.shuffle(d.topics);

  // Choose every fact's literals first, so no distractor drawn later can use them.
  const make: Record<string, () => Plant> = {
    constraint: () => constraintPlant(w, rng, data, filler, rng.pick(others).split(' ')[0]!),
    preference: () => preferencePlant(w, rng, data, filler),
    colleague: () => colleaguePlant(w, rng, filler, factPeople.shift()!, topics.shift()!, others),
    port: () => portPlant(w, rng, data, taken),
    latency: () => latencyPlant(w, rng, data, taken),
    version: () => versionPlant(w, rng, data),
    rowcount: () => countPlant(w, rng, data, taken),
    edit_value: () => editPlant(w, rng, data, taken),
    decision: () => decisionPlant(w, rng, { ...data, decisions: data.decisions.filter((x) => !w.reserved.has(x.chosen)) }),
    revised: () => revisedPlant(w, rng, data, filler),
    error: () => errorPlant(w, rng, data),
    todo: () => todoPlant(w, rng, data),
  };
  const kinds: FactKind2[] = ['constraint', 'preference', 'colleague', 'port', 'latency', 'version', 'rowcount', 'edit_value', 'decision', 'revised', 'error', 'todo'];
  const extras = rng.sample<FactKind2>(['port', 'latency', 'rowcount', 'colleague', 'decision', 'edit_value'], Math.max(0, Math.floor((T - 40) / 30)));
  const plants = [...kinds, ...extras].map((k) => make[k]!());

  // Where they go: the end plant last, the others' parts spread evenly over turns 2..T-1.
  const parts: Array<[Plant, number]> = rng.shuffle(plants.filter((p) => p.place !== 'end').flatMap((p) => Array.from({ length: p.parts }, (_, i) => [p, i] as [Plant, number])));
  const slots = new Map<number, [Plant, number]>();
  const span = (T - 2) / parts.length;
  parts.forEach((_, i) => slots.set(2 + Math.floor(i * span + rng.next() * Math.max(1, span - 1)), parts[i]!));
  // A plant with several parts: its parts in turn order.
  for (const p of plants.filter((x) => x.parts > 1)) {
    const at = [...slots].filter(([, [q]]) => q === p).map(([t]) => t).sort((a, b) => a - b);
    at.forEach((t, i) => slots.set(t, [p, i]));
  }
  if (slots.size !== parts.length) throw new Error('generator2: two facts in one turn');
  for (const p of plants.filter((x) => x.place === 'end')) slots.set(T, [p, 0]);

  // Distractors and the shapes a session must have, on free turns.
  const free = rng.shuffle(Array.from({ length: T }, (_, i) => i + 1).filter((t) => !slots.has(t) && t > 1));
  const forced = new Map<number, () => TurnPlan | undefined>();
  const add = (f: () => TurnPlan | undefined) => free.length && forced.set(free.pop()!, f);
  add(() => interruptedTurn(w, rng));
  add(() => ({ ...filler(), reminder: 'Files were changed on disk outside this conversation. Re-read before editing; do not mention this to the user.' }));
  for (let i = 0; i < Math.ceil(T / 40); i++) {
    add(() => portDistractor(w, rng, data, taken));
    add(() => benchDistractor(w, rng, data, taken));
    add(() => countDistractor(w, rng, data, taken));
    add(() => { const t = filler(); return { ...t, prompt: typed(rng, 'fyi {n} is reviewing this pr, keep commits small\n\n', { n: rng.pick(others) }) + t.prompt }; });
  }
  add(() => editDistractor(w, rng, data, taken));
  add(() => backgroundTurn(w, rng));
  add(() => todoTurn(w, rng));
  add(() => exploreTurn(w, rng));

  const turns: TurnPlan[] = [];
  const facts: Fact2[] = [];
  const at = new Map<Plant, number[]>();
  for (let t = 1; t <= T; t++) {
    const slot = slots.get(t);
    if (slot) {
      turns.push(slot[0].build(slot[1]));
      at.set(slot[0], [...(at.get(slot[0]) ?? []), t]);
    } else turns.push(forced.get(t)?.() ?? filler());
    size.chars += turnChars(turns[turns.length - 1]!);
    size.turn = t + 1;
  }
  plants.forEach((p, i) => {
    const ts = at.get(p)!;
    facts.push({ id: `${d.key}-${p.kind}-${i + 1}`, kind: p.kind, question: p.question, answer: p.answer, ...(p.stale !== undefined ? { stale: p.stale, staleTurn: ts[0]! } : {}), where: p.where, turn: ts[ts.length - 1]! });
  });
  facts.sort((a, b) => a.turn - b.turn);
  const start = Date.parse('2024-06-03T07:30:00.000Z') + new Rng(`${seed}:day`).int(0, 120) * 86_400_000;
  const lines = emitSession(turns, { sessionId, d, rng: rng.fork('emit'), start, title: `${d.project}: ${topics[0] ?? d.topics[0]}` });
  return { label: opts.label ?? `${d.key}-${seed}-${T}t`, sessionId, domain: d.key, lines, facts };
}

/** How many draws the last generateSession2 needed (a diagnostic). */
export const generator2Stats = { lastAttempts: 0 };

/** A session of `turns` typed prompts with planted facts. */
export function generateSession2(opts: GenerateOptions2): Session2 {
  if (!Number.isInteger(opts.turns) || opts.turns < MIN_TURNS || opts.turns > MAX_TURNS) throw new Error(`generator2: turns must be ${MIN_TURNS}–${MAX_TURNS}`);
  const problems: string[] = [];
  for (let attempt = 0; attempt < 25; attempt++) {
    const s = build(opts, attempt);
    const p = checkPlanting2(s);
    if (p.length === 0) {
      generator2Stats.lastAttempts = attempt + 1;
      return s;
    }
    problems.push(`attempt ${attempt}: ${p.join('; ')}`);
  }
  throw new Error(`generator2: could not plant seed ${opts.seed}:\n${problems.join('\n')}`);
}

/** The default sessions for the eval: the three projects, short to long. */
export const EVAL2_SESSIONS: GenerateOptions2[] = [
  { seed: 'tide-41', turns: 44, domain: 'py' },
  { seed: 'relay-7', turns: 80, domain: 'go' },
  { seed: 'grebe-3', turns: 110, domain: 'rs' },
  { seed: 'tide-9', turns: 150, domain: 'py' },
];
