import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

import { errorMessage, SERVICE_CONFIG } from '@vigil/platform';

import { AlertRepository } from '../model/alert.repository';
import type { AlertingConfig } from '../config/alerting-config';
import { NotificationOutbox } from '../delivery/notification-outbox';
import { OutboxSender } from '../delivery/outbox.sender';
import { RoutingConfigService } from '../routing/routing-config.service';
import { EpisodeRecorder } from '../episodes/episode-recorder';
import { EpisodeRepository } from '../episodes/episode.repository';

const BATCH = 100;

/**
 * Escalation: while an episode with a policy is neither acknowledged nor resolved, each step tells
 * its receiver once its time has come (counted from when the alert fired), then the last step repeats
 * every repeat_interval when set. Due episodes are row-locked (SKIP LOCKED), so one replica escalates
 * each step once. `escalate(now)` takes the clock as an argument, so tests drive it with a fake one.
 */
@Injectable()
export class EscalationService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(EscalationService.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: AlertingConfig,
    private readonly alerts: AlertRepository,
    private readonly episodes: EpisodeRepository,
    private readonly recorder: EpisodeRecorder,
    private readonly outbox: NotificationOutbox,
    private readonly routing: RoutingConfigService,
    private readonly sender: OutboxSender,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.escalate(new Date())
        .catch((error: unknown) => this.logger.warn({ error: errorMessage(error) }, 'escalation failed'))
        .finally(() => (this.running = null));
    }, this.config.DELIVERY_POLL_MS);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Escalates every episode due at `now`; resolves to how many receivers were told. */
  async escalate(now: Date): Promise<number> {
    const routing = this.routing.current;
    const told = await this.alerts.transaction(async (tx) => {
      let count = 0;
      for (const episode of await this.episodes.claimDueEscalations(tx, now, BATCH)) {
        const policy = routing.escalationPolicies.find((p) => p.name === episode.escalationPolicy);
        const alert = await this.alerts.find(tx, episode.fingerprint);
        const stillFiring =
          alert?.status === 'firing' && alert.startsAt.getTime() === episode.startsAt.getTime();
        if (!policy || !alert || !stillFiring) {
          await this.episodes.setEscalation(
            tx,
            episode.fingerprint,
            episode.startsAt,
            episode.escalationStep,
            null,
          );
          continue;
        }
        const index = Math.min(episode.escalationStep, policy.steps.length - 1);
        const step = policy.steps[index];
        const receiver = routing.receivers.get(step.receiver);
        if (receiver) {
          await this.outbox.enqueue(tx, {
            groupKey: `{}/escalation/${policy.name}:{fingerprint=${JSON.stringify(alert.fingerprint)}}`,
            groupLabels: alert.labels,
            receiver,
            key: `escalation:${alert.fingerprint}:${alert.startsAt.toISOString()}:${episode.escalationStep}`,
            alerts: [alert],
          });
          count++;
        }
        const stepNumber = episode.escalationStep + 1;
        await this.recorder.history(tx, alert, 'escalated', 'system', now, {
          details: { policy: policy.name, step: stepNumber, receiver: step.receiver },
        });
        const next =
          stepNumber < policy.steps.length
            ? new Date(episode.firedAt.getTime() + policy.steps[stepNumber].afterMs)
            : policy.repeatIntervalMs
              ? new Date(now.getTime() + policy.repeatIntervalMs)
              : null;
        await this.episodes.setEscalation(tx, episode.fingerprint, episode.startsAt, stepNumber, next);
        this.logger.log(
          {
            alert_fingerprint: alert.fingerprint,
            policy: policy.name,
            step: stepNumber,
            receiver: step.receiver,
          },
          'alert escalated',
        );
      }
      return count;
    });
    if (told) this.sender.nudge();
    return told;
  }
}
