import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';

import { Inject, Injectable } from '@nestjs/common';
import { register } from 'prom-client';

import { SERVICE_CONFIG } from '../config/config.tokens';
import type { PlatformConfig } from '../config/platform-config';
import { DependencyMonitor } from './dependency-monitor';
import { EventLoopWatch } from './event-loop-watch';
import { LifecycleState } from './lifecycle-state';
import { PROBE_PATHS } from './probe-paths';
import { errorMessage } from '../errors/error-message';

export interface ProbeAnswer {
  status: 200 | 503;
  body: string;
}

const METRICS_PATH = '/metrics';

const answer = (status: 200 | 503, body: object): ProbeAnswer => ({ status, body: JSON.stringify(body) });

/**
 * The three Kubernetes probes, decided from in-process state only: the lifecycle, the event-loop
 * watch and the cached results of the background dependency checks. Nothing here awaits I/O, so a
 * probe answers in microseconds even while Postgres or NATS hangs.
 *
 * `handle` serves the probes and /metrics straight off the node:http server, before Express and
 * Nest's pipeline (middleware, guards, interceptors, filters) see the request: the kubelet and
 * Prometheus hit these paths every few seconds on every pod, and the framework would cost more than
 * the answer (bench/probes).
 */
@Injectable()
export class ProbeResponder {
  private readyCache: { version: number; answer: ProbeAnswer } | null = null;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: PlatformConfig,
    private readonly lifecycle: LifecycleState,
    private readonly monitor: DependencyMonitor,
    private readonly loop: EventLoopWatch,
  ) {}

  /** Fails only on a stalled event loop or an overrun shutdown: never on a dependency. */
  liveness(): ProbeAnswer {
    const lagMs = this.loop.lagMs();
    if (lagMs > this.config.EVENT_LOOP_BLOCK_MS) {
      return answer(503, {
        status: 'error',
        error: 'event_loop_blocked',
        message: `event loop blocked for ${lagMs} ms (limit ${this.config.EVENT_LOOP_BLOCK_MS} ms)`,
      });
    }
    if (this.lifecycle.drainingForMs() > this.config.SHUTDOWN_GRACE_MS) {
      return answer(503, {
        status: 'error',
        error: 'shutdown_overrun',
        message: `shutdown exceeded its grace period of ${this.config.SHUTDOWN_GRACE_MS} ms`,
      });
    }
    return answer(200, { status: 'ok', event_loop_lag_ms: lagMs });
  }

  /** 503 while booting, at once on SIGTERM, and while a critical dependency's last check failed. */
  readiness(): ProbeAnswer {
    if (this.lifecycle.isDraining) {
      return answer(503, {
        status: 'error',
        error: 'draining',
        message: 'shutting down; not accepting traffic',
      });
    }
    if (!this.lifecycle.isStarted) {
      return answer(503, { status: 'error', error: 'starting', message: 'boot work not finished' });
    }
    const version = this.monitor.version;
    if (this.readyCache?.version === version) return this.readyCache.answer;
    const states = this.monitor.snapshot().filter((s) => s.critical);
    const failing = states.filter((s) => s.status !== 'up');
    const components = Object.fromEntries(states.map((s) => [s.name, s.status]));
    const result =
      failing.length === 0
        ? answer(200, { status: 'ok', components })
        : answer(503, {
            status: 'error',
            error: 'dependency_down',
            message: `not ready: ${failing
              .map((s) => `${s.name} ${s.status}${s.last_error ? ` (${s.last_error})` : ''}`)
              .join('; ')}`,
            details: {
              failing: failing.map((s) => ({
                name: s.name,
                status: s.status,
                checked_at: s.checked_at,
                last_error: s.last_error,
              })),
              components,
            },
          });
    this.readyCache = { version, answer: result };
    return result;
  }

  /** 200 once migrations, streams and consumers are set up (the app is listening). */
  startup(): ProbeAnswer {
    return this.lifecycle.isStarted
      ? answer(200, { status: 'ok' })
      : answer(503, { status: 'error', error: 'starting', message: 'boot work not finished' });
  }

  /** Serves a probe or /metrics and returns true; returns false for every other request. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    let result: ProbeAnswer;
    if (path === PROBE_PATHS.readiness) result = this.readiness();
    else if (path === PROBE_PATHS.liveness) result = this.liveness();
    else if (path === PROBE_PATHS.startup) result = this.startup();
    else if (path === METRICS_PATH) {
      void this.serveMetrics(req, res);
      return true;
    } else return false;
    send(req, res, result.status, 'application/json; charset=utf-8', result.body);
    return true;
  }

  private async serveMetrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      send(req, res, 200, register.contentType, await register.metrics());
    } catch (error) {
      const message = errorMessage(error);
      send(req, res, 500, 'application/json; charset=utf-8', JSON.stringify({ error: 'metrics', message }));
    }
  }
}

function send(req: IncomingMessage, res: ServerResponse, status: number, type: string, body: string): void {
  const headers: Record<string, string | number> = {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  };
  const requestId = req.headers['x-request-id'];
  if (typeof requestId === 'string' && requestId.length <= 128) headers['x-request-id'] = requestId;
  res.writeHead(status, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * Puts `responder` in front of every request listener of `server` (Express, once Nest created it):
 * probe and /metrics requests are answered before the framework sees them, the rest pass through.
 */
export function interceptProbes(server: Server, responder: ProbeResponder): void {
  const downstream = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (responder.handle(req, res)) return;
    for (const listener of downstream) listener.call(server, req, res);
  });
}
