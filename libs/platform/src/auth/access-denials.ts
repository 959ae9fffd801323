import { Logger } from '@nestjs/common';

import type { AuditEventInput } from '../audit/audit-publisher';
import { errorMessage } from '../errors/error-message';
import { maskSecretPath, type SecretPath } from '../logging/logger-options';
import { TokenBuckets } from './token-bucket';

/** One refused request: who (a key name, or "anonymous"), from where, which route and why. */
export interface AccessDenial {
  actor: string;
  ip?: string;
  route: string;
  reason: string;
}

/** What AccessDenials needs of AuditPublisher. */
export interface DenialPublisher {
  publish(input: AuditEventInput, options?: { attempts?: number }): Promise<unknown>;
}

export interface AccessDenialsOptions {
  /** Denials logged and audited one by one: a burst, then this many a second. */
  burst?: number;
  perSecond?: number;
  /** How often the denials past that budget are logged and audited, as one summary per actor and reason. */
  summaryIntervalMs?: number;
  now?: () => number;
  /** Routes whose path holds a secret or a person's id: logged and audited masked (PlatformOptions.secretPaths). */
  secretPaths?: readonly SecretPath[];
}

const BUDGET = 'denials';

/**
 * Logs and audits every denial as `<service>.api.access_denied` (outcome denied). A flood of
 * made-up tokens must not become a flood of log lines and audit records (each a JetStream publish,
 * stored forever by the audit service): past the budget, denials are counted per actor and reason
 * and published as one summary event per interval, `metadata: {reason, count}`, so none goes
 * unrecorded and the cost per refused request stays a counter increment.
 */
export class AccessDenials {
  private readonly logger = new Logger('ApiKeyGuard');
  private readonly budget: TokenBuckets;
  private readonly burst: number;
  private readonly perSecond: number;
  private readonly summaryIntervalMs: number;
  /** Denials past the budget since the last summary, by actor and reason. */
  private readonly pending = new Map<string, { actor: string; reason: string; count: number }>();
  private timer: NodeJS.Timeout | null = null;
  private readonly secretPaths: readonly SecretPath[];

  constructor(
    private readonly audit: DenialPublisher,
    private readonly service: string,
    options: AccessDenialsOptions = {},
  ) {
    this.budget = new TokenBuckets(options.now);
    this.burst = options.burst ?? 50;
    this.perSecond = options.perSecond ?? 10;
    this.summaryIntervalMs = options.summaryIntervalMs ?? 10_000;
    this.secretPaths = options.secretPaths ?? [];
  }

  record(denial: AccessDenial): void {
    if (this.budget.take(BUDGET, this.perSecond, this.burst) === 0) {
      const { actor, ip, reason } = denial;
      const route = maskSecretPath(denial.route, this.secretPaths) ?? denial.route;
      this.logger.warn({ actor, route, reason }, 'API access denied');
      this.publish({ type: 'service', id: actor, ...(ip ? { ip } : {}) }, route, { reason });
      return;
    }
    const key = `${denial.actor}\n${denial.reason}`;
    const entry = this.pending.get(key) ?? { actor: denial.actor, reason: denial.reason, count: 0 };
    entry.count += 1;
    this.pending.set(key, entry);
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.summaryIntervalMs);
      this.timer.unref();
    }
  }

  /** Logs and audits the denials counted since the last summary (also on shutdown). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const { actor, reason, count } of this.pending.values()) {
      this.logger.warn({ actor, reason, count }, 'API access denied (summary of a burst)');
      this.publish({ type: 'service', id: actor }, '*', { reason, count });
    }
    this.pending.clear();
  }

  private publish(
    actor: AuditEventInput['actor'],
    route: string,
    metadata: { reason: string; count?: number },
  ): void {
    this.audit
      .publish(
        {
          actor,
          action: `${this.service}.api.access_denied`,
          resource: { type: `${this.service}_api`, id: route },
          outcome: 'denied',
          metadata,
        },
        { attempts: 3 },
      )
      .catch((error: unknown) =>
        this.logger.error(
          { error: errorMessage(error), reason: metadata.reason },
          'access denial not recorded in the audit trail',
        ),
      );
  }
}
