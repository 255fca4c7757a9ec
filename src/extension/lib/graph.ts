// What the visualiser's graph is sent (protocol `GraphData`): the session's semantic graph cut to
// what the view draws. Core only, no vscode, so node tests run it.
import { sessionGraph, type GraphViewOptions } from '../../core/recall/graph-view';
import type { Store } from '../../core/store/store';
import type { GraphData } from '../../protocol';

export function buildGraph(store: Store, sessionId: string, options: GraphViewOptions = {}): GraphData {
  return { sessionId, ...sessionGraph(store, sessionId, options) };
}
