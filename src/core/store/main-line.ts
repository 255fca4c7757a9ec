// Which records of a Claude Code session lie on its main line, and which on an abandoned branch.
//
// Records form a tree by `parentUuid`. Not every node with two children is a fork: Claude Code
// writes the parallel tool calls of one message as a chain of single-block assistant lines and
// hangs each result under its own call, so the call that is not last has two children (the next
// call and its result), and only the last result continues the chain. A late-written
// `system/api_error` record can likewise sit beside a continuation. In the real corpus that reading
// put 75 events of 8 sessions out of 11 off the main line with no rewind at all.
//
// A fork is what a rewind or a retry writes: a second *typed prompt* under the same parent (the
// user went back and asked again), or a second *assistant* record under the same parent (the turn
// was sent again). At a fork the branch that leads to the newest record is kept; the other
// branches, whole subtrees, are abandoned. Everything else is on the main line, including records
// whose parent is unknown (a new root, a line of another file).
import type { EventKind } from '../model';

export interface LineNode {
  uuid: string;
  /** `parentUuid`, or the logical parent across a compaction boundary. */
  parent: string | null;
  kind: EventKind;
}

/** Records that take part in the conversation tree; bookkeeping hangs off it as leaves. */
export const CONVERSATION_KINDS: ReadonlySet<string> = new Set([
  'user_prompt',
  'assistant_text',
  'thinking',
  'tool_call',
  'tool_result',
  'compact_summary',
  'system',
]);

type Branching = 'prompt' | 'assistant' | 'other';

function branching(kind: EventKind): Branching {
  if (kind === 'user_prompt') return 'prompt';
  if (kind === 'assistant_text' || kind === 'thinking' || kind === 'tool_call') return 'assistant';
  return 'other';
}

/**
 * The uuids off the main line, for nodes in file order (several events of one line share its uuid;
 * a line counts as a prompt if any of its events is one). Sidechain records are not passed in.
 */
export function abandonedRecords(nodes: readonly LineNode[]): Set<string> {
  const parentOf = new Map<string, string | null>();
  const kindOf = new Map<string, Branching>();
  const children = new Map<string, string[]>();
  let leaf: string | null = null;
  for (const node of nodes) {
    if (!CONVERSATION_KINDS.has(node.kind)) continue;
    const b = branching(node.kind);
    const known = kindOf.get(node.uuid);
    if (known === undefined) {
      parentOf.set(node.uuid, node.parent);
      if (node.parent !== null) {
        let list = children.get(node.parent);
        if (!list) children.set(node.parent, (list = []));
        list.push(node.uuid);
      }
    }
    if (known === undefined || (known !== 'prompt' && b !== 'other')) kindOf.set(node.uuid, b);
    leaf = node.uuid;
  }
  const abandoned = new Set<string>();
  if (leaf === null) return abandoned;
  const chain = new Set<string>();
  for (let at: string | null | undefined = leaf; at != null && !chain.has(at); at = parentOf.get(at)) chain.add(at);

  for (const list of children.values()) {
    const prompts = list.filter((c) => kindOf.get(c) === 'prompt');
    const assistants = list.filter((c) => kindOf.get(c) === 'assistant');
    if (prompts.length < 2 && assistants.length < 2) continue;
    const forking = [...prompts, ...assistants];
    // The branch toward the newest record; off the chain (a fork inside an abandoned branch), the newest.
    const kept = forking.find((c) => chain.has(c)) ?? forking.reduce((a, b) => (list.indexOf(a) > list.indexOf(b) ? a : b));
    for (const c of forking) if (c !== kept) markSubtree(c, children, abandoned);
  }
  return abandoned;
}

function markSubtree(root: string, children: ReadonlyMap<string, string[]>, out: Set<string>): void {
  const stack = [root];
  while (stack.length > 0) {
    const at = stack.pop()!;
    if (out.has(at)) continue;
    out.add(at);
    for (const c of children.get(at) ?? []) stack.push(c);
  }
}
