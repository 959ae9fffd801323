import { createHash } from 'node:crypto';

import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';

import { errorMessage } from '@vigil/platform';

import { UpstreamClient, type Caller } from '../upstream/upstream.client';
import type { HistoryJson } from './alerting-api';

export const FEED_POLL_MS = 1000;
/** History entries re-read on each poll (the poll asks from a little before the newest seen, ids dedupe). */
const OVERLAP_MS = 2000;
const SEEN_KEPT = 2000;

type Listener = (entry: HistoryJson) => void;

/** One key's poll of alerting's history, shared by every open stream of that key. */
class KeyFeed {
  private readonly listeners = new Set<Listener>();
  private readonly seen = new Set<string>();
  private since: number;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly caller: Caller,
    private readonly upstream: UpstreamClient,
    private readonly logger: Logger,
  ) {
    this.since = Date.now() - OVERLAP_MS;
  }

  add(listener: Listener): void {
    this.listeners.add(listener);
    this.timer ??= setInterval(() => void this.poll(), FEED_POLL_MS);
  }

  /** Whether nobody listens any more (the caller then drops this feed). */
  remove(listener: Listener): boolean {
    this.listeners.delete(listener);
    if (this.listeners.size > 0) return false;
    this.stop();
    return true;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const { events } = await this.upstream.json<{ events: HistoryJson[] }>(this.caller, 'alerting', {
        path: '/alerts/history',
        query: { from: new Date(this.since - OVERLAP_MS).toISOString(), limit: 200 },
      });
      // Oldest first, so the page shows them in the order they happened.
      for (const entry of [...events].reverse()) this.deliver(entry);
    } catch (error) {
      this.logger.warn({ err: errorMessage(error) }, 'alert feed poll failed');
    } finally {
      this.polling = false;
    }
  }

  private deliver(entry: HistoryJson): void {
    this.since = Math.max(this.since, Date.parse(entry.at));
    if (this.seen.has(entry.id)) return;
    this.seen.add(entry.id);
    if (this.seen.size > SEEN_KEPT) this.seen.delete(this.seen.values().next().value as string);
    for (const listener of this.listeners) listener(entry);
  }
}

/**
 * What changed in alerting, for the alerts page's server-sent events: alerting's history (fired,
 * acknowledged, resolved...) read with the person's own key, once per second per key however many of
 * their tabs are open, so alerting still decides what each person may read.
 */
@Injectable()
export class AlertFeed implements OnModuleDestroy {
  private readonly logger = new Logger(AlertFeed.name);
  private readonly feeds = new Map<string, KeyFeed>();

  constructor(private readonly upstream: UpstreamClient) {}

  /** Calls `listener` with each new history entry; returns the unsubscribe. */
  subscribe(caller: Caller, listener: Listener): () => void {
    const id = createHash('sha256').update(caller.credential).digest('hex');
    let feed = this.feeds.get(id);
    if (feed === undefined) {
      feed = new KeyFeed({ credential: caller.credential }, this.upstream, this.logger);
      this.feeds.set(id, feed);
    }
    feed.add(listener);
    const current = feed;
    return () => {
      if (current.remove(listener) && this.feeds.get(id) === current) this.feeds.delete(id);
    };
  }

  onModuleDestroy(): void {
    for (const feed of this.feeds.values()) feed.stop();
    this.feeds.clear();
  }
}
