// Webview entry of the sidebar view and the visualiser panel. It talks to the host only through
// the messages of src/protocol.ts, and builds its DOM with textContent: transcript strings are
// never parsed as HTML.
import { parseToWebview, type DidChangeStateNotification, type Envelope, type FromWebviewMessage, type WebviewAction } from '../src/protocol';
import { budgetAt, fillPercent, formatTokens, gaugeSegments, sliderIndexFor, SLIDER_BUDGETS, timelineBars } from './lib/model';
import { TimelineView, type ZoomMemory } from './timeline/view';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What survives the view being hidden and shown again. */
interface ViewMemory {
  sliderIndex?: number;
  last?: DidChangeStateNotification;
  /** The panel timeline's zoom, per the session it was on. */
  zoom?: ZoomMemory;
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
  }
  return timeline.element;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { className?: string; text?: string; title?: string } = {}, ...children: Node[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  if (props.title !== undefined) node.title = props.title;
  node.append(...children);
  return node;
}

function button(label: string, action: WebviewAction, state: DidChangeStateNotification, title: string): HTMLButtonElement {
  const b = el('button', { text: label, title });
  b.dataset.action = action;
  b.addEventListener('click', () => {
    const msg: FromWebviewMessage = { type: 'runAction', action };
    if (state.selected) msg.sessionId = state.selected.id;
    if (action === 'compact' || action === 'export') msg.budget = budgetAt(memory.sliderIndex ?? sliderIndexFor(state.budget));
    post(msg);
  });
  return b;
}

function render(state: DidChangeStateNotification): void {
  const root = document.getElementById('root');
  if (!root) return;
  root.textContent = '';
  if (state.busy) root.append(el('p', { className: 'busy', text: state.busy }));
  if (state.sessions.length === 0) {
    root.append(
      el('p', { text: 'No agent sessions yet. Sessions of this workspace are picked up automatically; or import a transcript.' }),
      el('div', { className: 'actions' }, button('Import Transcript…', 'import', state, 'Import .jsonl transcripts'), button('Refresh', 'refresh', state, 'Look for new sessions')),
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
    const gauge = el('div', { className: 'gauge', title: `${d.contextTokens.toLocaleString('en-US')} of ${d.contextWindow.toLocaleString('en-US')} tokens` }, fill);
    const fillText = el('div', { className: 'fill-text', text: `Context ${formatTokens(d.contextTokens)} / ${formatTokens(d.contextWindow)} (${Math.round(pct)}%)` });
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
    if (state.mode === 'sidebar') root.append(el('label', { className: 'label', text: `Timeline · ${d.turns.length} turns` }), mini);
    if (state.mode === 'panel') {
      // The turns as text too: the timeline's index for keyboards and screen readers.
      const list = el('ul', { className: 'turn-list' });
      for (const t of d.turns) list.append(el('li', { text: `${t.index}. ${t.prompt || '(no prompt)'} — ${formatTokens(t.tokens)}` }));
      root.append(el('label', { className: 'label', text: 'Turns' }), list);
    }

    // Resolution slider: the budget of Compact and Export, blurry to sharp.
    const slider = el('input');
    slider.type = 'range';
    slider.min = '0';
    slider.max = String(SLIDER_BUDGETS.length - 1);
    slider.step = '1';
    slider.value = String(memory.sliderIndex ?? sliderIndexFor(state.budget));
    slider.setAttribute('aria-label', 'Resolution (token budget)');
    const sliderText = el('span', { className: 'slider-text', text: `${formatTokens(budgetAt(Number(slider.value)))} tokens` });
    slider.addEventListener('input', () => {
      remember({ sliderIndex: Number(slider.value) });
      sliderText.textContent = `${formatTokens(budgetAt(Number(slider.value)))} tokens`;
    });
    root.append(el('label', { className: 'label', text: 'Resolution' }), el('div', { className: 'slider' }, el('span', { className: 'muted', text: 'blurry' }), slider, el('span', { className: 'muted', text: 'sharp' }), sliderText));
  }

  root.append(
    el(
      'div',
      { className: 'actions' },
      button('Compact', 'compact', state, 'Compact the session to the budget and open it'),
      button('Export', 'export', state, 'Copy the compacted session to the clipboard'),
      button('Recall…', 'recall', state, 'Open an event by its handle (eN)'),
      button('Progressive Read…', 'progressiveRead', state, 'Read the session blurry to sharp'),
      ...(state.mode === 'sidebar' ? [button('Visualiser', 'openVisualiser', state, 'Open the full timeline in an editor')] : []),
    ),
  );
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const envelope = parseToWebview(event.data);
  if (!envelope) return;
  const body = envelope.body;
  if (body.type === 'didLoadTimeline') {
    timeline?.setData(body.timeline, memory.zoom);
    return;
  }
  remember({ last: body });
  render(body);
});

// Paint what we had before being hidden, then ask for a fresh snapshot.
if (memory.last) render(memory.last);
post({ type: 'ready' });
