// Compact: a budget slider with the live token count of the result. Moving the slider asks the
// host for a preview (debounced); Open and Export compact at the slider's budget for real.
import type { DidCompactPreviewNotification } from '../../src/protocol';
import { budgetAt, formatTokens, SLIDER_BUDGETS } from '../lib/model';
import { el } from '../ui/dom';
import { button, setDisabled, slider } from '../ui/toolkit';
import { debounce, previewSummary, sameScope } from './model';
import { type ActionsHost, Section, setStatus } from './section';

const PREVIEW_DELAY_MS = 150;

export class CompactSection extends Section {
  private index: number;
  private readonly input: HTMLInputElement;
  private readonly budgetText = el('span', { className: 'budget-text' });
  private readonly preview = el('div', { className: 'status preview' });
  private readonly open: HTMLElement;
  private readonly exportButton: HTMLElement;
  private readonly ask = debounce(() => this.requestPreview(), PREVIEW_DELAY_MS);

  constructor(host: ActionsHost, sliderIndex: number) {
    super('compact', 'Compact', host);
    this.index = sliderIndex;
    this.input = slider({ label: 'Token budget of the compaction', min: 0, max: SLIDER_BUDGETS.length - 1, value: sliderIndex, onInput: (i) => this.moved(i) });
    this.input.id = 'compact-budget';
    this.budgetText.id = 'compact-budget-text';
    this.preview.id = 'compact-preview';
    this.preview.setAttribute('aria-live', 'polite');
    this.open = button('Open', { title: 'Compact to this budget and open the result', data: { action: 'compact' }, onClick: () => this.run('open') });
    this.exportButton = button('Export to clipboard', { appearance: 'secondary', title: 'Compact to this budget and copy the result', data: { action: 'export' }, onClick: () => this.run('clipboard') });
    this.element.append(
      el('div', { className: 'slider-row' }, el('span', { className: 'muted', text: 'blurry' }), this.input, el('span', { className: 'muted', text: 'sharp' })),
      el('div', { className: 'budget-row' }, el('span', { className: 'muted', text: 'Budget ' }), this.budgetText),
      this.preview,
      el('div', { className: 'act-buttons' }, this.open, this.exportButton),
    );
    this.showBudget();
    setStatus(this.preview, 'empty', 'Pick a session to see what a compaction holds.');
    this.setEnabled(false);
  }

  get budget(): number {
    return budgetAt(this.index);
  }

  /** The state's default when the user has not moved the slider. */
  setIndex(index: number): void {
    if (index === this.index) return;
    this.index = index;
    this.input.value = String(index);
    this.showBudget();
    if (this.sessionId) this.ask();
  }

  private moved(index: number): void {
    this.index = index;
    this.host.remember({ sliderIndex: index });
    this.showBudget();
    setStatus(this.preview, 'loading', `Counting the compaction at ${formatTokens(this.budget)}…`);
    this.ask();
  }

  private showBudget(): void {
    this.budgetText.textContent = `${formatTokens(this.budget)} tokens`;
  }

  private setEnabled(on: boolean): void {
    setDisabled(this.open, !on);
    setDisabled(this.exportButton, !on);
  }

  protected sessionChanged(): void {
    this.setEnabled(this.sessionId !== '');
    if (this.sessionId) this.requestPreview();
  }

  protected scopeChanged(): void {
    this.requestPreview();
  }

  protected mainControl(): HTMLElement {
    return this.input;
  }

  private requestPreview(): void {
    if (!this.sessionId) return;
    setStatus(this.preview, 'loading', `Counting the compaction at ${formatTokens(this.budget)}…`);
    this.host.post({ type: 'requestCompactPreview', sessionId: this.sessionId, budget: this.budget, ...this.scope });
  }

  private run(target: 'open' | 'clipboard'): void {
    if (!this.sessionId) return;
    this.host.post({ type: 'runCompact', target, sessionId: this.sessionId, budget: this.budget, ...this.scope });
  }

  /** A preview arrived: shown only when it is for what the slider shows now. */
  receive(p: DidCompactPreviewNotification): void {
    if (p.sessionId !== this.sessionId || p.budget !== this.budget || !sameScope(p, this.scope)) return;
    const { headline, detail } = previewSummary(p);
    setStatus(this.preview, p.error ? 'error' : 'ok', headline, detail);
    this.preview.dataset.tokens = String(p.tokens);
  }
}
