import { Inject, Injectable } from '@nestjs/common';

import { currentContext, errorMessage, SERVICE_CONFIG } from '@vigil/platform';

import { upstreamUrl, type ConsoleConfig, type UpstreamName } from '../config/console-config';
/** Whose call it is: the signed-in person's own key or token. */
export interface Caller {
  credential: string;
}

export type QueryValue = string | number | boolean | undefined | null | readonly string[];

export interface UpstreamRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path on the service, starting with `/`. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
}

/** A service's answer that is not 2xx, or no answer: the page shows `message` and keeps the person's input. */
export class UpstreamError extends Error {
  constructor(
    readonly service: UpstreamName,
    /** HTTP status the service gave, or 502/504 when it could not be reached or timed out. */
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/**
 * Calls a service's own HTTP API as the signed-in person: `Authorization: Bearer` is their key or token,
 * so the service enforces their scopes and records their reads under their name (the console holds no
 * key of its own). Correlation ids go along, so one request id spans console and service logs.
 */
@Injectable()
export class UpstreamClient {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: ConsoleConfig) {}

  /** The JSON body of a 2xx answer; anything else throws UpstreamError with the service's message. */
  async json<T>(session: Caller, service: UpstreamName, request: UpstreamRequest): Promise<T> {
    const response = await this.fetch(session, service, request);
    const text = await response.text();
    const body: unknown = text.length === 0 ? null : parseJson(text);
    if (!response.ok) throw errorOf(service, response.status, body);
    return body as T;
  }

  /** The raw answer (for streamed exports and report files); throws UpstreamError when not 2xx. */
  async stream(session: Caller, service: UpstreamName, request: UpstreamRequest): Promise<Response> {
    const response = await this.fetch(session, service, request, 0);
    if (!response.ok) throw errorOf(service, response.status, parseJson(await response.text()));
    return response;
  }

  /** Any answer, without throwing on status (login probes every service with `GET /api/whoami`). */
  async fetch(
    session: Caller,
    service: UpstreamName,
    request: UpstreamRequest,
    timeoutMs = this.config.CONSOLE_UPSTREAM_TIMEOUT_MS,
  ): Promise<Response> {
    const url = new URL(upstreamUrl(this.config, service) + request.path);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value === undefined || value === null || value === '') continue;
      if (typeof value === 'object') for (const item of value) url.searchParams.append(name, item);
      else url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = {
      authorization: `Bearer ${session.credential}`,
      accept: 'application/json',
    };
    const context = currentContext();
    if (context !== undefined) {
      headers['x-request-id'] = context.requestId;
      headers['traceparent'] = context.traceparent;
    }
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(url, {
        method: request.method ?? 'GET',
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined,
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      throw new UpstreamError(
        service,
        timedOut ? 504 : 502,
        timedOut
          ? `the ${service} service did not answer within ${timeoutMs} ms`
          : `the ${service} service cannot be reached: ${errorMessage(error)}`,
      );
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text.slice(0, 500);
  }
}

function errorOf(service: UpstreamName, status: number, body: unknown): UpstreamError {
  if (typeof body === 'object' && body !== null && 'message' in body) {
    const { message, details } = body as { message: unknown; details?: unknown };
    return new UpstreamError(service, status, String(message), details);
  }
  return new UpstreamError(service, status, `the ${service} service answered ${status}`);
}
