// The async half of a graph build. Building is synchronous (recall and related catch the index
// and the graph up inside a store transaction: ensureRecorded) while tree-sitter loads
// asynchronously, so async entry points call this first: the grammars are then in the
// loaded-parsers registry (distill/code-fold.ts) when the build parses code reads. It loads only
// when there is something to graph, so a recall on an up-to-date database does not pay for it.
import type { Store } from '../store/store';
import { loadSymbolParsers } from './symbols';
import { recordingBehind } from './write';

export async function prepareGraphBuild(store: Store): Promise<void> {
  if (recordingBehind(store.db)) await loadSymbolParsers();
}
