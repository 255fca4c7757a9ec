// Facts said in words: a constraint and a preference the person states, a colleague to ask, a
// decision the assistant reaches with its reason, a value set then revised, a TODO left open.
import type { FactData } from './facts-data';
import { gitLog } from './outputs';
import type { Rng } from './rng';
import type { Plant, Step, TurnPlan } from './types';
import { fill, typed } from './voice';
import type { World } from './world';

/** A filler turn with something said before its prompt, and optionally an acknowledgement. */
function prefixed(base: TurnPlan, said: string, ack?: string): TurnPlan {
  const steps = [...base.steps];
  const first = steps[0];
  if (ack && first?.kind === 'msg') steps[0] = { ...first, text: first.text ? `${ack} ${first.text}` : ack };
  return { ...base, prompt: `${said}\n\n${base.prompt}`, steps };
}

export function constraintPlant(w: World, rng: Rng, data: FactData, filler: () => TurnPlan, owner: string): Plant {
  const path = rng.pick(data.protectedPaths);
  w.reserved.add(path);
  const templates = [
    'dont touch `{p}`, {o} owns it and is rewriting it',
    'heads up: `{p}` is frozen till the migration lands. leave it alone even if lint complains',
    "whatever you do don't edit `{p}` — its vendored, changes get overwritten on the next sync",
    '`{p}` is off limits for this branch. {o} reviews anything in there and is out this week',
    "fyi hands off `{p}`. if something in there looks broken tell me, don't fix it",
  ];
  return {
    kind: 'constraint',
    where: 'prompt',
    question: 'Which file or directory must not be modified in this session?',
    answer: path,
    parts: 1,
    build: () => prefixed(filler(), typed(rng, rng.pick(templates), { p: path, o: owner }), rng.chance(0.5) ? `Understood, I'll leave that path alone.` : undefined),
  };
}

export function preferencePlant(w: World, rng: Rng, data: FactData, filler: () => TurnPlan): Plant {
  const pref = rng.pick(data.preferences);
  w.reserved.add(pref.answer);
  const before = { test: w.d.testCmd, install: w.d.installCmd, lint: w.d.lintCmd }[pref.slot];
  const templates = ['use `{a}` not `{b}` here', 'pls run `{a}` from now on, `{b}` is what the old ci did', 'we use `{a}` in this repo, not `{b}`. {y}', 'can you stick to `{a}`? `{b}` — {y}'];
  return {
    kind: 'preference',
    where: 'prompt',
    question: `Which ${pref.slot} command does the user want used instead of \`${before}\`?`,
    answer: pref.answer,
    parts: 1,
    build: () => {
      const said = typed(rng, rng.pick(templates), { a: pref.after, b: before, y: pref.why });
      w.cmd[pref.slot] = pref.after;
      return prefixed(filler(), said, rng.chance(0.5) ? 'Will do.' : undefined);
    },
  };
}

export function colleaguePlant(w: World, rng: Rng, filler: () => TurnPlan, name: [string, string], topic: string, distractors: string[]): Plant {
  const [first, last] = name;
  w.reserved.add(first);
  const form = rng.int(0, 4);
  if (form < 3) {
    const templates = ['if {t} acts up ask {n}, they built it', '{n} knows {t} best, ping them before changing anything there', 'btw for {t} questions the person is {n} (not me lol)'];
    return {
      kind: 'colleague',
      where: 'prompt',
      question: `Who should be asked about ${topic}?`,
      answer: first,
      parts: 1,
      build: () => prefixed(filler(), typed(rng, templates[form]!, { t: topic, n: first })),
    };
  }
  const file = rng.pick(w.d.srcFiles);
  return {
    kind: 'colleague',
    where: 'tool_output',
    question: form === 3 ? `Who wrote most of the recent history of ${file}, per git log?` : `Who is the code owner of ${file}, per CODEOWNERS?`,
    answer: first,
    parts: 1,
    build: () => {
      let call;
      if (form === 3) {
        const authors = [`${first} ${last}`, `${first} ${last}`, `${first} ${last}`, ...distractors.slice(0, 1)];
        call = w.bash(`git log -n 8 -- ${file}`, gitLog(rng, authors, [`${rng.pick(w.d.verbs).toLowerCase()} ${rng.pick(w.d.nouns).toLowerCase()}s in ${file.split('/').pop()}`, 'address review comments', 'fix flaky test'], 8));
      } else {
        const handle = (n: string) => `@${n.split(' ')[0]!.toLowerCase()}-${rng.hex(2)}`;
        const owners = w.d.srcFiles.map((f) => `/${f}  ${f === file ? `@${first.toLowerCase()}-${last.toLowerCase()}` : handle(rng.pick(distractors))}`);
        w.files['.github/CODEOWNERS'] = ['# each line: a pattern, then its owners', '*  @ferrow/platform', ...owners].join('\n') + '\n';
        call = w.read('.github/CODEOWNERS');
      }
      return {
        prompt: typed(rng, rng.pick(['who should review changes to {f}', 'who do i bug about {f}', 'who owns {f}?']), { f: file }),
        steps: [{ kind: 'msg', calls: [call] }, { kind: 'msg', text: rng.pick(['That is the person to ask; see above.', 'The output above answers it.', 'One name dominates there.']) }],
      };
    },
  };
}

export function decisionPlant(w: World, rng: Rng, data: FactData): Plant {
  const d = rng.pick(data.decisions);
  w.reserved.add(d.chosen);
  const templates = [
    'Going with {c} for {t}: {r}. {x} was the other option.',
    "I'll use {c} rather than {x}, because {r}.",
    'Decision on {t}: {c}. Reason: {r}.',
    'Between {x} and {c}, {c} wins here because {r}.',
    "Weighed {x} against {c} for {t}. Since {r}, it's {c}.",
  ];
  const values = { c: d.chosen, t: d.topic, r: d.reason, x: d.rejected };
  return {
    kind: 'decision',
    where: 'assistant',
    question: `What was decided for ${d.topic}, and why?`,
    answer: d.chosen,
    parts: 1,
    build: () => {
      const file = rng.pick(w.d.srcFiles);
      return {
        prompt: typed(rng, rng.pick(['{t}: what should we do? your call', 'pick an approach for {t}', 'thoughts on {t}? decide and move on']), { t: d.topic }),
        steps: [
          { kind: 'msg', think: rng.chance(0.5) ? `Options for ${d.topic}. Need to check how ${file} uses it first.` : undefined, calls: [w.read(file)] },
          { kind: 'msg', text: fill(rng.pick(templates), values) + (rng.chance(0.5) ? ' I will wire it in next.' : '') },
        ],
      };
    },
  };
}

export function revisedPlant(w: World, rng: Rng, data: FactData, filler: () => TurnPlan): Plant {
  const r = data.revised;
  const oldV = w.fresh(() => String(rng.int(1100, 4999)));
  w.reserved.add(oldV);
  const newV = w.fresh(() => String(rng.int(5100, 19999)));
  w.reserved.add(newV);
  const byPrompt = rng.chance(0.5);
  const line = (v: string) => fill(r.line, { v });
  return {
    kind: 'revised',
    where: byPrompt ? 'prompt' : 'edit',
    question: `What is the current ${r.subject}?`,
    answer: newV,
    stale: oldV,
    parts: 2,
    build: (part) => {
      if (part === 0) {
        const steps: Step[] = [{ kind: 'msg', calls: [w.read(r.file)] }, { kind: 'msg', calls: [w.insertAfterSomeLine(r.file, line(oldV), rng)] }, { kind: 'msg', text: byPrompt ? 'Done.' : `Set it to ${oldV} ${r.unit} for now; easy to change later.` }];
        const prompt = byPrompt ? typed(rng, rng.pick(['set the {s} to {v} {u}', 'make the {s} {v} {u} for now']), { s: r.subject, v: oldV, u: r.unit }) : typed(rng, rng.pick(['we need a {s}, pick one', 'add a {s}, whatever seems reasonable']), { s: r.subject });
        return { prompt, steps };
      }
      const prompt = byPrompt
        ? typed(rng, rng.pick(['{o} is too slow, make the {s} {v}', 'change of plan: {s} = {v} {u}, not {o}', 'bump the {s} to {v}']), { s: r.subject, v: newV, o: oldV, u: r.unit })
        : typed(rng, rng.pick(['the {s} is too small, go way bigger. your call', 'profiling says the {s} is the bottleneck, raise it']), { s: r.subject });
      return {
        prompt,
        steps: [{ kind: 'msg', calls: [w.edit(r.file, line(oldV), line(newV))] }, { kind: 'msg', text: rng.pick(['Changed.', 'Raised; rerun the load when you can.', 'Updated the constant.']) }],
      };
    },
  };
}

export function todoPlant(w: World, rng: Rng, data: FactData): Plant {
  const todo = rng.pick(data.todos);
  w.reserved.add(todo);
  const form = rng.int(0, 2);
  return {
    kind: 'todo',
    where: form === 0 ? 'prompt' : 'assistant',
    question: 'What was left to do at the end of the session?',
    answer: todo,
    parts: 1,
    place: 'end',
    build: () => {
      if (form === 0) return { prompt: typed(rng, rng.pick(['ok stop here. still need to {d} but thats tomorrow', "calling it. {d} is still open, don't forget"]), { d: todo }), steps: [{ kind: 'msg', text: 'Okay. Everything else from today is committed.' }] };
      if (form === 1) return { prompt: typed(rng, rng.pick(['wrap up, whats left?', 'summary + whats open'])), steps: [{ kind: 'msg', text: `Done today: the changes above, tests green. Left for later: ${todo}.` }] };
      const done = rng.sample(w.d.topics, 3).map((t) => [`Check ${t}`, 'completed'] as [string, 'completed']);
      return { prompt: typed(rng, 'update the todo list and stop'), steps: [{ kind: 'msg', calls: [w.todo([...done, [todo.charAt(0).toUpperCase() + todo.slice(1), 'pending']])] }, { kind: 'msg', text: 'Todo list updated; one item is still pending.' }] };
    },
  };
}
