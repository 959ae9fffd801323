import { Controller, Get, Inject } from '@nestjs/common';

import { Public, RequireScope } from '../auth/route-access';
import { SERVICE_IDENTITY, type ServiceIdentity } from '../config/config.tokens';
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
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
    private readonly lifecycle: LifecycleState,
    private readonly monitor: DependencyMonitor,
    private readonly loop: EventLoopWatch,
  ) {}

  @Get()
  @Public('name, version and uptime only, like the probes; load balancers and people check it')
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
  @RequireScope('health:detailed')
  detailed() {
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
