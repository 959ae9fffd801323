import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';

import { HEALTH_STATUS_SUBJECT, healthStatusChangedV1Schema } from '@vigil/contracts';
import { NatsMessaging } from '@vigil/platform';
import { redactString } from '@vigil/redaction';

import type { CheckResult } from '../checks/check-result';
import type { TargetDefinition } from '../targets/target-definition';
import { HEALTH_TARGETS } from '../targets/targets.tokens';
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
    @Inject(HEALTH_TARGETS) private readonly targets: readonly TargetDefinition[],
    private readonly repository: TargetStateRepository,
    private readonly messaging: NatsMessaging,
  ) {}

  async onModuleInit(): Promise<void> {
    const saved = await this.repository.statesOf(this.targets.map((t) => t.name));
    const now = new Date().toISOString();
    for (const target of this.targets)
      this.states.set(target.name, saved.get(target.name) ?? initialTargetState(now));
  }

  snapshot(): TargetSnapshot[] {
    return this.targets.map((target) => ({ target, state: { ...this.stateOf(target.name) } }));
  }

  async record(target: TargetDefinition, result: CheckResult): Promise<void> {
    const error = result.error === null ? null : redactString(result.error);
    const checkedAt = result.checkedAt.toISOString();
    const { state, transition } = applyCheck(
      this.stateOf(target.name),
      { ok: result.ok, error, responseTimeMs: result.responseTimeMs, checkedAt },
      target,
    );
    this.states.set(target.name, state);
    try {
      await this.repository.recordCheck({ ...result, error, checkedAt }, state);
    } catch (storeError) {
      this.logger.error({ target: target.name, error: describe(storeError) }, 'check result not stored');
    }
    if (transition) await this.announce(target.name, transition);
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
  return redactString(error instanceof Error ? error.message : String(error));
}
