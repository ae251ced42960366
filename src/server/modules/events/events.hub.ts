import type { FastifyBaseLogger } from "fastify";
import type { Database } from "../../db/client.ts";
import { AppError } from "../../lib/errors.ts";
import { isVisibleTo, type Viewer } from "./events.access.ts";
import { OutboxPoller, type LiveEvent } from "./events.poller.ts";

/** One open stream: its viewer, and how to hand it an event or end it. */
export type Listener = Viewer & { send(event: LiveEvent): void; end(): void };

/** What a stream starts with: the events it missed (or "reset": too many, refetch everything), and the seq it is at. */
export type Attached = { missed: LiveEvent[] | "reset"; position: number; detach(): void };

export type LiveEventOptions = {
  /** Open streams one user may have at once (per process); one more answers 429. */
  maxStreamsPerUser: number;
  /** A comment line this often keeps proxies from closing a quiet stream. */
  heartbeatMs: number;
  /** How often a stream checks its session still holds (signed out, expired, removed: it ends). */
  sessionCheckMs: number;
  /** How long a browser waits before reconnecting (the SSE `retry:` field). */
  retryMs: number;
  /** A stream whose client does not read falls this far behind (bytes) before it is ended. */
  maxBufferedBytes: number;
  pollIntervalMs: number;
  pollBatchSize: number;
  /** Events kept for reconnects (Last-Event-ID): this many, for at most this long. */
  recentSize: number;
  recentMaxAgeMs: number;
  /** With no stream open this long, the reader stops (it starts again with the next stream). */
  idleStopMs: number;
};

export const defaultLiveEventOptions: LiveEventOptions = {
  maxStreamsPerUser: 5,
  heartbeatMs: 20_000,
  sessionCheckMs: 30_000,
  retryMs: 3_000,
  maxBufferedBytes: 1024 * 1024,
  pollIntervalMs: 500,
  pollBatchSize: 500,
  recentSize: 5_000,
  recentMaxAgeMs: 10 * 60_000,
  idleStopMs: 60_000,
};

/**
 * The live events of one process: one outbox reader, fanned out to the open streams of the
 * events' workspace, each event only to those who may see it (events.access.ts). Keeps the recent
 * events so that a reconnecting stream gets what it missed after its Last-Event-ID.
 */
export class LiveEventHub {
  readonly options: LiveEventOptions;
  private readonly byWorkspace = new Map<string, Set<Listener>>();
  private readonly streamsByUser = new Map<string, number>();
  private readonly poller: OutboxPoller;
  private starting: Promise<void> | null = null;
  private isStarted = false;
  private idleTimer: NodeJS.Timeout | undefined;
  /** Recent events in the order they arrived; `floor`: every event above it is among them (or was not for live). */
  private recent: { event: LiveEvent; at: number }[] = [];
  private floor = 0;
  private isClosed = false;

  constructor(
    db: Database,
    private readonly logger: FastifyBaseLogger,
    options: Partial<LiveEventOptions> = {},
  ) {
    this.options = { ...defaultLiveEventOptions, ...options };
    this.poller = new OutboxPoller(db, logger, (events) => this.fanOut(events), {
      intervalMs: this.options.pollIntervalMs,
      batchSize: this.options.pollBatchSize,
    });
  }

  /** Changes settings (tests shorten the heartbeat and the session check). */
  configure(options: Partial<LiveEventOptions>): void {
    Object.assign(this.options, options);
  }

  /** Counts a new stream of a user; 429 over the limit. Answers the release, called when it ends. */
  reserve(userId: string): () => void {
    if (this.isClosed) throw new AppError("unavailable", "The server is shutting down.");
    const open = this.streamsByUser.get(userId) ?? 0;
    if (open >= this.options.maxStreamsPerUser) {
      throw new AppError(
        "rate-limited",
        `At most ${this.options.maxStreamsPerUser} live streams at once: close another tab or window of Keel.`,
      );
    }
    this.streamsByUser.set(userId, open + 1);
    let isReleased = false;
    return () => {
      if (isReleased) return;
      isReleased = true;
      const left = (this.streamsByUser.get(userId) ?? 1) - 1;
      if (left > 0) this.streamsByUser.set(userId, left);
      else this.streamsByUser.delete(userId);
    };
  }

  /** Starts the reader unless it runs; throws (the database is away) so the request answers 503. */
  async ready(): Promise<void> {
    clearTimeout(this.idleTimer);
    if (this.isStarted) return;
    this.starting ??= this.poller.begin().then(
      () => {
        this.isStarted = true;
        this.recent = [];
        this.floor = this.poller.highest;
        this.starting = null;
      },
      (error: unknown) => {
        this.starting = null;
        throw error;
      },
    );
    return this.starting;
  }

  /**
   * Adds a stream (after ready()), with the events it missed since `lastEventId`: those kept that
   * it may see, or "reset" when the ones it missed are no longer all kept.
   */
  attach(listener: Listener, lastEventId: number | null): Attached {
    const position = this.poller.highest;
    let missed: LiveEvent[] | "reset" = [];
    if (lastEventId !== null && lastEventId < position) {
      missed =
        lastEventId < this.floor
          ? "reset"
          : this.recent
              .map(({ event }) => event)
              .filter((event) => event.seq > lastEventId && isVisibleTo(event, listener));
    }
    let listeners = this.byWorkspace.get(listener.workspaceId);
    if (!listeners) this.byWorkspace.set(listener.workspaceId, (listeners = new Set()));
    listeners.add(listener);
    clearTimeout(this.idleTimer);
    return {
      missed,
      position,
      detach: () => {
        listeners.delete(listener);
        if (listeners.size === 0) this.byWorkspace.delete(listener.workspaceId);
        if (this.byWorkspace.size === 0) this.stopWhenIdle();
      },
    };
  }

  /** Ends every stream and stops the reader (the app is closing). */
  async close(): Promise<void> {
    this.isClosed = true;
    clearTimeout(this.idleTimer);
    for (const listeners of this.byWorkspace.values()) for (const listener of listeners) listener.end();
    this.byWorkspace.clear();
    await this.starting?.catch(() => undefined);
    await this.poller.stop();
  }

  private stopWhenIdle(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.byWorkspace.size > 0 || !this.isStarted) return;
      this.isStarted = false;
      this.recent = [];
      void this.poller.stop();
    }, this.options.idleStopMs);
    this.idleTimer.unref();
  }

  private fanOut(events: LiveEvent[]): void {
    const now = Date.now();
    for (const event of events) {
      this.recent.push({ event, at: now });
      for (const listener of this.byWorkspace.get(event.workspaceId) ?? []) {
        if (isVisibleTo(event, listener)) listener.send(event);
      }
    }
    // The oldest go past the size or the age kept; `floor` rises to the highest seq let go.
    const oldest = now - this.options.recentMaxAgeMs;
    let dropped = 0;
    for (const entry of this.recent) {
      if (this.recent.length - dropped <= this.options.recentSize && entry.at >= oldest) break;
      this.floor = Math.max(this.floor, entry.event.seq);
      dropped++;
    }
    if (dropped > 0) this.recent = this.recent.slice(dropped);
    this.logger.trace({ events: events.length }, "live events fanned out");
  }
}
