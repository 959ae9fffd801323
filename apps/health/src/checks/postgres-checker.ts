import { Injectable } from '@nestjs/common';
import { Client } from 'pg';

import type { PostgresTarget } from '../targets/target-definition';
import { type CheckResult } from './check-result';
import { runTimed } from './run-timed';

/** Up when a fresh connection answers `SELECT 1` within the timeout. */
@Injectable()
export class PostgresChecker {
  check(target: PostgresTarget, cancel?: AbortSignal): Promise<CheckResult> {
    return runTimed(target, cancel, async (signal) => {
      const client = new Client({
        connectionString: target.url,
        connectionTimeoutMillis: target.timeoutMs,
        statement_timeout: target.timeoutMs,
        application_name: 'vigil-health-check',
      });
      client.on('error', () => undefined);
      const abort = () => void client.end().catch(() => undefined);
      signal.addEventListener('abort', abort, { once: true });
      try {
        await client.connect();
        await client.query('SELECT 1');
      } finally {
        signal.removeEventListener('abort', abort);
        await client.end().catch(() => undefined);
      }
    });
  }
}
