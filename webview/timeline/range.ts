// The bar under the timeline once a range of turns is dragged over: which turns, how many tokens
// they hold at R0, and the actions that take a range (each posts `runRangeAction`).
import { RANGE_ACTIONS, type FromWebviewMessage, type RangeAction } from '../../src/protocol';
import { formatTokens } from '../lib/model';

const RANGE_LABELS: Record<RangeAction, string> = { compact: 'Compact this range', recall: 'Recall in this range', progressiveRead: 'Progressive read from here' };

export class RangeBar {
  readonly element = document.createElement('div');

  constructor(private readonly post: (message: FromWebviewMessage) => void) {
    this.element.className = 'tl-range';
    this.element.hidden = true;
  }

  /** Shows turns fromTurn..toTurn of the session; `tokens` are theirs at R0. */
  show(sessionId: string, range: { fromTurn: number; toTurn: number }, tokens: number): void {
    this.element.textContent = '';
    const label = range.fromTurn === range.toTurn ? `Turn ${range.fromTurn}` : `Turns ${range.fromTurn}–${range.toTurn}`;
    this.element.append(span('tl-range-label', label), span('tl-range-tokens', `${formatTokens(tokens)} tokens at R0`));
    for (const action of RANGE_ACTIONS) {
      const b = document.createElement('button');
      b.className = action === 'compact' ? '' : 'secondary';
      b.textContent = RANGE_LABELS[action];
      b.dataset.rangeAction = action;
      b.addEventListener('click', () => this.post({ type: 'runRangeAction', action, sessionId, ...range }));
      this.element.append(b);
    }
    this.element.hidden = false;
  }

  hide(): void {
    this.element.hidden = true;
    this.element.textContent = '';
  }
}

function span(className: string, text: string): HTMLSpanElement {
  const s = document.createElement('span');
  s.className = className;
  s.textContent = text;
  return s;
}
