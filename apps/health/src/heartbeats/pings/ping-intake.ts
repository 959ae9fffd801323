import type { IncomingMessage, ServerResponse } from 'node:http';

import { Injectable, Logger } from '@nestjs/common';

import type { SecretPath } from '@vigil/platform';
import { redactString } from '@vigil/redaction';

import type { Ping, PingVia } from './ping';
import { readPingBody, storableText } from './ping-body';
import { bodyValue, httpPingForm, kumaPingForm, PingRequestError } from './ping-request';
import { PingMetrics } from './ping-metrics';
import { PingNotStoredError, PingWriter } from './ping-writer';
import { HeartbeatTokenIndex } from './heartbeat-token-index';

/** The ping paths, for the platform's body parsers to leave alone (these routes read the body, bounded). */
export const PING_BODY_PATHS = [/^\/ping\//, /^\/api\/push\//];

/** The token in these paths is a credential: access log lines show `[token]` instead. */
export const PING_SECRET_PATHS: SecretPath[] = [
  { pattern: /^\/ping\/[^/?#]+/, replacement: '/ping/[token]' },
  { pattern: /^\/api\/push\/[^/?#]+/, replacement: '/api/push/[token]' },
];

export const PUBLIC_REASON = 'cron jobs ping with the unguessable token in the URL, which is the credential';
const METHODS = new Set(['GET', 'POST', 'HEAD']);
/** Seconds a sender should wait before retrying a ping that was not stored. */
const RETRY_AFTER_S = 2;

/**
 * The ping intake of heartbeat monitors: Healthchecks.io's `/ping/<token>[/start|/fail|/log|/<exit code>]`
 * and Uptime Kuma's `/api/push/<token>`, by GET, POST or HEAD. Answers 200 only once the ping's row is
 * committed (PingWriter); a ping that was not stored gets 503 with Retry-After so its sender retries.
 */
@Injectable()
export class PingIntake {
  private readonly logger = new Logger(PingIntake.name);

  constructor(
    private readonly tokens: HeartbeatTokenIndex,
    private readonly writer: PingWriter,
    private readonly metrics: PingMetrics,
  ) {}

  /** `/ping/<token>[/<action>]`. */
  async ping(
    token: string,
    action: string | undefined,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    await this.serve(req, res, 'http', async (query) => {
      const form = httpPingForm(action, query);
      const monitor = await this.monitorOf(token, 'http');
      const text = storableText(await readPingBody(req));
      return {
        monitor,
        kind: form.kind,
        exitCode: form.exitCode,
        rid: form.rid,
        value: form.value ?? bodyValue(text),
        durationMs: null,
        body: text === '' ? null : redactString(text),
        via: 'http',
        receivedAt: new Date(),
      };
    });
  }

  /** `/api/push/<token>`. */
  async push(token: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    await this.serve(req, res, 'kuma', async (query) => {
      const form = kumaPingForm(query);
      const monitor = await this.monitorOf(token, 'kuma');
      await readPingBody(req); // Kuma sends its message in the query; a body is bounded, then ignored
      return {
        monitor,
        kind: form.kind,
        exitCode: null,
        rid: null,
        value: null,
        durationMs: form.durationMs,
        body: form.message === null ? null : redactString(storableText(form.message)),
        via: 'kuma',
        receivedAt: new Date(),
      };
    });
  }

  private async serve(
    req: IncomingMessage,
    res: ServerResponse,
    via: PingVia,
    build: (query: URLSearchParams) => Promise<Ping>,
  ): Promise<void> {
    try {
      if (!METHODS.has(req.method ?? ''))
        throw new PingRequestError(405, 'method_not_allowed', 'pings are sent by GET, POST or HEAD');
      const ping = await build(queryOf(req));
      await this.writer.write(ping);
      if (via === 'kuma') sendJson(res, 200, { ok: true });
      else sendText(res, 200, 'OK');
    } catch (error) {
      this.refuse(req, res, error);
    }
  }

  private async monitorOf(token: string, via: PingVia): Promise<string> {
    const monitor = await this.tokens.monitorOf(token);
    if (monitor !== null) return monitor;
    this.metrics.unknownMonitor(via);
    throw new PingRequestError(404, 'not_found', 'no heartbeat monitor has this ping token');
  }

  private refuse(req: IncomingMessage, res: ServerResponse, error: unknown): void {
    if (error instanceof PingRequestError) {
      // A refused upload is not read further: close instead of reading the rest as the next request.
      if (error.status === 413) res.setHeader('Connection', 'close');
      if (error.status === 405) res.setHeader('Allow', 'GET, POST, HEAD');
      sendJson(res, error.status, {
        error: error.error,
        message: error.message,
        ...(error.details ? { details: error.details } : {}),
      });
      return;
    }
    if (!(error instanceof PingNotStoredError))
      this.logger.error({ method: req.method, error: String(error) }, 'ping failed');
    res.setHeader('Retry-After', String(RETRY_AFTER_S));
    sendJson(res, 503, {
      error: 'service_unavailable',
      message:
        error instanceof PingNotStoredError ? error.message : 'the ping could not be stored; retry shortly',
    });
  }
}

function queryOf(req: IncomingMessage): URLSearchParams {
  const url = req.url ?? '';
  const start = url.indexOf('?');
  return new URLSearchParams(start === -1 ? '' : url.slice(start + 1));
}

/** Healthchecks.io answers `OK` as text/plain. */
function sendText(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(payload));
  res.end(payload);
}
