import { Injectable } from '@nestjs/common';

import type { TargetDefinition } from '../targets/target-definition';
import type { CheckResult } from './check-result';
import { HttpChecker } from './http-checker';
import { NatsChecker } from './nats-checker';
import { PostgresChecker } from './postgres-checker';
import { SqlChecker } from './sql-checker';
import { SyntheticChecker } from './synthetic-checker';
import { TcpChecker } from './tcp-checker';

/** Runs the check that fits the target's kind. */
@Injectable()
export class TargetChecker {
  constructor(
    private readonly http: HttpChecker,
    private readonly tcp: TcpChecker,
    private readonly postgres: PostgresChecker,
    private readonly nats: NatsChecker,
    private readonly synthetic: SyntheticChecker,
    private readonly sql: SqlChecker,
  ) {}

  check(target: TargetDefinition, cancel?: AbortSignal): Promise<CheckResult> {
    switch (target.kind) {
      case 'http':
        return this.http.check(target, cancel);
      case 'tcp':
        return this.tcp.check(target, cancel);
      case 'postgres':
        return this.postgres.check(target, cancel);
      case 'nats':
        return this.nats.check(target, cancel);
      case 'synthetic':
        return this.synthetic.check(target, cancel);
      case 'sql':
        return this.sql.check(target, cancel);
      case 'heartbeat':
        // Pushed to, never checked actively (the scheduler skips them; heartbeats/evaluation judges them).
        return Promise.reject(new Error(`heartbeat ${target.name} is not checked actively`));
    }
  }
}
