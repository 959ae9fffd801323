import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';

import { Injectable } from '@nestjs/common';

import type { HttpTarget } from '../targets/target-definition';
import type { CheckResult, HttpPhase } from './check-result';
import { errorText } from './error-text';
import { readJsonPath } from './json-path';

const MAX_REDIRECTS = 5;
/** Keyword and JSON conditions read at most this much of a body. */
const MAX_BODY_BYTES = 1 << 20;

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  location: string | undefined;
  body: string;
  phases: Partial<Record<HttpPhase, number>>;
}

/**
 * One HTTP check: a request with the target's method, headers, body and timeout on a fresh
 * connection (so connect and TLS are measured every time, as blackbox_exporter does), following up
 * to 5 redirects. Up when the status is the expected one and, when set, the body contains the
 * keyword, the JSON-path condition holds and the answer came within max_response_ms. Credentials in
 * the URL (`https://user:pw@host/`) are sent as Basic auth.
 */
@Injectable()
export class HttpChecker {
  async check(target: HttpTarget, cancel?: AbortSignal): Promise<CheckResult> {
    return (await this.exchange(target, cancel)).result;
  }

  /** The check and the final response it judged (null when none arrived), for synthetic steps. */
  async exchange(
    target: HttpTarget,
    cancel?: AbortSignal,
  ): Promise<{ result: CheckResult; response: RawResponse | null }> {
    const checkedAt = new Date();
    const started = performance.now();
    const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
    const timeout = AbortSignal.timeout(target.timeoutMs);
    const signal = cancel ? AbortSignal.any([timeout, cancel]) : timeout;
    const result = (
      ok: boolean,
      statusCode: number | null,
      error: string | null,
      phases?: RawResponse['phases'],
    ) => ({
      target: target.name,
      ok,
      statusCode,
      responseTimeMs: elapsed(),
      error,
      checkedAt,
      ...(phases ? { phases } : {}),
    });
    try {
      let url = new URL(target.url);
      let method: string = target.method;
      let body = target.body;
      let response = await request(url, method, target.headers, body, signal);
      for (let hop = 0; isRedirect(response.status) && response.location && hop < MAX_REDIRECTS; hop += 1) {
        url = new URL(response.location, url);
        if (
          response.status === 303 ||
          ((response.status === 301 || response.status === 302) && method === 'POST')
        ) {
          method = 'GET';
          body = null;
        }
        response = await request(url, method, target.headers, body, signal);
      }
      const problem = this.problemOf(target, response, elapsed());
      return { result: result(problem === null, response.status, problem, response.phases), response };
    } catch (error) {
      const message = timeout.aborted
        ? `timed out after ${target.timeoutMs} ms`
        : signal.aborted
          ? 'cancelled'
          : errorText(error);
      return { result: result(false, null, message), response: null };
    }
  }

  private problemOf(target: HttpTarget, response: RawResponse, elapsedMs: number): string | null {
    if (response.status !== target.expectStatus)
      return `expected status ${target.expectStatus}, got ${response.status}`;
    if (target.expectHtml && !isHtml(response))
      return 'response is not an HTML document (content-type text/html with <html>...</html>)';
    if (target.keyword !== null && !response.body.includes(target.keyword))
      return `response body does not contain ${JSON.stringify(target.keyword)}`;
    if (target.jsonPath) {
      let document: unknown;
      try {
        document = JSON.parse(response.body);
      } catch {
        return `response body is not JSON (needed for ${target.jsonPath.path})`;
      }
      const { found, value } = readJsonPath(document, target.jsonPath.path);
      if (!found) return `${target.jsonPath.path} not found in the response`;
      if (target.jsonPath.equals !== undefined && value !== target.jsonPath.equals)
        return `${target.jsonPath.path} is ${JSON.stringify(value)}, expected ${JSON.stringify(target.jsonPath.equals)}`;
    }
    if (target.maxResponseTimeMs !== null && elapsedMs > target.maxResponseTimeMs)
      return `answered in ${Math.round(elapsedMs)} ms, above max_response_ms ${target.maxResponseTimeMs}`;
    return null;
  }
}

function isHtml(response: RawResponse): boolean {
  const type = response.headers['content-type'] ?? '';
  return /^text\/html\b/i.test(type) && /<html[\s>]/i.test(response.body) && /<\/html>/i.test(response.body);
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** One request on a fresh connection, timing each phase from socket events. */
function request(
  url: URL,
  method: string,
  extraHeaders: Record<string, string>,
  body: string | null,
  signal: AbortSignal,
): Promise<RawResponse> {
  const headers: Record<string, string> = { 'user-agent': 'vigil-health', ...extraHeaders };
  if (url.username || url.password) {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  if (body !== null) headers['content-length'] = String(Buffer.byteLength(body));
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<RawResponse>((resolve, reject) => {
    const t0 = performance.now();
    const marks: Partial<Record<'lookup' | 'connect' | 'secure' | 'firstByte', number>> = {};
    const req = transport.request(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method,
        headers,
        agent: false,
        signal,
      },
      (res) => {
        marks.firstByte = performance.now();
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_BODY_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('error', reject);
        res.on('end', () => {
          const done = performance.now();
          const at = (mark: number | undefined, fallback: number) => mark ?? fallback;
          const lookup = at(marks.lookup, t0);
          const connect = at(marks.connect, lookup);
          const secure = at(marks.secure, connect);
          const ms = (a: number, b: number) => Math.max(0, Math.round((b - a) * 100) / 100);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            location: typeof res.headers.location === 'string' ? res.headers.location : undefined,
            body: Buffer.concat(chunks).toString('utf8'),
            phases: {
              resolve: ms(t0, lookup),
              connect: ms(lookup, connect),
              tls: ms(connect, secure),
              processing: ms(secure, marks.firstByte ?? done),
              transfer: ms(marks.firstByte ?? done, done),
            },
          });
        });
      },
    );
    req.on('socket', (socket: Socket) => {
      socket.once('lookup', () => (marks.lookup = performance.now()));
      socket.once('connect', () => (marks.connect = performance.now()));
      socket.once('secureConnect', () => (marks.secure = performance.now()));
    });
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}
