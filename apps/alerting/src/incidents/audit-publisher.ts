import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

import { auditEventSubject, auditEventV1Schema, type AuditEventV1 } from '@vigil/contracts';
import { errorMessage, NatsMessaging } from '@vigil/platform';
import { redact } from '@vigil/redaction';

import { EpisodeRepository, type HistoryEntry } from '../episodes/episode.repository';

const POLL_MS = 2000;
const BATCH = 100;
const ACTIONS: Partial<Record<HistoryEntry['event'], string>> = {
  acknowledged: 'alert.acknowledged',
  resolved_manually: 'alert.resolved',
  false_positive: 'alert.false_positive.marked',
};

/**
 * Publishes actions by people (acknowledge, resolve, false positive) to audit.v1.events.alerting,
 * from the history rows written in the same transaction as the action: nothing is lost when NATS is
 * down, and Nats-Msg-Id (the history id) makes a re-publish after a crash a duplicate the stream drops.
 */
@Injectable()
export class AuditPublisher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AuditPublisher.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly episodes: EpisodeRepository,
    private readonly messaging: NatsMessaging,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.nudge(), POLL_MS);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  nudge(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.publishPending().finally(() => {
      this.running = null;
      if (this.again && this.timer) {
        this.again = false;
        this.nudge();
      }
    });
  }

  private async publishPending(): Promise<void> {
    try {
      for (const entry of await this.episodes.pendingAudit(BATCH)) {
        const event = auditEventOf(entry);
        await this.messaging.publish(auditEventSubject('alerting'), event, event.id);
        await this.episodes.markAudited(entry.id);
      }
    } catch (error) {
      this.logger.warn({ error: errorMessage(error) }, 'audit publish failed; will retry');
    }
  }
}

export function auditEventOf(entry: HistoryEntry): AuditEventV1 {
  return auditEventV1Schema.parse(
    redact({
      id: entry.id,
      occurred_at: entry.at.toISOString(),
      source: 'alerting',
      actor: { type: 'user', id: entry.actor },
      action: ACTIONS[entry.event] ?? `alert.${entry.event}`,
      resource: { type: 'alert', id: entry.fingerprint },
      outcome: 'success',
      metadata: {
        alertname: entry.alertname,
        severity: entry.severity,
        episode_starts_at: entry.episodeStartsAt.toISOString(),
        ...(entry.comment ? { comment: entry.comment } : {}),
      },
    }),
  );
}
