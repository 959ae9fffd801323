import { Worker } from 'node:worker_threads';

import type { ProbeAnswer } from './probe-responder';
import { PROBE_PATHS } from './probe-paths';

/** Slots of the shared heartbeat array (BigInt64, written by the main thread, read by the worker). */
const BEAT = 0;
const DRAINING_SINCE = 1;
const BEAT_EVERY_MS = 100;

export interface ManagementAnswers {
  readiness: ProbeAnswer;
  startup: ProbeAnswer;
}

export interface ManagementListenerOptions {
  port: number;
  host: string;
  /** Liveness fails when the main thread has not beaten for longer than this. */
  eventLoopBlockMs: number;
  /** Liveness fails when draining has lasted longer than this. */
  shutdownGraceMs: number;
}

const STARTING: ProbeAnswer = {
  status: 503,
  body: JSON.stringify({ status: 'error', error: 'starting', message: 'boot work not finished' }),
};

/**
 * The worker: a bare node:http server on its own event loop. It answers the three probes from
 * what the main thread last posted and from the shared heartbeat, so a probe is answered in
 * microseconds however busy (or blocked) the main thread is, and liveness still sees the main
 * thread stall. Plain JavaScript evaluated in the worker, so it runs the same from sources (jest)
 * and from dist.
 */
const WORKER_SOURCE = `
'use strict';
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const shared = new BigInt64Array(workerData.heartbeat);
const paths = workerData.paths;
let answers = workerData.answers;
parentPort.on('message', (message) => {
  if (message.type === 'answers') answers = message.answers;
});
const json = (res, req, status, body) => {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
};
const DRAINING = JSON.stringify({ status: 'error', error: 'draining', message: 'shutting down; not accepting traffic' });
const NOT_FOUND = JSON.stringify({ error: 'not_found', message: 'the management port serves only the probes' });
function liveness(now) {
  const stalledMs = now - Number(Atomics.load(shared, ${BEAT}));
  if (stalledMs > workerData.eventLoopBlockMs) {
    return [503, JSON.stringify({ status: 'error', error: 'event_loop_blocked', message: 'event loop blocked for ' + stalledMs + ' ms (limit ' + workerData.eventLoopBlockMs + ' ms)' })];
  }
  const drainingSince = Number(Atomics.load(shared, ${DRAINING_SINCE}));
  if (drainingSince > 0 && now - drainingSince > workerData.shutdownGraceMs) {
    return [503, JSON.stringify({ status: 'error', error: 'shutdown_overrun', message: 'shutdown exceeded its grace period of ' + workerData.shutdownGraceMs + ' ms' })];
  }
  return [200, JSON.stringify({ status: 'ok', event_loop_lag_ms: Math.max(0, stalledMs - ${BEAT_EVERY_MS}) })];
}
const server = http.createServer((req, res) => {
  const url = req.url || '';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, req, 405, NOT_FOUND);
  if (path === paths.liveness) {
    const [status, body] = liveness(Date.now());
    return json(res, req, status, body);
  }
  if (path === paths.readiness) {
    if (Atomics.load(shared, ${DRAINING_SINCE}) > 0n) return json(res, req, 503, DRAINING);
    return json(res, req, answers.readiness.status, answers.readiness.body);
  }
  if (path === paths.startup) return json(res, req, answers.startup.status, answers.startup.body);
  return json(res, req, 404, NOT_FOUND);
});
server.keepAliveTimeout = 65000;
server.on('error', (error) => parentPort.postMessage({ type: 'error', message: error.message }));
server.listen(workerData.port, workerData.host, () => parentPort.postMessage({ type: 'listening', port: server.address().port }));
`;

/**
 * The management listener (as Spring Boot's actuator has its management port): the Kubernetes
 * probes on MANAGEMENT_PORT, served by a worker thread, so they never queue behind application
 * traffic on the main event loop. Started before the application boots (startup 503 and liveness
 * 200 while migrations run), fed by the main thread every 100 ms, and told at once when draining
 * starts (shared memory, no message).
 */
export class ManagementListener {
  private readonly shared = new SharedArrayBuffer(16);
  private readonly slots = new BigInt64Array(this.shared);
  private worker: Worker | null = null;
  private beat: NodeJS.Timeout | null = null;
  private source: (() => ManagementAnswers) | null = null;
  private last = '';
  port = 0;

  constructor(private readonly options: ManagementListenerOptions) {}

  /** Starts the worker and resolves once it listens; rejects (naming the port) if it cannot. */
  async start(): Promise<void> {
    Atomics.store(this.slots, BEAT, BigInt(Date.now()));
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        heartbeat: this.shared,
        paths: PROBE_PATHS,
        answers: { readiness: STARTING, startup: STARTING },
        port: this.options.port,
        host: this.options.host,
        eventLoopBlockMs: this.options.eventLoopBlockMs,
        shutdownGraceMs: this.options.shutdownGraceMs,
      },
    });
    this.worker = worker;
    this.port = await new Promise<number>((resolve, reject) => {
      const onMessage = (message: { type: string; port?: number; message?: string }) => {
        if (message.type === 'listening') resolve(message.port ?? this.options.port);
        if (message.type === 'error')
          reject(new Error(`management listener on port ${this.options.port}: ${message.message}`));
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.once('exit', (code) =>
        reject(new Error(`management listener exited (${code}) before listening`)),
      );
    });
    worker.unref();
    this.beat = setInterval(() => this.tick(), BEAT_EVERY_MS);
    this.beat.unref();
  }

  /** From now on the probes answer what `source` says (polled with every heartbeat). */
  follow(source: () => ManagementAnswers): void {
    this.source = source;
    this.tick();
  }

  /** Readiness turns 503 on the management port at once (the worker reads shared memory). */
  markDraining(since: number = Date.now()): void {
    Atomics.store(this.slots, DRAINING_SINCE, BigInt(since));
  }

  async stop(): Promise<void> {
    if (this.beat) clearInterval(this.beat);
    this.beat = null;
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private tick(): void {
    Atomics.store(this.slots, BEAT, BigInt(Date.now()));
    if (!this.source || !this.worker) return;
    const answers = this.source();
    const key = `${answers.readiness.status}${answers.readiness.body}${answers.startup.status}${answers.startup.body}`;
    if (key === this.last) return;
    this.last = key;
    this.worker.postMessage({ type: 'answers', answers });
  }
}
