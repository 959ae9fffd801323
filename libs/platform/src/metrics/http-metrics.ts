import type { ServerResponse } from 'node:http';

import type { NextFunction, Request, Response } from 'express';
import { Counter, Gauge, Histogram, register } from 'prom-client';

const labelNames = ['method', 'route', 'status_code'] as const;

function metric<T>(name: string, make: () => T): T {
  // Tests build several apps in one process; prom-client's registry is global.
  return (register.getSingleMetric(name) as T | undefined) ?? make();
}

const requests = () =>
  metric(
    'http_requests_total',
    () => new Counter({ name: 'http_requests_total', help: 'HTTP requests served', labelNames }),
  );
const duration = () =>
  metric(
    'http_request_duration_seconds',
    () =>
      new Histogram({
        name: 'http_request_duration_seconds',
        help: 'HTTP request duration in seconds',
        labelNames,
        buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      }),
  );
const inProgress = () =>
  metric(
    'http_requests_in_progress',
    () =>
      new Gauge({
        name: 'http_requests_in_progress',
        help: 'HTTP requests being served',
        labelNames: ['method'],
      }),
  );

/** Express middleware recording the RED metrics; the route label is the matched pattern, never the raw URL. */
export function httpMetricsMiddleware() {
  const track = httpRequestTracker();
  return (req: Request, res: Response, next: NextFunction): void => {
    track(req.method, res, () =>
      req.route ? `${req.baseUrl}${String((req.route as { path: unknown }).path)}` : 'unmatched',
    );
    next();
  };
}

/**
 * Records one request's RED metrics once `res` closes, under the route `routeOf()` names then: shared
 * by the Express middleware and the routes served ahead of it (http/fast-route.ts).
 */
export function httpRequestTracker() {
  const [counter, histogram, gauge] = [requests(), duration(), inProgress()];
  return (method: string, res: ServerResponse, routeOf: () => string): void => {
    const stop = histogram.startTimer();
    gauge.inc({ method });
    res.once('close', () => {
      const labels = { method, route: routeOf(), status_code: String(res.statusCode) };
      counter.inc(labels);
      stop(labels);
      gauge.dec({ method });
    });
  };
}
