import net from 'node:net';

import { Injectable } from '@nestjs/common';

import type { TcpTarget } from '../targets/target-definition';
import { type CheckResult } from './check-result';
import { runTimed } from './run-timed';

/** Up when a TCP connection to host:port opens within the timeout; the connection is closed at once. */
@Injectable()
export class TcpChecker {
  check(target: TcpTarget, cancel?: AbortSignal): Promise<CheckResult> {
    return runTimed(
      target,
      cancel,
      (signal) =>
        new Promise<void>((resolve, reject) => {
          const socket = net.connect({ host: target.host, port: target.port, signal });
          socket.once('connect', () => {
            socket.destroy();
            resolve();
          });
          socket.once('error', reject);
        }),
    );
  }
}
