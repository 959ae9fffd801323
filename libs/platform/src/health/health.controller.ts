import { createHash, timingSafeEqual } from 'node:crypto';

import { Controller, Get, Headers, Inject, UnauthorizedException } from '@nestjs/common';

import { SERVICE_CONFIG, SERVICE_IDENTITY, type ServiceIdentity } from '../config/config.tokens';
import type { PlatformConfig } from '../config/platform-config';
import { DependencyMonitor } from './dependency-monitor';
import { EventLoopWatch } from './event-loop-watch';
import { LifecycleState } from './lifecycle-state';

/**
 * The service's self-description (ARCHITECTURE.md, "Every service exposes"). The probes themselves
 * (/health/liveness, /health/readiness, /health/startup) and /metrics are answered by ProbeResponder
 * before a request reaches Nest; see probe-responder.ts.
 */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: PlatformConfig,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
    private readonly lifecycle: LifecycleState,
    private readonly monitor: DependencyMonitor,
    private readonly loop: EventLoopWatch,
  ) {}

  @Get()
  info() {
    return {
      status: this.lifecycle.isDraining ? 'draining' : 'ok',
      service: this.identity.name,
      version: this.identity.version,
      git_sha: this.identity.gitSha,
      environment: this.identity.environment,
      uptime_s: this.lifecycle.uptimeSeconds(),
      timestamp: new Date().toISOString(),
    };
  }

  /** Every component with status, response time, last check time and its redacted last error. */
  @Get('detailed')
  detailed(@Headers('x-api-key') apiKey?: string) {
    if (this.config.HEALTH_API_KEY && !sameSecret(apiKey ?? '', this.config.HEALTH_API_KEY)) {
      throw new UnauthorizedException({
        error: 'unauthorized',
        message: 'x-api-key required for /health/detailed',
      });
    }
    const failing = this.monitor.failing();
    return {
      status: this.lifecycle.isDraining ? 'draining' : failing.length ? 'degraded' : 'ok',
      service: this.identity.name,
      started: this.lifecycle.isStarted,
      event_loop_lag_ms: this.loop.lagMs(),
      components: this.monitor.snapshot(),
    };
  }
}

/** Constant-time comparison, so response timing does not reveal how much of the key matched. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
