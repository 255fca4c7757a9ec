// Webview entry of the sidebar view and the visualiser panel. It talks to the host only through
// the messages of src/protocol.ts, and builds its DOM with textContent: transcript strings are
// never parsed as HTML.
import { parseToWebview, type DidChangeStateNotification, type Envelope, type FromWebviewMessage, type WebviewAction } from '../src/protocol';
import { ActionsPanel, type ActionsMemory } from './actions/panel';
import { fillCaption, fillPercent, formatTokens, gaugeSegments, timelineBars } from './lib/model';
import { el } from './ui/dom';
import { oneLine } from './ui/text';
import { button as toolkitButton, progress } from './ui/toolkit';
import { GraphView, type GraphMemory } from './graph/view';
import { TimelineView, type ZoomMemory } from './timeline/view';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What survives the view being hidden and shown again. */
interface ViewMemory {
  /** The actions panel's slider, recall query, read window and question. */
  actions?: ActionsMemory;
  last?: DidChangeStateNotification;
  /** The panel timeline's zoom, per the session it was on. */
  zoom?: ZoomMemory;
  /** The panel graph's type filter and search, per the session it was on. */
  graph?: GraphMemory;
}

const vscode = acquireVsCodeApi();
const memory: ViewMemory = (vscode.getState() as ViewMemory | undefined) ?? {};
let nextId = 1;

function post(body: FromWebviewMessage): void {
  const envelope: Envelope<FromWebviewMessage> = { messageId: nextId++, body };
  vscode.postMessage(envelope);
}

function remember(update: Partial<ViewMemory>): void {
  Object.assign(memory, update);
  vscode.setState(memory);
}

// The panel's timeline lives across renders (its zoom and selection survive a state push).
let timeline: TimelineView | undefined;
/** `sessionId:turns` of the timeline last asked for: a new session or new turns ask again. */
let timelineKey = '';

function panelTimeline(d: NonNullable<DidChangeStateNotification['selected']>): HTMLElement {
  timeline ??= new TimelineView(post, (zoom) => remember({ zoom }));
  const key = `${d.id}:${d.turns.length}:${d.turns.at(-1)?.tokens ?? 0}`;
  if (key !== timelineKey) {
    timelineKey = key;
    post({ type: 'requestTimeline', sessionId: d.id });
    post({ type: 'requestGraph', sessionId: d.id });
  }
  return timeline.element;
}

// The panel's graph, linked to its timeline: a node's turns are highlighted there.
let graph: GraphView | undefined;

function panelGraph(): HTMLElement {
  graph ??= new GraphView(
    {
      post,
      highlightTurns: (turns) => timeline?.highlightTurns(turns),
      revealTurn: (turn) => timeline?.revealTurn(turn),
      remember: (g) => remember({ graph: g }),
    },
    memory.graph,
  );
  return graph.element;
}

// The actions panel (Compact, Recall, Progressive Read) lives across renders too.
let actions: ActionsPanel | undefined;

function actionsPanel(state: DidChangeStateNotification): HTMLElement {
  if (!actions) {
    // Older memory kept the slider at the top level.
    const legacy = (memory as { sliderIndex?: number }).sliderIndex;
    memory.actions ??= legacy === undefined ? {} : { sliderIndex: legacy };
    const saved = memory.actions;
    actions = new ActionsPanel(
      {
        post,
        remember: (update) => {
          Object.assign(saved, update);
          vscode.setState(memory);
        },
        revealTurn: (turn) => timeline?.revealTurn(turn),
        setReadLevels: (levels) => timeline?.setReadLevels(levels),
      },
      saved,
      state.mode,
      state.budget,
    );
  }
  actions.update(state);
  return actions.element;
}

function actionButton(label: string, action: WebviewAction, title: string, appearance: 'primary' | 'secondary' = 'primary'): HTMLElement {
  return toolkitButton(label, { appearance, title, data: { action }, onClick: () => post({ type: 'runAction', action }) });
}

function render(state: DidChangeStateNotification): void {
  const root = document.getElementById('root');
  if (!root) return;
  // A state push rebuilds the page around the long-lived views: keep the keyboard where it was.
  const focused = document.activeElement instanceof HTMLElement && actions?.element.contains(document.activeElement) ? document.activeElement : null;
  root.textContent = '';
  if (state.busy) root.append(el('p', { className: 'busy' }, progress(state.busy), el('span', { text: state.busy })));
  if (state.sessions.length === 0) {
    root.append(
      el(
        'div',
        { className: 'empty-state' },
        el('h2', { text: 'No agent sessions yet' }),
        el('p', { className: 'muted', text: 'Claude Code sessions of this workspace are picked up automatically. Import a transcript (.jsonl) to look at another one.' }),
        el('div', { className: 'act-buttons' }, actionButton('Import Transcript…', 'import', 'Import .jsonl transcripts'), actionButton('Refresh', 'refresh', 'Look for new sessions', 'secondary')),
      ),
    );
    return;
  }

  // Session picker
  const select = el('select', { title: 'Session' });
  select.id = 'session';
  select.setAttribute('aria-label', 'Session');
  for (const s of state.sessions) {
    const option = el('option', { text: `${s.inWorkspace ? '● ' : ''}${s.title} · ${s.turns} turns` });
    option.value = s.id;
    option.selected = s.id === state.selected?.id;
    select.append(option);
  }
  select.addEventListener('change', () => post({ type: 'selectSession', sessionId: select.value }));
  root.append(el('label', { className: 'label', text: 'Session' }), select);

  const d = state.selected;
  if (d) {
    // Context gauge by kind
    const pct = fillPercent(d.contextTokens, d.contextWindow);
    const fill = el('div', { className: 'gauge-fill' });
    fill.style.width = `${pct}%`;
    const caption = fillCaption(d);
    const gauge = el('div', { className: 'gauge', title: caption.title }, fill);
    const fillText = el('div', { className: 'fill-text', text: caption.text, title: caption.title });
    fillText.id = 'context-fill';
    const kinds = el('div', { className: 'kinds' });
    const kindBar = el('div', { className: 'kind-bar' });
    gaugeSegments(d.byKind).forEach((seg, i) => {
      const part = el('div', { className: `kind k${i}`, title: `${seg.kind}: ${seg.tokens.toLocaleString('en-US')} tokens` });
      part.style.width = `${seg.percent}%`;
      kindBar.append(part);
      kinds.append(el('span', { className: `legend k${i}`, text: `${seg.kind} ${formatTokens(seg.tokens)}` }));
    });
    root.append(el('section', { className: 'context' }, fillText, gauge, kindBar, kinds));

    if (state.mode === 'panel') {
      root.append(el('label', { className: 'label', text: `Timeline · ${d.turns.length} turns` }), panelTimeline(d));
      root.append(actionsPanel(state));
      root.append(el('label', { className: 'label', text: 'Graph · files, symbols, errors, decisions' }), panelGraph());
    }

    // Mini timeline (the sidebar's; the panel has the full one above)
    const maxBars = state.mode === 'panel' ? 400 : 60;
    const mini = el('div', { className: 'timeline' });
    mini.setAttribute('role', 'img');
    mini.setAttribute('aria-label', `${d.turns.length} turns`);
    for (const bar of timelineBars(d.turns, maxBars)) {
      const range = bar.from === bar.to ? `turn ${bar.from}` : `turns ${bar.from}–${bar.to}`;
      const b = el('div', { className: 'bar', title: `${range}: ${formatTokens(bar.tokens)} tokens\n${bar.prompt}` });
      b.style.height = `${bar.height}%`;
      mini.append(b);
    }
    if (state.mode === 'sidebar') root.append(el('label', { className: 'label', text: `Timeline · ${d.turns.length} turns` }), mini, actionsPanel(state));
    if (state.mode === 'panel') {
      // The turns as text too: the timeline's index for keyboards and screen readers. Digests are
      // markdown: shown as the text they read as, never as markup.
      const list = el('ul', { className: 'turn-list' });
      for (const t of d.turns) list.append(el('li', { text: `${t.index}. ${oneLine(t.prompt) || '(no prompt)'} — ${formatTokens(t.tokens)}` }));
      root.append(el('label', { className: 'label', text: 'Turns' }), list);
    }
  } else {
    root.append(el('p', { className: 'empty-state muted', text: 'Pick a session above to see its context, timeline and actions.' }));
  }
  if (focused && focused.isConnected) focused.focus();
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const envelope = parseToWebview(event.data);
  if (!envelope) return;
  const body = envelope.body;
  if (actions?.receive(body)) return;
  if (body.type === 'didLoadGraph') {
    graph?.setData(body.graph);
    return;
  }
  if (body.type === 'didLoadTimeline') {
    timeline?.setData(body.timeline, memory.zoom);
    return;
  }
  if (body.type === 'didLoadEventDetail') {
    timeline?.showEventDetail(body);
    return;
  }
  if (body.type === 'didFailLoad') {
    (body.what === 'timeline' ? timeline : graph)?.showFailure(body.message);
    return;
  }
  if (body.type !== 'didChangeState') return;
  remember({ last: body });
  render(body);
});

// Paint what we had before being hidden, then ask for a fresh snapshot.
if (memory.last) render(memory.last);
post({ type: 'ready' });
