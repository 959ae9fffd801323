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
import { MaintenanceCalendar } from '../maintenance/maintenance-calendar.service';
import { alertLabels, alertNameFor, DEFAULT_ALERTNAME, pendingAlert } from './alert-identity';
import { applyCheck, initialTargetState, type TargetState, type Transition } from './target-state-machine';
import { TargetStateRepository } from './target-state.repository';

export interface TargetSnapshot {
  target: TargetDefinition;
  state: TargetState;
}

/**
 * Keeps the current state of every target: applies each check result to the state machine,
 * stores the result and the new state, publishes HealthStatusChanged on every transition and fires
 * or resolves the target's alert (held while a dependency is down or a maintenance window is open).
 * States survive a restart (restored from target_states at boot).
 */
@Injectable()
export class TargetStateService implements OnModuleInit {
  private readonly logger = new Logger(TargetStateService.name);
  private readonly states = new Map<string, TargetState>();
  /** The tail of each target's chain of record/reconcile work. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly catalog: TargetCatalog,
    private readonly repository: TargetStateRepository,
    private readonly history: CheckHistoryRepository,
    @Inject(REPLICA_ID) private readonly replicaId: string,
    private readonly messaging: NatsMessaging,
    private readonly maintenance: MaintenanceCalendar,
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

  /**
   * Applies a check result: the state machine, the stored result and state, the incident, the
   * status change and the alert. Results of one target are applied one at a time (a recheck of held
   * alerts may run beside a check).
   */
  async record(target: TargetDefinition, result: CheckResult): Promise<void> {
    await this.serially(target.name, () => this.apply(target, result));
  }

  /**
   * Publishes the alert a target's state calls for if nothing holds it any more: the fire held while a
   * dependency was down or a maintenance window was open, the resolve held by a window. Called for
   * the targets this replica owns every few seconds (SuppressedAlertRecheck).
   */
  async reconcileAlert(target: TargetDefinition, now: Date = new Date()): Promise<void> {
    if (pendingAlert(this.stateOf(target.name)) === null) return;
    await this.serially(target.name, () => this.publishAlert(target, now, null));
  }

  private async apply(target: TargetDefinition, result: CheckResult): Promise<void> {
    const error = result.error === null ? null : redactString(result.error);
    const checkedAt = result.checkedAt.toISOString();
    const previous = this.stateOf(target.name);
    const maintenance = this.maintenance.windowAt(target, result.checkedAt);
    const applied = applyCheck(
      previous,
      { ok: result.ok, error, responseTimeMs: result.responseTimeMs, checkedAt },
      target,
    );
    let state = applied.state;
    let transition = applied.transition;
    if (transition?.to === 'down') {
      // The alert of this episode is named by the outcome that turned it down, unless one is still open.
      if (state.alertStartsAt === null)
        state = { ...state, alertname: alertNameFor(target.kind, result.failure) };
      const hold = maintenance ?? (await this.downDependency(target));
      if (hold) transition = { ...transition, reason: `${transition.reason}; alert held: ${hold}` };
    }
    this.states.set(target.name, state);
    try {
      await this.repository.recordCheck(
        { ...result, error, checkedAt, checkedBy: this.replicaId, inMaintenance: maintenance !== null },
        state,
      );
    } catch (storeError) {
      this.logger.error({ target: target.name, error: describe(storeError) }, 'check result not stored');
    }
    if (transition) {
      await this.recordIncident(target.name, transition);
      await this.announce(target.name, transition);
    }
    await this.publishAlert(target, result.checkedAt, transition?.reason ?? null);
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
   * A down target fires its alert (alert-identity.ts: name per kind, the target's severity and labels)
   * on alerts.v1.fired unless a maintenance window is open or a dependency is down; a target no longer
   * down resolves the open one on alerts.v1.resolved, with the same labels and startsAt (when it went
   * down), so alerting matches the two by fingerprint, unless a window is open. A target that recovers
   * before its alert was fired sends nothing. The Nats-Msg-Id makes a re-publish a no-op. A publish
   * that fails is retried by the next check or recheck.
   */
  private async publishAlert(target: TargetDefinition, now: Date, reason: string | null): Promise<void> {
    const state = this.stateOf(target.name);
    const pending = pendingAlert(state);
    if (pending === null) return;
    const hold =
      this.maintenance.windowAt(target, now) ??
      (pending === 'fire' ? await this.downDependency(target) : null);
    if (hold) return;
    const resolving = pending === 'resolve';
    const alertname = state.alertname ?? DEFAULT_ALERTNAME;
    const startsAt = resolving ? (state.alertStartsAt ?? state.since) : state.since;
    const name = target.name;
    const event = alertEventV1Schema.parse({
      labels: alertLabels(target, alertname),
      annotations: {
        summary: `${name} is down`,
        description: resolving
          ? `${name} recovered: ${reason ?? `up since ${state.since}`}`
          : (reason ?? `down since ${state.since}: ${state.lastError ?? 'unknown error'}`),
      },
      startsAt,
      ...(resolving ? { endsAt: state.since } : {}),
    });
    const subject = resolving ? ALERT_RESOLVED_SUBJECT : ALERT_FIRED_SUBJECT;
    try {
      await this.messaging.publish(
        subject,
        event,
        `${alertname}:${name}:${startsAt}:${resolving ? 'resolved' : 'fired'}`,
      );
    } catch (publishError) {
      this.logger.error({ target: name, subject, error: describe(publishError) }, 'alert not published');
      return;
    }
    const alertStartsAt = resolving ? null : startsAt;
    this.states.set(name, { ...this.stateOf(name), alertname, alertStartsAt });
    try {
      await this.repository.saveAlert(name, alertname, alertStartsAt);
    } catch (storeError) {
      this.logger.error({ target: name, error: describe(storeError) }, 'alert state not stored');
    }
  }

  /**
   * `depends on "db", which is down` when a target this one depends on is down, else null. Read from
   * Postgres (another replica may own the parent); from memory when Postgres does not answer.
   */
  private async downDependency(target: TargetDefinition): Promise<string | null> {
    if (target.dependsOn.length === 0) return null;
    let saved: Map<string, TargetState>;
    try {
      saved = await this.repository.statesOf(target.dependsOn);
    } catch {
      saved = new Map();
    }
    const down = target.dependsOn.find(
      (parent) => (saved.get(parent) ?? this.states.get(parent))?.status === 'down',
    );
    return down === undefined ? null : `depends on ${JSON.stringify(down)}, which is down`;
  }

  /** Runs `work` after the previous work of the same target has settled. */
  private serially(name: string, work: () => Promise<void>): Promise<void> {
    const run = (this.queues.get(name) ?? Promise.resolve()).then(work, work);
    const settled = run.catch(() => undefined);
    this.queues.set(name, settled);
    void settled.then(() => {
      if (this.queues.get(name) === settled) this.queues.delete(name);
    });
    return run;
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
