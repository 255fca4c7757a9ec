// The R1/R0 text of the events the timeline shows, fetched one at a time when an event is hovered or
// clicked (`requestEventDetail` → `didLoadEventDetail`): the timeline itself only carries labels, so
// 50,000 events never travel with their text. Recent answers are kept, a few hundred at most.
import type { DidLoadEventDetailNotification, EventDetail, FromWebviewMessage } from '../../src/protocol';

const KEEP = 300;

export class EventDetails {
  private sessionId = '';
  /** Answers by event id, oldest first (a Map keeps insertion order): null = the host has no such event. */
  private readonly loaded = new Map<number, EventDetail | null>();
  private readonly asked = new Set<number>();

  constructor(
    private readonly post: (message: FromWebviewMessage) => void,
    private readonly onLoad: (eventId: number) => void,
  ) {}

  /** A new session forgets the old one's answers. */
  useSession(sessionId: string): void {
    if (sessionId === this.sessionId) return;
    this.sessionId = sessionId;
    this.loaded.clear();
    this.asked.clear();
  }

  /** The detail if it is here; otherwise asks the host once and returns undefined (onLoad follows). */
  get(eventId: number): EventDetail | null | undefined {
    const d = this.loaded.get(eventId);
    if (d !== undefined) {
      this.loaded.delete(eventId);
      this.loaded.set(eventId, d);
      return d;
    }
    if (!this.asked.has(eventId) && this.sessionId) {
      this.asked.add(eventId);
      this.post({ type: 'requestEventDetail', sessionId: this.sessionId, eventId });
    }
    return undefined;
  }

  receive(message: DidLoadEventDetailNotification): void {
    if (message.sessionId !== this.sessionId || !this.asked.delete(message.eventId)) return;
    this.loaded.set(message.eventId, message.detail);
    if (this.loaded.size > KEEP) this.loaded.delete(this.loaded.keys().next().value!);
    this.onLoad(message.eventId);
  }
}
