// Recall: a search box over the session (core recall: full text at every level + the graph),
// its results as a list; a result reveals its turn on the timeline and opens its original.
import type { DidRecallNotification, RecallHitItem } from '../../src/protocol';
import { el } from '../ui/dom';
import { badge, fieldValue, setFieldValue, textField } from '../ui/toolkit';
import { debounce, hitTitle, isScoped, sameScope, scopeLabel } from './model';
import { type ActionsHost, Section, setStatus } from './section';

const SEARCH_DELAY_MS = 250;

export class RecallSection extends Section {
  private readonly field: HTMLElement;
  private readonly status = el('div', { className: 'status recall-status' });
  private readonly list = el('ol', { className: 'recall-results' });
  /** The queries this box asked, and its latest: older answers are dropped, others' (the graph's) shown. */
  private readonly sent = new Set<string>();
  private latest: string | undefined;
  private readonly ask = debounce(() => this.search(), SEARCH_DELAY_MS);

  constructor(host: ActionsHost, query: string, private readonly linkedTimeline: boolean) {
    super('recall', 'Recall', host);
    this.field = textField({
      label: 'Search this session',
      type: 'search',
      placeholder: 'words, a file, an error, a command…',
      value: query,
      onInput: () => this.typed(),
      onEnter: () => {
        this.ask.cancel();
        this.search();
      },
    });
    this.field.id = 'recall-query';
    this.status.id = 'recall-status';
    this.status.setAttribute('aria-live', 'polite');
    this.list.setAttribute('aria-label', 'Recall results');
    this.element.append(this.field, this.status, this.list);
    this.showEmpty();
  }

  private get query(): string {
    return fieldValue(this.field).trim();
  }

  private typed(): void {
    this.host.remember({ query: fieldValue(this.field) });
    if (!this.query) {
      this.ask.cancel();
      this.latest = undefined;
      this.showEmpty();
      return;
    }
    setStatus(this.status, 'loading', `Searching for “${this.query}”…`);
    this.ask();
  }

  private showEmpty(): void {
    this.list.textContent = '';
    const where = isScoped(this.scope) ? ` in ${scopeLabel(this.scope)}` : '';
    setStatus(this.status, 'empty', this.sessionId ? `Type to search this session${where}: what was said, read, run or decided, at every resolution.` : 'Pick a session to search it.');
  }

  protected sessionChanged(): void {
    this.list.textContent = '';
    if (this.query) this.search();
    else this.showEmpty();
  }

  protected scopeChanged(): void {
    if (this.query) this.search();
    else this.showEmpty();
  }

  protected mainControl(): HTMLElement {
    return this.field;
  }

  private search(): void {
    const query = this.query;
    if (!this.sessionId || !query) return;
    this.latest = query;
    this.sent.add(query);
    setStatus(this.status, 'loading', `Searching for “${query}”…`);
    this.host.post({ type: 'requestRecall', sessionId: this.sessionId, query, ...this.scope });
  }

  receive(r: DidRecallNotification): void {
    if (this.sent.has(r.query) && r.query !== this.latest) return; // an older question of this box
    if (r.query !== this.latest) {
      // Asked elsewhere (a double-click on the graph): the box shows what the results answer.
      setFieldValue(this.field, r.query);
      this.host.remember({ query: r.query });
      this.latest = r.query;
      this.element.scrollIntoView({ block: 'nearest' });
    }
    if (!sameScope(r, this.scope)) this.setScope({ ...(r.fromTurn !== undefined ? { fromTurn: r.fromTurn } : {}), ...(r.toTurn !== undefined ? { toTurn: r.toTurn } : {}) }, true);
    this.show(r);
  }

  private show(r: DidRecallNotification): void {
    this.list.textContent = '';
    const where = isScoped(this.scope) ? ` in ${scopeLabel(this.scope)}` : '';
    if (r.error) {
      setStatus(this.status, 'error', 'Recall failed', r.error);
      return;
    }
    if (r.hits.length === 0) {
      setStatus(this.status, 'empty', `No match for “${r.query}”${where}.`, 'Try fewer or other words, a file name, or an error message.');
      return;
    }
    setStatus(this.status, 'ok', `${r.hits.length} result${r.hits.length === 1 ? '' : 's'} for “${r.query}”${where}`);
    for (const hit of r.hits) this.list.append(el('li', {}, this.hitButton(hit)));
  }

  private hitButton(hit: RecallHitItem): HTMLButtonElement {
    const b = el(
      'button',
      { className: 'hit', title: this.linkedTimeline ? 'Reveal on the timeline and open the original' : 'Open the original' },
      el(
        'span',
        { className: 'hit-head' },
        el('span', { className: 'hit-handle', text: hit.handle }),
        el('span', { className: 'hit-turn', text: `turn ${hit.turn}` }),
        badge(hit.level, hit.archived ? `${hit.level}, archived into the working context` : hit.level),
        el('span', { className: 'hit-score muted', text: `score ${hit.score.toFixed(2)}` }),
      ),
      el('span', { className: 'hit-snippet', text: hit.snippet }),
    );
    b.type = 'button';
    b.dataset.turn = String(hit.turn);
    b.dataset.handle = hit.handle;
    b.setAttribute('aria-label', `${hitTitle(hit)}: ${hit.snippet}`);
    b.addEventListener('click', () => {
      this.host.revealTurn(hit.turn);
      this.host.post({ type: 'openRecallHit', handle: hit.handle });
    });
    return b;
  }
}
