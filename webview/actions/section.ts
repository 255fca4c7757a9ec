// What every section of the actions panel shares: its frame (a heading with the turn range it is
// scoped to, clearable), the host links, and a status line with designed empty, loading and error
// states.
import type { FromWebviewMessage, TurnScope } from '../../src/protocol';
import { el } from '../ui/dom';
import { button, progress } from '../ui/toolkit';
import { isScoped, scopeLabel } from './model';

/** What the panel needs from its page: the host, view-state memory and the timeline's links. */
export interface ActionsHost {
  post(message: FromWebviewMessage): void;
  remember(memory: ActionsMemory): void;
  /** Zooms the timeline to a turn (the panel; a no-op in the sidebar). */
  revealTurn(turn: number): void;
  /** Shows how sharp a progressive read has read each turn so far (null clears). */
  setReadLevels(levels: ReadonlyMap<number, 0 | 1 | 2 | 3 | 4> | null): void;
}

/** What survives the view being hidden: the slider, the recall query, the read's window and question. */
export interface ActionsMemory {
  sliderIndex?: number;
  query?: string;
  window?: number;
  question?: string;
}

export type StatusKind = 'empty' | 'loading' | 'ok' | 'error';

/** A status line: text with a kind (a spinner while loading, error colours on error). */
export function setStatus(node: HTMLElement, kind: StatusKind, text: string, detail?: string): void {
  node.textContent = '';
  node.dataset.state = kind;
  node.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  if (kind === 'loading') node.append(progress(text));
  node.append(el('span', { className: 'status-text', text }));
  if (detail) node.append(el('span', { className: 'status-detail', text: detail }));
}

export abstract class Section {
  readonly element: HTMLElement;
  protected sessionId = '';
  protected scope: TurnScope = {};
  private readonly scopeChip = el('span', { className: 'scope' });
  private readonly scopeText = el('span', { className: 'scope-text' });

  constructor(name: string, title: string, protected readonly host: ActionsHost) {
    const clear = button('×', { appearance: 'icon', title: 'Back to the whole session', data: { clearScope: name }, onClick: () => this.setScope({}) });
    this.scopeChip.append(this.scopeText, clear);
    this.scopeChip.hidden = true;
    const heading = el('h2', { className: 'act-title', text: title });
    heading.id = `act-${name}-title`;
    this.element = el('section', { className: `act act-${name}` }, el('div', { className: 'act-head' }, heading, this.scopeChip));
    this.element.setAttribute('aria-labelledby', heading.id);
    this.element.dataset.section = name;
  }

  /** The selected session changed (or the state was pushed again for the same one). */
  setSession(sessionId: string): void {
    if (sessionId === this.sessionId) return;
    this.sessionId = sessionId;
    this.scope = {};
    this.showScope();
    this.sessionChanged();
  }

  /** Limits the section to a turn range; `quiet`: only show it (the answer already matches it). */
  setScope(scope: TurnScope, quiet = false): void {
    this.scope = scope;
    this.showScope();
    if (!quiet) this.scopeChanged();
  }

  private showScope(): void {
    this.scopeChip.hidden = !isScoped(this.scope);
    this.scopeText.textContent = scopeLabel(this.scope);
    this.element.dataset.scope = isScoped(this.scope) ? scopeLabel(this.scope) : '';
  }

  /** Brings the section into view with its main control focused (a range action chose it). */
  focus(): void {
    this.element.scrollIntoView({ block: 'nearest' });
    this.mainControl()?.focus();
  }

  protected abstract sessionChanged(): void;
  protected abstract scopeChanged(): void;
  protected abstract mainControl(): HTMLElement | undefined;
}
