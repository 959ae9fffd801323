import { Injectable } from '@nestjs/common';
import { connect } from '@nats-io/transport-node';

import type { NatsTarget } from '../targets/target-definition';
import { type CheckResult } from './check-result';
import { runTimed } from './run-timed';

/** Up when a fresh client connects and completes a PING/PONG round trip within the timeout. */
@Injectable()
export class NatsChecker {
  check(target: NatsTarget, cancel?: AbortSignal): Promise<CheckResult> {
    return runTimed(target, cancel, async (signal) => {
      const nc = await connect({
        servers: target.url,
        timeout: target.timeoutMs,
        reconnect: false,
        name: 'vigil-health-check',
      });
      const abort = () => void nc.close().catch(() => undefined);
      signal.addEventListener('abort', abort, { once: true });
      try {
        await nc.rtt();
      } finally {
        signal.removeEventListener('abort', abort);
        await nc.close().catch(() => undefined);
      }
    });
  }
}
