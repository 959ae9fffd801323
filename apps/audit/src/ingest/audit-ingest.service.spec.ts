import type { JsMsg } from '@nats-io/jetstream';
import { Logger } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';

import { auditEventSubject } from '@vigil/contracts';
import { type LifecycleState, type NatsMessaging, Redelivery } from '@vigil/platform';

import { auditEvent, encode } from '../../test/audit-factory';
import type { AuditEventRepository } from '../storage/audit-event.repository';
import type { EventSealer } from '../erasure/event-sealer';
import type { ActivityMetrics } from './activity-metrics';
import { AuditIngestService } from './audit-ingest.service';

/** A delivered message with its settlement recorded. */
function delivered(streamSequence: number, deliveryCount: number) {
  const settled: string[] = [];
  const msg = {
    subject: auditEventSubject('shop'),
    data: encode(auditEvent()),
    info: { stream: 'AUDIT', streamSequence, deliveryCount },
    ack: () => settled.push('ack'),
    nak: (delay?: number) => settled.push(`nak ${delay}`),
    working: () => settled.push('working'),
  } as unknown as JsMsg;
  return { msg, settled };
}

/**
 * The service with a repository whose appends fail with `error` (then succeed, after `failures` of
 * them), whose reachability answers come from `reachable` (then true), and a recording dead-letter
 * publisher.
 */
function serviceFailingWith(
  error: Error,
  { failures = Number.POSITIVE_INFINITY, reachable = [] as boolean[], draining = false } = {},
) {
  const registry = new Registry();
  const counter = (name: string) =>
    new Counter({ name, help: 'x', labelNames: ['source', 'reason'], registers: [registry] });
  const histogram = (name: string) => new Histogram({ name, help: 'x', registers: [registry] });
  const deadLetters: string[] = [];
  let failed = 0;
  const repository = {
    appendBatch: (events: unknown[]) =>
      failed++ < failures
        ? Promise.reject(error)
        : Promise.resolve({ appended: events.map((event) => ({ event })), conflicts: [] }),
    reachable: () => Promise.resolve(reachable.shift() ?? true),
  } as unknown as AuditEventRepository;
  const messaging = {
    deadLetter: (subject: string, msg: JsMsg, reason: string) => {
      deadLetters.push(`${msg.info.streamSequence} ${subject} ${reason}`);
      msg.ack();
      return Promise.resolve({ truncated: false });
    },
  } as unknown as NatsMessaging;
  const activity = { record: () => undefined } as unknown as ActivityMetrics;
  // Sealing is not what these tests are about: events go through unchanged.
  const sealer = { seal: (events: unknown[]) => Promise.resolve(events) } as unknown as EventSealer;
  const service = new AuditIngestService(
    repository,
    sealer,
    messaging,
    activity,
    { isDraining: draining } as LifecycleState,
    counter('ingested'),
    counter('rejected'),
    counter('conflicts'),
    histogram('size'),
    histogram('duration'),
  );
  return { service, deadLetters };
}

describe('AuditIngestService on storage failures', () => {
  const redelivery = new Redelivery({ maxDeliver: 3, backoffMs: [100, 400] });

  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  it('retries a batch that failed for a transient reason, with the backoff, and dead-letters it on its last delivery', async () => {
    const lost = new Error('Connection terminated unexpectedly');
    const { service, deadLetters } = serviceFailingWith(lost);
    const first = delivered(1, 1);
    const second = delivered(2, 2);
    const last = delivered(3, 3);
    await service.handleBatch([first.msg, second.msg, last.msg], redelivery);
    expect(first.settled).toEqual(['nak 100']);
    expect(second.settled).toEqual(['nak 400']);
    expect(last.settled).toEqual(['ack']);
    expect(deadLetters).toEqual([
      '3 audit.v1.dlq.delivery_limit delivery_limit: not stored after 3 deliveries: Connection terminated unexpectedly',
    ]);
  });

  it('holds a batch while Postgres does not answer, then stores it: an outage dead-letters nothing', async () => {
    const lost = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    const { service, deadLetters } = serviceFailingWith(lost, { failures: 1, reachable: [false, false] });
    const last = delivered(3, 3);
    await service.handleBatch([last.msg], redelivery);
    expect(last.settled).toEqual(['working', 'working', 'ack']);
    expect(deadLetters).toEqual([]);
  });

  it('leaves a batch for redelivery, not the dead-letter queue, when the service stops during an outage', async () => {
    const lost = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    const { service, deadLetters } = serviceFailingWith(lost, { reachable: [false], draining: true });
    const last = delivered(3, 3);
    await service.handleBatch([last.msg], redelivery);
    expect(last.settled).toEqual(['nak undefined']);
    expect(deadLetters).toEqual([]);
  });

  it('splits a batch Postgres refuses down to single events, each dead-lettered with the SQLSTATE', async () => {
    const refused = Object.assign(new Error('invalid byte sequence'), { code: '22021' });
    const { service, deadLetters } = serviceFailingWith(refused);
    const messages = [delivered(1, 1), delivered(2, 1), delivered(3, 1)];
    await service.handleBatch(
      messages.map((m) => m.msg),
      redelivery,
    );
    expect(messages.map((m) => m.settled)).toEqual([['ack'], ['ack'], ['ack']]);
    expect(deadLetters).toEqual(
      [1, 2, 3].map(
        (seq) => `${seq} audit.v1.dlq.storage_refused storage_refused: SQLSTATE 22021: invalid byte sequence`,
      ),
    );
  });
});
