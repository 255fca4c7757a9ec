// What the views paint from: the sessions, the selected one's numbers, and the busy text. One
// instance per window; the sidebar, the panel and the status bar all follow it.
import * as vscode from 'vscode';
import type { DidChangeStateNotification, DidCompactPreviewNotification, DidRecallNotification, EventDetail, GraphData, SessionDetail, SessionItem, TimelineData, TurnScope } from '../../protocol';
import { ReadRunner } from '../commands/read';
import { readConfig } from '../config';
import { Disposable } from '../disposable';
import { compactPreview, recallItems } from '../lib/actions';
import { buildGraph } from '../lib/graph';
import { buildTimeline, eventDetail, renderTurnRange } from '../lib/timeline';
import { LiveSessions } from '../live';
import type { LoupeSessions } from '../sessions';

const MAX_TIMELINE_TURNS = 400;

export class ViewState extends Disposable {
  private selectedId: string | undefined;
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  /** The window's progressive read (one at a time), and the distillation the actions panel reuses. */
  readonly reads: ReadRunner;

  constructor(private readonly sessions: LoupeSessions, private readonly memento: vscode.Memento, secrets: vscode.SecretStorage) {
    super();
    this.reads = new ReadRunner(sessions, secrets);
    this.selectedId = memento.get<string>('loupe.selectedSession');
    this._register(sessions.onDidChange(() => this.changed.fire()));
    this._register(sessions.onDidChangeBusy(() => this.changed.fire()));
    this._register(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('loupe') && this.changed.fire()));
  }

  select(sessionId: string): void {
    this.selectedId = sessionId;
    void this.memento.update('loupe.selectedSession', sessionId);
    this.changed.fire();
  }

  /** The sessions, workspace ones first, each group most recent first. */
  async items(): Promise<SessionItem[]> {
    const list = await this.sessions.list();
    const items = list.map((s) => ({
      id: s.id,
      title: s.title || s.id,
      cwd: s.cwd,
      turns: s.turns,
      tokens: s.tokens,
      updatedAt: s.updatedAt,
      inWorkspace: LiveSessions.isWorkspaceSession(s.cwd),
    }));
    return [...items.filter((s) => s.inWorkspace), ...items.filter((s) => !s.inWorkspace)];
  }

  /** The selected session's id: the user's pick when it still exists, else the most recent workspace session. */
  async currentId(items?: SessionItem[]): Promise<string | undefined> {
    const list = items ?? (await this.items());
    if (this.selectedId && list.some((s) => s.id === this.selectedId)) return this.selectedId;
    return list[0]?.id;
  }

  async detail(sessionId: string): Promise<SessionDetail> {
    const stats = await this.sessions.stats(sessionId);
    const turns = (await this.sessions.open()).turns(sessionId);
    return {
      id: stats.sessionId,
      title: stats.title || stats.sessionId,
      contextTokens: stats.contextNow.tokens,
      contextSource: stats.contextNow.source,
      contextWindow: readConfig().contextWindow,
      byKind: stats.byKind.map((k) => ({ kind: k.kind, tokens: k.tokens })),
      turns: turns.slice(-MAX_TIMELINE_TURNS).map((t) => ({ index: t.index, tokens: t.tokens, prompt: t.prompt.replace(/\s+/g, ' ').slice(0, 120) })),
    };
  }

  /** The visualiser's timeline of a session (all five resolutions, events lean: their text comes from `eventDetail`). */
  async timeline(sessionId: string): Promise<TimelineData> {
    return buildTimeline(await this.sessions.open(), sessionId, readConfig().contextWindow);
  }

  /** One event's R1 and R0 text, for the timeline's hover and detail pane. */
  async eventDetail(sessionId: string, eventId: number): Promise<EventDetail | null> {
    return eventDetail(await this.sessions.open(), sessionId, eventId);
  }

  /** The visualiser's semantic graph of a session (its heaviest nodes and the turns they touch). */
  async graph(sessionId: string): Promise<GraphData> {
    return buildGraph(await this.sessions.open(), sessionId);
  }

  /** Turns `from`..`to` as markdown at one resolution (R2 digests, R1 stripped, R0 verbatim). */
  async turnRange(sessionId: string, from: number, to: number, level: 0 | 1 | 2): Promise<string> {
    return renderTurnRange(await this.sessions.open(), sessionId, from, to, level);
  }

  /** The size of the compaction at `budget` (the Compact slider's live count). */
  async compactPreview(sessionId: string, budget: number, scope: TurnScope): Promise<DidCompactPreviewNotification> {
    const store = await this.sessions.open();
    return compactPreview(this.reads.distilled.get(store, sessionId), budget, scope);
  }

  /** Recall in one session, optionally in a turn range. */
  async recall(sessionId: string, query: string, scope: TurnScope): Promise<DidRecallNotification> {
    return recallItems(await this.sessions.open(), sessionId, query, scope);
  }

  async snapshot(mode: 'sidebar' | 'panel'): Promise<DidChangeStateNotification> {
    const sessions = await this.items();
    const id = await this.currentId(sessions);
    return {
      type: 'didChangeState',
      sessions,
      selected: id ? await this.detail(id) : null,
      budget: readConfig().tokenBudget,
      busy: this.sessions.busy,
      mode,
    };
  }
}
