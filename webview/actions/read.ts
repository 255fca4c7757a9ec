// Progressive Read: the plan first (passes, slices, tokens per call; offline), then Run with the
// configured model. While it runs, each pass that lands sharpens the timeline; Cancel stops it.
import type { DidFinishReadNotification, DidPlanReadNotification, DidProgressPassNotification } from '../../src/protocol';
import { formatTokens } from '../lib/model';
import { el } from '../ui/dom';
import { button, dropdown, fieldValue, setDisabled, textField } from '../ui/toolkit';
import { debounce, DEFAULT_READ_WINDOW, passTurns, planTotals, READ_WINDOWS } from './model';
import { type ActionsHost, Section, setStatus } from './section';

const REPLAN_DELAY_MS = 400;

export class ReadSection extends Section {
  private window: number;
  private readonly question: HTMLElement;
  private readonly windowPicker: HTMLElement;
  private readonly planStatus = el('div', { className: 'status read-plan-status' });
  private readonly table = el('table', { className: 'plan' });
  private readonly totals = el('p', { className: 'plan-totals muted' });
  private readonly hint = el('p', { className: 'read-hint' });
  private readonly progressLine = el('div', { className: 'status read-progress' });
  private readonly runButton: HTMLElement;
  private readonly cancelButton: HTMLElement;
  private canRun = false;
  private running = false;
  private readonly replan = debounce(() => this.requestPlan(), REPLAN_DELAY_MS);

  constructor(host: ActionsHost, memory: { window?: number; question?: string }) {
    super('read', 'Progressive read', host);
    this.window = memory.window ?? DEFAULT_READ_WINDOW;
    this.windowPicker = dropdown({
      label: "The reading model's window",
      options: READ_WINDOWS.map((w) => ({ value: String(w), text: `${formatTokens(w)} window` })),
      value: String(this.window),
      onChange: (v) => {
        this.window = Number(v) || DEFAULT_READ_WINDOW;
        this.host.remember({ window: this.window });
        this.requestPlan();
      },
    });
    this.windowPicker.id = 'read-window';
    this.question = textField({
      label: 'Question (optional)',
      placeholder: 'what should the read answer?',
      value: memory.question ?? '',
      onInput: (v) => {
        this.host.remember({ question: v });
        this.replan();
      },
    });
    this.question.id = 'read-question';
    this.planStatus.id = 'read-plan-status';
    this.table.id = 'read-plan';
    this.hint.id = 'read-hint';
    this.progressLine.id = 'read-progress';
    this.progressLine.setAttribute('aria-live', 'polite');
    this.runButton = button('Run', { title: 'Run the passes with the configured model', data: { read: 'run' }, onClick: () => this.run() });
    this.cancelButton = button('Cancel', { appearance: 'secondary', title: 'Stop the read (the passes done are kept)', data: { read: 'cancel' }, onClick: () => this.host.post({ type: 'cancelProgressiveRead' }) });
    this.cancelButton.hidden = true;
    this.table.hidden = true;
    this.element.append(
      el('div', { className: 'read-controls' }, this.windowPicker, this.question),
      this.planStatus,
      this.table,
      this.totals,
      this.hint,
      el('div', { className: 'act-buttons' }, this.runButton, this.cancelButton),
      this.progressLine,
    );
    setDisabled(this.runButton, true);
    setStatus(this.planStatus, 'empty', 'Pick a session to plan a read of it.');
  }

  protected sessionChanged(): void {
    this.requestPlan();
  }

  protected scopeChanged(): void {
    this.requestPlan();
  }

  protected mainControl(): HTMLElement {
    return this.windowPicker;
  }

  private get questionText(): string {
    return fieldValue(this.question).trim();
  }

  private request() {
    return {
      sessionId: this.sessionId,
      window: this.window,
      ...(this.scope.fromTurn !== undefined ? { fromTurn: this.scope.fromTurn } : {}),
      ...(this.questionText ? { question: this.questionText } : {}),
    };
  }

  private requestPlan(): void {
    if (!this.sessionId || this.running) return;
    setStatus(this.planStatus, 'loading', `Planning the read for a ${formatTokens(this.window)} window…`);
    this.host.post({ type: 'requestReadPlan', ...this.request() });
  }

  private run(): void {
    if (!this.sessionId || !this.canRun || this.running) return;
    this.setRunning(true);
    this.host.setReadLevels(new Map());
    for (const row of this.table.querySelectorAll('tr[data-pass]')) row.classList.remove('done', 'current');
    this.table.querySelector('tr[data-pass="1"]')?.classList.add('current');
    setStatus(this.progressLine, 'loading', 'Pass 1 is reading…');
    this.host.post({ type: 'runProgressiveRead', ...this.request() });
  }

  private setRunning(on: boolean): void {
    this.running = on;
    this.cancelButton.hidden = !on;
    setDisabled(this.runButton, on || !this.canRun);
    this.element.dataset.running = on ? 'true' : '';
  }

  receivePlan(m: DidPlanReadNotification): void {
    if (m.sessionId !== this.sessionId) return;
    this.canRun = m.canRun;
    setDisabled(this.runButton, !m.canRun || this.running);
    this.hint.textContent = m.runHint;
    this.hint.dataset.state = m.canRun ? 'ok' : 'needs-model';
    this.table.textContent = '';
    this.totals.textContent = '';
    const plan = m.plan;
    if (!plan) {
      this.table.hidden = true;
      setStatus(this.planStatus, 'error', 'Cannot plan this read', m.error ?? 'unknown error');
      return;
    }
    setStatus(this.planStatus, 'ok', `Plan: ${plan.passes.length} passes over turns ${plan.fromTurn}–${plan.toTurn}, each call ≤ ${formatTokens(plan.window)} tokens`);
    const head = el('tr', {}, ...['Pass', 'Task', 'Level', 'Turns', 'Slice', 'Call'].map((h) => el('th', { text: h })));
    head.querySelectorAll('th').forEach((th) => th.setAttribute('scope', 'col'));
    const body = el('tbody');
    for (const p of plan.passes) {
      const row = el(
        'tr',
        {},
        el('td', { text: `${p.pass}/${plan.passes.length}` }),
        el('td', { text: p.task }),
        el('td', { text: p.level }),
        el('td', { text: passTurns(p) }),
        el('td', { className: 'num', text: formatTokens(p.sliceTokens) }),
        el('td', { className: 'num', text: formatTokens(p.promptTokens) }),
      );
      row.dataset.pass = String(p.pass);
      body.append(row);
    }
    this.table.append(el('thead', {}, head), body);
    this.table.hidden = false;
    this.totals.textContent = planTotals(plan);
  }

  receivePass(m: DidProgressPassNotification): void {
    if (!this.running) return;
    for (const row of this.table.querySelectorAll<HTMLElement>('tr[data-pass]')) {
      const n = Number(row.dataset.pass);
      row.classList.toggle('done', n <= m.pass);
      row.classList.toggle('current', n === m.pass + 1);
    }
    const next = m.pass < m.of ? ` Pass ${m.pass + 1} is reading…` : '';
    setStatus(this.progressLine, 'loading', `Pass ${m.pass} of ${m.of} landed.${next}`);
    this.host.setReadLevels(new Map(m.levels.map(([turn, level]) => [turn, level as 0 | 1 | 2 | 3 | 4])));
  }

  receiveFinish(m: DidFinishReadNotification): void {
    this.setRunning(false);
    for (const row of this.table.querySelectorAll('tr.current')) row.classList.remove('current');
    const ok = m.status === 'done' || m.status === 'stopped-early';
    setStatus(this.progressLine, ok ? 'ok' : m.status === 'cancelled' ? 'empty' : 'error', ok ? 'The read is done; its result opened beside.' : `Read ${m.status}.`, m.message);
  }
}
