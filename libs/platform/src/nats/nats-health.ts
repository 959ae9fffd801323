import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';

import { DependencyMonitor } from '../health/dependency-monitor';
import { NATS_CONNECTION } from './nats.tokens';

/** Readiness depends on a NATS round trip, measured in the background. */
@Injectable()
export class NatsHealth implements OnModuleInit {
  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly monitor: DependencyMonitor,
  ) {}

  onModuleInit(): void {
    this.monitor.register({
      name: 'nats',
      run: async () => {
        if (this.nc.isClosed()) throw new Error('nats connection closed');
        await this.nc.rtt();
      },
    });
  }
}
