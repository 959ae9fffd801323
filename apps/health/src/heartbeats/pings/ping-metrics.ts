import { Injectable } from '@nestjs/common';
import { InjectMetric, makeCounterProvider } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';

import type { Ping, PingVia } from './ping';

const STORED = 'heartbeat_pings_stored_total';
const NOT_STORED = 'heartbeat_pings_not_stored_total';
const UNKNOWN = 'heartbeat_pings_unknown_monitor_total';

/** Counters of the ping intake (never labelled by token or monitor: tokens are secrets, names unbounded). */
export const pingMetricProviders = [
  makeCounterProvider({
    name: STORED,
    help: 'Heartbeat pings committed to heartbeat_pings, by channel and kind',
    labelNames: ['via', 'kind'],
  }),
  makeCounterProvider({
    name: NOT_STORED,
    help: 'Heartbeat pings refused because their batch did not commit (answered 503 or retried)',
  }),
  makeCounterProvider({
    name: UNKNOWN,
    help: 'Pings and check-ins naming no known monitor (unknown token or monitor_slug), by channel',
    labelNames: ['via'],
  }),
];

@Injectable()
export class PingMetrics {
  constructor(
    @InjectMetric(STORED) private readonly storedTotal: Counter<string>,
    @InjectMetric(NOT_STORED) private readonly notStoredTotal: Counter<string>,
    @InjectMetric(UNKNOWN) private readonly unknownTotal: Counter<string>,
  ) {}

  stored(pings: readonly Ping[]): void {
    for (const ping of pings) this.storedTotal.inc({ via: ping.via, kind: ping.kind });
  }

  notStored(count: number): void {
    this.notStoredTotal.inc(count);
  }

  unknownMonitor(via: PingVia): void {
    this.unknownTotal.inc({ via });
  }
}
