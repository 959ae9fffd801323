import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

import { errorMessage } from '@vigil/platform';
import { redactString } from '@vigil/redaction';

import { TargetLeases } from '../../leases/target-leases.service';
import { TargetStateService } from '../../state/target-state.service';
import type { HeartbeatTarget } from '../../targets/heartbeat-definition';
import { TargetCatalog } from '../../targets/target-catalog';
import { HeartbeatEvaluationRepository } from './heartbeat-evaluation.repository';
import { evaluateHeartbeat } from './heartbeat-rules';

/** How often every monitor is judged: a missed deadline shows within this (plus SETTLE_MS) of passing. */
export const EVALUATION_INTERVAL_MS = 2000;
/** Pings are read once this old, so a row committed a little after a higher id is never skipped. */
export const SETTLE_MS = 1000;
const PAGE = 500;

/**
 * Judges every heartbeat monitor of the catalog every 2 s, on the replica holding its lease: reads its
 * new pings in id order, applies the rules (heartbeat-rules.ts) up to now, records each outcome through
 * the state machine (so late, failed and recovered monitors alert, show and count like any target) and
 * stores where it stopped. The outcomes are recorded before the state is stored: a crash in between
 * records them again on the next owner (at least once, never lost).
 */
@Injectable()
export class HeartbeatEvaluator implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(HeartbeatEvaluator.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private failing = false;

  constructor(
    private readonly catalog: TargetCatalog,
    private readonly leases: TargetLeases,
    private readonly states: TargetStateService,
    private readonly repository: HeartbeatEvaluationRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), EVALUATION_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One round over every monitor; a round still running (slow database) makes the next one wait its turn. */
  private tick(): void {
    if (this.running || this.stopped) return;
    this.running = this.evaluateAll().finally(() => {
      this.running = null;
    });
  }

  private async evaluateAll(): Promise<void> {
    for (const target of this.catalog.list()) {
      if (this.stopped) return;
      if (target.kind !== 'heartbeat') continue;
      try {
        if (await this.leases.holds(target)) await this.evaluate(target, new Date());
        if (this.failing) {
          this.failing = false;
          this.logger.log({ target: target.name }, 'heartbeats evaluated again');
        }
      } catch (error) {
        // Once per outage (Postgres down fails every monitor every 2 s); the next success says it is over.
        if (!this.failing)
          this.logger.error(
            { target: target.name, error: redactString(errorMessage(error)) },
            'heartbeat not evaluated; retrying every 2 s',
          );
        this.failing = true;
      }
    }
  }

  private async evaluate(target: HeartbeatTarget, now: Date): Promise<void> {
    const stored = await this.repository.load(target.name);
    if (!stored) return; // not synced into heartbeat_monitors yet (the monitors' sync retries)
    const until = new Date(now.getTime() - SETTLE_MS);
    let state = stored.state;
    for (;;) {
      const pings = await this.repository.pingsAfter(target.name, state.cursor, until, PAGE);
      const full = pings.length === PAGE;
      // A full page may have more pings after it: judge time only up to its last ping for now.
      const upTo = full ? pings[pings.length - 1].receivedAt : until;
      const evaluation = evaluateHeartbeat(target, stored.createdAt, state, pings, upTo);
      for (const result of evaluation.results) await this.states.record(target, result);
      // Every ping read and every outcome moves the state: an idle monitor costs no write.
      if (!sameState(state, evaluation.state)) await this.repository.save(target.name, evaluation.state);
      state = evaluation.state;
      if (!full || this.stopped) return;
    }
  }
}

function sameState(a: object, b: object): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
