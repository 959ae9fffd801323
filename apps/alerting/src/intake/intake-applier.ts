import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';

import { errorMessage, SERVICE_CONFIG } from '@vigil/platform';

import type { IncomingAlert } from '../model/alert';
import { AlertPipeline, type AppliedAlert, type ReceivedAlert } from './alert-pipeline';
import { AlertRepository, type StoredAlert, type Transaction } from '../model/alert.repository';
import type { AlertingConfig } from '../config/alerting-config';
import type { ClaimedNotification } from '../delivery/notification.repository';
import { OutboxSender } from '../delivery/outbox.sender';
import { GroupNotifier } from '../grouping/group-notifier';
import { RoutingConfigService } from '../routing/routing-config.service';
import { CoalescingPoller } from '../scheduling/coalescing-poller';
import {
  AlertIntakeRepository,
  type ApplyFailure,
  type IntakeAlert,
  type IntakeBatch,
  type TakenEntry,
} from './alert-intake.repository';
import { applyFailureKindOf, applyFailureOf } from './apply-failure';
import { decodeJournalAlerts } from './journal-entry';
import { NewGroupFastPath } from './new-group-fast-path';

export const JOURNAL_QUARANTINED = 'alerting_journal_quarantined_total';

/** Journalled requests applied per transaction at most, and about how many alerts. */
const BATCHES_PER_PASS = 100;
const ALERTS_PER_PASS = 5000;
/** How long a reader waits for the journal to be applied before answering with what is stored. */
const SETTLE_TIMEOUT_MS = 10_000;
/** While another replica applies, how often a waiting reader looks again. */
const SETTLE_POLL_MS = 20;
/**
 * While requests are being accepted, applying waits (up to this long) so that a burst is journalled
 * at full speed and then applied in a few large transactions; a lone request is applied at once. The
 * bound is what an alert waits under steady load, when no quiet gap ever comes (Prometheus and the
 * detectors posting all the time): at 1 s it held every alert 1 s there (bench/alerting loaded p50 1,037 ms;
 * at 15 ms, 2 ms, with processed/s unchanged).
 */
const MAX_DEFER_MS = 15;
const DEFER_STEP_MS = 5;
/**
 * A burst is over once no request has been accepted for this long: with several clients in flight
 * there are instants with none being accepted, and applying then would take the CPU the burst needs.
 */
const QUIET_GAP_MS = 20;
/**
 * An entry that fails alone with a JavaScript error (`suspect`, see apply-failure.ts) this many times
 * in a row is quarantined; entries remembered so at most (older ones are forgotten).
 */
const SUSPECT_FAILURES = 3;
const SUSPECTS_REMEMBERED = 1000;

/** What one pass did: applied its entries, found them failing together, or quarantined the one that fails. */
type PassOutcome =
  | { kind: 'applied'; full: boolean; applied: AppliedAlert[]; queued: ClaimedNotification[] }
  | { kind: 'failed'; taken: number }
  | { kind: 'quarantined' };

/**
 * Applies accepted alerts through the alert pipeline and flushes the groups that became due (so a
 * group_wait of 0 notifies from the same transaction). A request arriving alone is applied directly
 * (`applyIfQuiet`). Journalled requests are taken oldest first, after the burst that brought them (at
 * most MAX_DEFER_MS later), and every DELIVERY_POLL_MS for what other replicas or a crashed process
 * left: one transaction applies and deletes them, so each is applied exactly once, and the alert
 * writers' lock makes that one transaction at a time across replicas, in journal order. Readers call
 * `settled()` to see every alert accepted before they asked (read-your-writes).
 *
 * An entry that cannot be applied must not hold up the ones behind it. One that does not decode, or
 * carries text Postgres cannot store, is quarantined by the pass that takes it. When Postgres refuses
 * a pass for what it carries (apply-failure.ts), its entries are retried in halves, oldest first,
 * until the one that fails alone is found. Either way the entry is moved to the quarantine table with
 * its error (logged and counted), and the rest is applied, still in journal order. A transient failure
 * (the database unreachable) leaves everything journalled for the next pass.
 */
@Injectable()
export class IntakeApplier implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(IntakeApplier.name);
  private readonly poller: CoalescingPoller;
  private readonly passListeners = new Set<() => void>();
  /** Requests being journalled right now (this replica). */
  private accepting = 0;
  /** Readers wait for the journal: apply without deferring. */
  private urgent = false;
  /** When a request was last accepted here (ms since the epoch). */
  private lastAcceptedAt = 0;
  /** Passes and direct applies running here (direct applies wait for none: the journal goes first). */
  private applying = 0;
  /** Entries that failed alone with a `suspect` error: how many times in a row. */
  private readonly suspects = new Map<number, number>();

  constructor(
    @Inject(SERVICE_CONFIG) config: AlertingConfig,
    private readonly alerts: AlertRepository,
    private readonly journal: AlertIntakeRepository,
    private readonly pipeline: AlertPipeline,
    private readonly routing: RoutingConfigService,
    private readonly notifier: GroupNotifier,
    private readonly sender: OutboxSender,
    private readonly newGroups: NewGroupFastPath,
    @InjectMetric(JOURNAL_QUARANTINED) private readonly quarantined: Counter<string>,
  ) {
    this.poller = new CoalescingPoller(config.DELIVERY_POLL_MS, () => this.drain());
  }

  onApplicationBootstrap(): void {
    this.poller.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.poller.stop();
  }

  /** A request started being journalled: a pass starting now waits for the burst to end. */
  acceptStarted(): void {
    this.accepting++;
  }

  /**
   * A request was accepted: applied directly, or journalled (or failed to be), in which case a pass
   * applies it. A direct apply left nothing to do: no pass (its query would only compete with the
   * next request on a busy machine).
   */
  acceptFinished(journalled: boolean): void {
    this.accepting--;
    this.lastAcceptedAt = Date.now();
    if (journalled) this.poller.nudge();
  }

  /**
   * The quiet path: when this request is the only one being accepted here and nothing is journalled,
   * applies it directly (and flushes the groups it made due) in one transaction, with no journal
   * row: in one round trip when it is the first alert of a new incident (NewGroupFastPath), else in
   * three. Resolves to false, having done nothing, when it must be journalled instead.
   */
  async applyIfQuiet(batch: IntakeBatch): Promise<boolean> {
    if (this.accepting > 1 || this.applying > 0) return false;
    this.applying++;
    try {
      const pass = await this.applyDirectly(receivedOf([batch])).catch((error: unknown) => {
        // Nothing was applied (the transaction rolled back): the request is journalled instead, where
        // the applier retries it, or quarantines it if Postgres refuses what it carries.
        this.logger.debug({ error: errorMessage(error) }, 'direct apply failed; journalling the request');
        return null;
      });
      if (pass === null) return false;
      this.afterCommit(pass);
      return true;
    } finally {
      this.applying--;
    }
  }

  private async applyDirectly(
    received: readonly ReceivedAlert[],
  ): Promise<{ applied: AppliedAlert[]; queued: ClaimedNotification[] } | null> {
    return (
      (await this.newGroups.tryApply(received)) ??
      (await this.alerts.transaction(async (tx) => {
        // One round trip: the lock and the read of the alerts' state travel together.
        const empty = this.journal.lockWritersIfJournalEmpty(tx);
        const known = this.pipeline.known(tx, received);
        const [journalEmpty, stored] = await Promise.all([empty, known]);
        if (!journalEmpty) return null;
        return this.applyAndFlush(tx, received, stored, true);
      }))
    );
  }

  /** Resolves once everything journalled before the call has been applied (by any replica). */
  async settled(): Promise<void> {
    const newest = await this.journal.newestPending();
    if (newest === null) return;
    this.urgent = true;
    this.poller.nudge();
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    while (!(await this.journal.appliedThrough(newest))) {
      if (Date.now() > deadline || this.poller.isStopped) {
        this.logger.warn({ intake_id: newest }, 'intake journal not applied in time; reading what is stored');
        return;
      }
      await this.nextPass();
    }
  }

  /** Applies the journal until it is empty; resolves to how many alerts were applied. */
  async drain(): Promise<number> {
    let applied = 0;
    const deferUntil = Date.now() + MAX_DEFER_MS;
    while (this.bursting() && !this.urgent && Date.now() < deferUntil && !this.poller.isStopped) {
      await new Promise((resolve) => setTimeout(resolve, DEFER_STEP_MS));
    }
    this.urgent = false;
    try {
      // Most ticks find the journal empty: say so without a transaction (and without the writers' lock,
      // which would send a request arriving meanwhile to the journal instead of the quiet path).
      let more = (await this.journal.newestPending()) !== null;
      // How many entries the next passes take, the next one last: after a pass of n entries failed,
      // its older half, then its newer half (bisection: a poison entry among n costs about 2 log2(n)
      // passes, and the entries before it are applied before those after it).
      const sizes: number[] = [];
      while ((more || sizes.length > 0) && !this.poller.isStopped) {
        const isolating = sizes.length > 0;
        const outcome = await this.pass(sizes.pop() ?? BATCHES_PER_PASS, !isolating);
        if (outcome.kind === 'failed') {
          const older = Math.ceil(outcome.taken / 2);
          if (outcome.taken > older) sizes.push(outcome.taken - older);
          sizes.push(older);
          continue;
        }
        more = isolating || outcome.kind === 'quarantined' || outcome.full;
        if (outcome.kind === 'applied') {
          applied += outcome.applied.length;
          this.afterCommit(outcome);
          // Isolating passes leave the groups they made due to the notifier's own pass.
          if (isolating) this.notifier.nudge();
        }
        this.wakeReaders();
      }
    } catch (error) {
      // The database is unreachable: the batches stay journalled and the next pass retries them.
      this.logger.warn({ error: errorMessage(error) }, 'intake apply failed');
    }
    this.wakeReaders();
    return applied;
  }

  /**
   * One transaction: takes (up to) the `limit` oldest entries, applies them, and flushes the groups
   * due when `flush` (passes isolating a failing entry leave that to GroupNotifier's own pass). When it
   * fails for a reason an entry may be the cause of, says how many entries it took, or quarantines the
   * entry found to fail alone; otherwise (a transient failure) throws.
   */
  private async pass(limit: number, flush: boolean): Promise<PassOutcome> {
    let taken: TakenEntry[] = [];
    this.applying++;
    try {
      const pass = await this.alerts.transaction(async (tx) => {
        taken = await this.journal.takeOldest(tx, limit, ALERTS_PER_PASS);
        const { batches, refused } = decodeAll(taken);
        // Entries that do not decode, or carry text Postgres cannot store, cannot be applied: they are
        // quarantined with this transaction, without costing a failed one.
        if (refused.length > 0) void this.journal.quarantineTaken(tx, refused);
        const changes: AppliedAlert[] = [];
        const queued: ClaimedNotification[] = [];
        let alerts = 0;
        // Requests that repeat a fingerprint are applied after the ones before them, each seeing the
        // last's effect (a firing alert re-sent resolved is told to fire, then to resolve).
        for (const segment of segmentsOf(batches)) {
          const received = receivedOf(segment);
          alerts += received.length;
          const known = await this.pipeline.known(tx, received);
          const result = flush
            ? await this.applyAndFlush(tx, received, known, false)
            : { ...(await this.pipeline.apply(tx, received, this.routing.current, known)), queued: [] };
          changes.push(...result.applied);
          queued.push(...result.queued);
        }
        const full = taken.length === limit || alerts >= ALERTS_PER_PASS;
        return { full, applied: changes, queued, refused };
      });
      if (taken.length === 1) this.suspects.delete(taken[0].id);
      for (const { entry, failure } of pass.refused) this.reportQuarantined(entry, failure);
      return { kind: 'applied', ...pass };
    } catch (error) {
      return this.afterFailure(taken, flush, error);
    } finally {
      this.applying--;
    }
  }

  /**
   * After a pass failed: a transient failure is thrown; else the pass is to be retried in parts, or,
   * when it applied one entry and no flush (which may fail for other groups' sake), that entry is the
   * cause.
   */
  private async afterFailure(
    taken: readonly TakenEntry[],
    flushed: boolean,
    error: unknown,
  ): Promise<PassOutcome> {
    const kind = applyFailureKindOf(error);
    if (kind === 'transient' || taken.length === 0) throw error;
    if (taken.length > 1 || flushed) return { kind: 'failed', taken: taken.length };
    const [entry] = taken;
    if (kind === 'suspect') {
      const failures = (this.suspects.get(entry.id) ?? 0) + 1;
      if (failures < SUSPECT_FAILURES) {
        if (this.suspects.size >= SUSPECTS_REMEMBERED) this.suspects.clear();
        this.suspects.set(entry.id, failures);
        throw error;
      }
    }
    this.suspects.delete(entry.id);
    await this.quarantine(entry, error);
    return { kind: 'quarantined' };
  }

  /** Moves an entry that cannot be applied out of the journal, with why. */
  private async quarantine(entry: TakenEntry, cause: unknown): Promise<void> {
    const failure = applyFailureOf(cause);
    // False: another replica quarantined it first (and told).
    if (await this.journal.quarantine(entry.id, failure)) this.reportQuarantined(entry, failure);
  }

  /** An entry was quarantined: logged and counted. */
  private reportQuarantined(entry: TakenEntry, failure: ApplyFailure): void {
    this.quarantined.inc({ reason: failure.reason });
    this.logger.error(
      {
        intake_id: entry.id,
        source: entry.source,
        received_at: entry.receivedAt.toISOString(),
        alert_count: entry.count,
        reason: failure.reason,
        error: failure.error,
      },
      'intake journal entry quarantined: it cannot be applied',
    );
  }

  /**
   * Applies alerts and flushes the groups due now, in the caller's transaction, in two round trips:
   * the flush's claim is pipelined right behind the writes (so it sees the groups they made due), and
   * the flush's writes are followed by COMMIT when `last` (nothing else is written in it).
   */
  private async applyAndFlush(
    tx: Transaction,
    received: readonly ReceivedAlert[],
    known: ReadonlyMap<string, StoredAlert>,
    last: boolean,
  ): Promise<{ applied: AppliedAlert[]; queued: ClaimedNotification[] }> {
    const now = new Date();
    const applying = this.pipeline.apply(tx, received, this.routing.current, known);
    const claiming = this.notifier.claimIn(tx, now);
    const [result, claim] = await Promise.all([applying, claiming]);
    const queued = await this.notifier.flushIn(tx, claim, now, last ? () => tx.commitAhead?.() : undefined);
    return { applied: result.applied, queued };
  }

  /** After the transaction committed: send what it queued, and log what changed. */
  private afterCommit(pass: {
    applied: readonly AppliedAlert[];
    queued: readonly ClaimedNotification[];
  }): void {
    this.sender.deliverClaimed(pass.queued);
    this.newGroups.remember(pass.applied);
    this.logApplied(pass.applied);
  }

  private logApplied(applied: readonly AppliedAlert[]): void {
    for (const { state, transition, source } of applied) {
      const fields = {
        alert_fingerprint: state.fingerprint,
        alertname: state.labels.alertname,
        status: state.status,
        source,
      };
      // Producers re-send firing alerts on every evaluation: only changes are worth an info line.
      if (transition) this.logger.log(fields, 'alert state changed');
      else this.logger.debug(fields, 'alert received');
    }
  }

  /** Requests are being accepted, or were a moment ago. */
  private bursting(): boolean {
    return this.accepting > 0 || Date.now() - this.lastAcceptedAt < QUIET_GAP_MS;
  }

  /** Resolves after the next local pass, or after SETTLE_POLL_MS (another replica may be applying). */
  private nextPass(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.passListeners.delete(done);
        resolve();
      };
      const timer = setTimeout(done, SETTLE_POLL_MS);
      this.passListeners.add(done);
    });
  }

  private wakeReaders(): void {
    for (const listener of [...this.passListeners]) listener();
  }
}

/** Consecutive runs of batches in which no fingerprint appears in two batches. */
function segmentsOf<T extends IntakeBatch>(batches: readonly T[]): T[][] {
  const segments: T[][] = [];
  let current: T[] = [];
  let seen = new Set<string>();
  for (const batch of batches) {
    const fingerprints = batch.alerts.map((alert) => alert.fingerprint);
    if (current.length > 0 && fingerprints.some((fingerprint) => seen.has(fingerprint))) {
      segments.push(current);
      current = [];
      seen = new Set();
    }
    current.push(batch);
    for (const fingerprint of fingerprints) seen.add(fingerprint);
  }
  if (current.length > 0) segments.push(current);
  return segments;
}

/** The entries' batches, and the entries that cannot be decoded, with why. */
function decodeAll(taken: readonly TakenEntry[]): {
  batches: IntakeBatch[];
  refused: { entry: TakenEntry; failure: ApplyFailure }[];
} {
  const batches: IntakeBatch[] = [];
  const refused: { entry: TakenEntry; failure: ApplyFailure }[] = [];
  for (const entry of taken) {
    try {
      const alerts = decodeJournalAlerts(entry.alertsJson);
      batches.push({ source: entry.source, receivedAt: entry.receivedAt, alerts });
    } catch (error) {
      refused.push({ entry, failure: applyFailureOf(error) });
    }
  }
  return { batches, refused };
}

function receivedOf(batches: readonly IntakeBatch[]): ReceivedAlert[] {
  const received: ReceivedAlert[] = [];
  for (const batch of batches) {
    for (const alert of batch.alerts) {
      received.push({
        fingerprint: alert.fingerprint,
        alert: incomingOf(alert),
        receivedAt: batch.receivedAt,
        source: batch.source,
      });
    }
  }
  return received;
}

function incomingOf(alert: IntakeAlert): IncomingAlert {
  return {
    labels: alert.labels,
    annotations: alert.annotations,
    startsAt: alert.startsAt === undefined ? undefined : new Date(alert.startsAt),
    endsAt: alert.endsAt === undefined ? undefined : new Date(alert.endsAt),
    generatorURL: alert.generatorURL,
  };
}
