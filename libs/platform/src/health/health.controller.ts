import {
  Controller,
  Get,
  Headers,
  Inject,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';

import { SERVICE_CONFIG, SERVICE_IDENTITY, type ServiceIdentity } from '../config/config.tokens';
import type { PlatformConfig } from '../config/platform-config';
import { DependencyMonitor, type DependencyState } from './dependency-monitor';
import { EventLoopWatch } from './event-loop-watch';
import { LifecycleState } from './lifecycle-state';

/** Kubernetes probes and the service's self-description (ARCHITECTURE.md, "Every service exposes"). */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: PlatformConfig,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
    private readonly lifecycle: LifecycleState,
    private readonly monitor: DependencyMonitor,
    private readonly loop: EventLoopWatch,
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
  ) {}

  /** Never looks outside the process: only a blocked event loop or an overrun shutdown fails it. */
  @Get('liveness')
  liveness() {
    const lagMs = this.loop.lagMs();
    if (lagMs > this.config.EVENT_LOOP_BLOCK_MS) {
      throw new ServiceUnavailableException({
        error: 'event_loop_blocked',
        message: `event loop blocked for ${lagMs} ms`,
      });
    }
    if (this.lifecycle.drainingForMs() > this.config.SHUTDOWN_GRACE_MS) {
      throw new ServiceUnavailableException({
        error: 'shutdown_overrun',
        message: 'shutdown exceeded its grace period',
      });
    }
    return { status: 'ok' };
  }

  @Get('readiness')
  @HealthCheck()
  readiness() {
    if (this.lifecycle.isDraining) {
      throw new ServiceUnavailableException({
        error: 'draining',
        message: 'shutting down; not accepting traffic',
      });
    }
    return this.health.check(
      this.monitor
        .snapshot()
        .filter((s) => s.critical)
        .map((s) => () => this.indicate(s)),
    );
  }

  @Get('startup')
  startup() {
    if (!this.lifecycle.isStarted) {
      throw new ServiceUnavailableException({ error: 'starting', message: 'boot work not finished' });
    }
    return { status: 'ok' };
  }

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

  @Get('detailed')
  detailed(@Headers('x-api-key') apiKey?: string) {
    if (this.config.HEALTH_API_KEY && apiKey !== this.config.HEALTH_API_KEY) {
      throw new UnauthorizedException({
        error: 'unauthorized',
        message: 'x-api-key required for /health/detailed',
      });
    }
    const components = this.monitor.snapshot();
    const failing = this.monitor.failing();
    return {
      status: this.lifecycle.isDraining ? 'draining' : failing.length ? 'degraded' : 'ok',
      service: this.identity.name,
      event_loop_lag_ms: this.loop.lagMs(),
      components,
    };
  }

  private indicate(state: DependencyState) {
    const session = this.indicators.check(state.name);
    const data = { response_time_ms: state.response_time_ms, checked_at: state.checked_at };
    return state.status === 'up'
      ? session.up(data)
      : session.down({ ...data, message: state.last_error ?? `${state.name} not checked yet` });
  }
}
