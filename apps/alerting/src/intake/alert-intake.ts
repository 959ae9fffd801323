import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';

import { redact } from '@vigil/redaction';

import type { AlertSource, IncomingAlert } from '../model/alert';
import { fingerprintOf } from '../model/fingerprint';
import {
  AlertIntakeRepository,
  type IntakeAlert,
  type IntakeBatch,
  type JournalEntry,
} from './alert-intake.repository';
import { GroupCommit } from '../scheduling/group-commit';
import { IntakeApplier } from './intake-applier';

export const ALERTS_RECEIVED = 'alerting_alerts_received_total';

/** Journal INSERTs in flight at once: two keep two database backends busy under load. */
const CONCURRENT_APPENDS = 2;

/**
 * Accepting alerts (`POST /api/v2/alerts` and `alerts.v1.*` alike): a request's alerts are
 * fingerprinted (on their labels as sent, so the id matches what the producer computes) and redacted.
 * Alone, the request is applied at once (IntakeApplier.applyIfQuiet); arriving with others, it is
 * journalled as one row, requests arriving together sharing one INSERT (group commit), and applied in
 * bulk right behind the answers. Either way, when `accept` resolves the alerts are durable: a crash
 * right after loses nothing, the applier (this replica's or another's) applies what is journalled.
 */
@Injectable()
export class AlertIntake {
  private readonly commit: GroupCommit<JournalEntry>;

  constructor(
    journal: AlertIntakeRepository,
    private readonly applier: IntakeApplier,
    @InjectMetric(ALERTS_RECEIVED) private readonly received: Counter<string>,
  ) {
    this.commit = new GroupCommit((entries) => journal.append(entries), CONCURRENT_APPENDS);
  }

  async accept(incoming: readonly IncomingAlert[], source: AlertSource): Promise<void> {
    const count = incoming.length;
    if (count === 0) return;
    const batch: IntakeBatch = { source, receivedAt: new Date(), alerts: incoming.map(intakeAlertOf) };
    this.applier.acceptStarted();
    let journalled = false;
    try {
      if (!(await this.applier.applyIfQuiet(batch))) {
        journalled = true;
        await this.commit.submit(journalEntryOf(batch));
      }
    } finally {
      this.applier.acceptFinished(journalled);
    }
    this.received.inc({ source }, count);
  }
}

/**
 * The journal row's content, encoded now: while the request waits for the shared INSERT, it holds one
 * string rather than its alerts' objects (under load, a young-generation GC then has less to copy).
 */
function journalEntryOf(batch: IntakeBatch): JournalEntry {
  return {
    source: batch.source,
    receivedAt: batch.receivedAt,
    count: batch.alerts.length,
    alertsJson: JSON.stringify(batch.alerts),
  };
}

function intakeAlertOf(alert: IncomingAlert): IntakeAlert {
  const { labels, annotations, generatorURL } = redact({
    labels: alert.labels,
    annotations: alert.annotations,
    generatorURL: alert.generatorURL,
  });
  return {
    fingerprint: fingerprintOf(alert.labels),
    labels,
    annotations,
    ...(alert.startsAt ? { startsAt: alert.startsAt.toISOString() } : {}),
    ...(alert.endsAt ? { endsAt: alert.endsAt.toISOString() } : {}),
    ...(generatorURL ? { generatorURL } : {}),
  };
}
