// What the views paint from: the sessions, the selected one's numbers, and the busy text. One
// instance per window; the sidebar, the panel and the status bar all follow it.
import * as vscode from 'vscode';
import type { DidChangeStateNotification, SessionDetail, SessionItem, TimelineData } from '../../protocol';
import { readConfig } from '../config';
import { Disposable } from '../disposable';
import { buildTimeline, renderTurnRange } from '../lib/timeline';
import { LiveSessions } from '../live';
import type { LoupeSessions } from '../sessions';

const MAX_TIMELINE_TURNS = 400;

export class ViewState extends Disposable {
  private selectedId: string | undefined;
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  constructor(private readonly sessions: LoupeSessions, private readonly memento: vscode.Memento) {
    super();
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
    const last = stats.contextReal.at(-1) ?? stats.contextEstimated.at(-1);
    const turns = (await this.sessions.open()).turns(sessionId);
    return {
      id: stats.sessionId,
      title: stats.title || stats.sessionId,
      contextTokens: last?.tokens ?? 0,
      contextWindow: readConfig().contextWindow,
      byKind: stats.byKind.map((k) => ({ kind: k.kind, tokens: k.tokens })),
      turns: turns.slice(-MAX_TIMELINE_TURNS).map((t) => ({ index: t.index, tokens: t.tokens, prompt: t.prompt.replace(/\s+/g, ' ').slice(0, 120) })),
    };
  }

  /** The visualiser's timeline of a session (all five resolutions, previews cut). */
  async timeline(sessionId: string): Promise<TimelineData> {
    return buildTimeline(await this.sessions.open(), sessionId);
  }

  /** Turns `from`..`to` as markdown at one resolution (R2 digests, R1 stripped, R0 verbatim). */
  async turnRange(sessionId: string, from: number, to: number, level: 0 | 1 | 2): Promise<string> {
    return renderTurnRange(await this.sessions.open(), sessionId, from, to, level);
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
