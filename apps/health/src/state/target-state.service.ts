import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';

import {
  ALERT_FIRED_SUBJECT,
  ALERT_RESOLVED_SUBJECT,
  alertEventV1Schema,
  HEALTH_STATUS_SUBJECT,
  healthStatusChangedV1Schema,
} from '@vigil/contracts';
import { errorMessage, NatsMessaging } from '@vigil/platform';
import { redactString } from '@vigil/redaction';

import type { CheckResult } from '../checks/check-result';
import { CheckHistoryRepository } from '../history/check-history.repository';
import type { TargetDefinition } from '../targets/target-definition';
import { REPLICA_ID } from '../config/replica-id';
import { TargetCatalog } from '../targets/target-catalog';
import { applyCheck, initialTargetState, type TargetState, type Transition } from './target-state-machine';
import { TargetStateRepository } from './target-state.repository';

export interface TargetSnapshot {
  target: TargetDefinition;
  state: TargetState;
}

/**
 * Keeps the current state of every target: applies each check result to the state machine,
 * stores the result and the new state, and publishes HealthStatusChanged on every transition.
 * States survive a restart (restored from target_states at boot).
 */
@Injectable()
export class TargetStateService implements OnModuleInit {
  private readonly logger = new Logger(TargetStateService.name);
  private readonly states = new Map<string, TargetState>();

  constructor(
    private readonly catalog: TargetCatalog,
    private readonly repository: TargetStateRepository,
    private readonly history: CheckHistoryRepository,
    @Inject(REPLICA_ID) private readonly replicaId: string,
    private readonly messaging: NatsMessaging,
  ) {}

  async onModuleInit(): Promise<void> {
    const targets = this.catalog.list();
    const saved = await this.repository.statesOf(targets.map((t) => t.name));
    const now = new Date().toISOString();
    for (const target of targets)
      this.states.set(target.name, saved.get(target.name) ?? initialTargetState(now));
  }

  /** Reloads one target's state from Postgres (another replica may have checked it meanwhile). */
  async reload(name: string): Promise<void> {
    const saved = await this.repository.statesOf([name]);
    const state = saved.get(name);
    if (state) this.states.set(name, state);
  }

  snapshot(): TargetSnapshot[] {
    return this.catalog.list().map((target) => ({ target, state: { ...this.stateOf(target.name) } }));
  }

  async record(target: TargetDefinition, result: CheckResult): Promise<void> {
    const error = result.error === null ? null : redactString(result.error);
    const checkedAt = result.checkedAt.toISOString();
    const previous = this.stateOf(target.name);
    const { state, transition } = applyCheck(
      previous,
      { ok: result.ok, error, responseTimeMs: result.responseTimeMs, checkedAt },
      target,
    );
    this.states.set(target.name, state);
    try {
      await this.repository.recordCheck({ ...result, error, checkedAt, checkedBy: this.replicaId }, state);
    } catch (storeError) {
      this.logger.error({ target: target.name, error: describe(storeError) }, 'check result not stored');
    }
    if (transition) {
      await this.recordIncident(target.name, transition);
      await this.announce(target.name, transition);
      await this.alert(target.name, transition, previous.since);
    }
  }

  /** An incident spans a target's time down: opened on entering down, closed on leaving it. */
  private async recordIncident(target: string, transition: Transition): Promise<void> {
    try {
      if (transition.to === 'down') await this.history.openIncident(target, transition.at, transition.reason);
      else if (transition.from === 'down') await this.history.closeIncident(target, transition.at);
    } catch (storeError) {
      this.logger.error({ target, error: describe(storeError) }, 'incident not stored');
    }
  }

  /**
   * A target going down fires ServiceDown (critical) on alerts.v1.fired; coming back up resolves it
   * on alerts.v1.resolved with the same labels and startsAt, so alerting matches the two by
   * fingerprint. unknown -> up raises nothing. The Nats-Msg-Id makes a re-publish a no-op.
   */
  private async alert(target: string, transition: Transition, previousSince: string): Promise<void> {
    const resolving = transition.from === 'down' && transition.to === 'up';
    if (transition.to !== 'down' && !resolving) return;
    const startsAt = resolving ? previousSince : transition.at;
    const event = alertEventV1Schema.parse({
      labels: { alertname: 'ServiceDown', severity: 'critical', service: target, target },
      annotations: {
        summary: `${target} is down`,
        description: resolving ? `${target} recovered: ${transition.reason}` : transition.reason,
      },
      startsAt,
      ...(resolving ? { endsAt: transition.at } : {}),
    });
    const subject = resolving ? ALERT_RESOLVED_SUBJECT : ALERT_FIRED_SUBJECT;
    try {
      await this.messaging.publish(
        subject,
        event,
        `ServiceDown:${target}:${startsAt}:${resolving ? 'resolved' : 'fired'}`,
      );
    } catch (publishError) {
      this.logger.error({ target, subject, error: describe(publishError) }, 'alert not published');
    }
  }

  private async announce(target: string, transition: Transition): Promise<void> {
    const fields = { target, from: transition.from, to: transition.to, reason: transition.reason };
    if (transition.to === 'down') this.logger.warn(fields, 'target down');
    else this.logger.log(fields, `target ${transition.to}`);
    const message = healthStatusChangedV1Schema.parse({ target, ...transition });
    try {
      await this.messaging.publish(
        HEALTH_STATUS_SUBJECT,
        message,
        `${target}:${transition.from}:${transition.to}:${transition.at}`,
      );
    } catch (publishError) {
      this.logger.error({ ...fields, error: describe(publishError) }, 'status change not published');
    }
  }

  private stateOf(name: string): TargetState {
    let state = this.states.get(name);
    if (!state) {
      state = initialTargetState(new Date().toISOString());
      this.states.set(name, state);
    }
    return state;
  }
}

function describe(error: unknown): string {
  return redactString(errorMessage(error));
}
