// The actions panel: Compact (budget slider with the live size of the result), Recall (search,
// results, reveal) and Progressive Read (plan first, then run). The panel shows all three side by
// side; the sidebar shows Compact and Recall, and opens the read's plan through the command.
// It lives across renders: main.ts re-appends the same element after every state push.
import type { DidChangeStateNotification, ToWebviewMessage } from '../../src/protocol';
import { sliderIndexFor } from '../lib/model';
import { el } from '../ui/dom';
import { button } from '../ui/toolkit';
import { CompactSection } from './compact';
import { ReadSection } from './read';
import { RecallSection } from './recall';
import type { ActionsHost, ActionsMemory } from './section';

export type { ActionsHost, ActionsMemory } from './section';

export class ActionsPanel {
  readonly element: HTMLElement;
  private readonly compact: CompactSection;
  private readonly recall: RecallSection;
  private readonly read: ReadSection | undefined;
  private sessionId = '';
  private budgetDefault: number | undefined;

  constructor(private readonly host: ActionsHost, private readonly memory: ActionsMemory, private readonly mode: 'sidebar' | 'panel', budget: number) {
    this.compact = new CompactSection(host, memory.sliderIndex ?? sliderIndexFor(budget));
    this.recall = new RecallSection(host, memory.query ?? '', mode === 'panel');
    this.budgetDefault = budget;
    this.element = el('div', { className: `actions-panel mode-${mode}` }, this.compact.element, this.recall.element);
    this.element.setAttribute('role', 'region');
    this.element.setAttribute('aria-label', 'Actions');
    if (mode === 'panel') {
      this.read = new ReadSection(host, memory);
      this.element.append(this.read.element);
    } else {
      this.element.append(
        el(
          'div',
          { className: 'act-buttons sidebar-more' },
          button('Progressive Read…', { appearance: 'secondary', title: 'Plan a read of the session blurry to sharp, then run it', data: { action: 'progressiveRead' }, onClick: () => this.runAction('progressiveRead') }),
          button('Visualiser', { appearance: 'secondary', title: 'Open the full timeline and graph in an editor', data: { action: 'openVisualiser' }, onClick: () => this.runAction('openVisualiser') }),
        ),
      );
    }
  }

  private runAction(action: 'progressiveRead' | 'openVisualiser'): void {
    this.host.post(this.sessionId ? { type: 'runAction', action, sessionId: this.sessionId } : { type: 'runAction', action });
  }

  /** A state push: the selected session and the budget setting (the slider's default until moved). */
  update(state: DidChangeStateNotification): void {
    if (state.budget !== this.budgetDefault && this.memory.sliderIndex === undefined) this.compact.setIndex(sliderIndexFor(state.budget));
    this.budgetDefault = state.budget;
    const id = state.selected?.id ?? '';
    if (id === this.sessionId) return;
    this.sessionId = id;
    this.compact.setSession(id);
    this.recall.setSession(id);
    this.read?.setSession(id);
  }

  /** Handles the actions' replies; false for the messages it does not own. */
  receive(body: ToWebviewMessage): boolean {
    switch (body.type) {
      case 'didCompactPreview':
        this.compact.receive(body);
        return true;
      case 'didRecall':
        this.recall.receive(body);
        return true;
      case 'didPlanRead':
        this.read?.receivePlan(body);
        return true;
      case 'didProgressPass':
        this.read?.receivePass(body);
        return true;
      case 'didFinishRead':
        this.read?.receiveFinish(body);
        return true;
      case 'didScopeAction': {
        if (body.sessionId !== this.sessionId) return true;
        const section = body.action === 'compact' ? this.compact : body.action === 'recall' ? this.recall : this.read;
        // A read "from here" starts at the range's first turn and reads to the end.
        section?.setScope(body.action === 'progressiveRead' ? { fromTurn: body.fromTurn } : { fromTurn: body.fromTurn, toTurn: body.toTurn });
        section?.focus();
        return true;
      }
      default:
        return false;
    }
  }
}
