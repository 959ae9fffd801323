import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';

import { Injectable } from '@nestjs/common';

import {
  fillReferences,
  scrubSecrets,
  secretReferencesIn,
  type TargetSecrets,
} from '../targets/secret-references';
import type { HttpTarget } from '../targets/target-definition';
import type { CheckResult, HttpPhase } from './check-result';
import { errorText } from './error-text';
import { readJsonPath } from './json-path';
import { CertificateError, connectVerifiedTls, type ConnectionMarks } from './tls-connection';

const MAX_REDIRECTS = 5;
/** Keyword and JSON conditions read at most this much of a body. */
const MAX_BODY_BYTES = 1 << 20;

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  location: string | undefined;
  body: string;
  phases: Partial<Record<HttpPhase, number>>;
  /** https: the earliest expiry of the certificate chain the server presented (null for http). */
  certExpiresAt: Date | null;
}

/**
 * One HTTP check: a request with the target's method, headers, body and timeout on a fresh
 * connection (so connect and TLS are measured every time, as blackbox_exporter does), following up
 * to 5 redirects. Up when the status is the expected one and, when set, the body contains the
 * keyword, the JSON-path condition holds and the answer came within max_response_ms. Credentials in
 * the URL (`https://user:pw@host/`) are sent as Basic auth. https connections are verified before
 * anything is sent (expired, wrong-host and untrusted certificates fail the check, saying why) and the
 * chain's earliest expiry is carried on the result.
 */
@Injectable()
export class HttpChecker {
  /** Checks an http target: its secret references are filled in, and scrubbed from the error. */
  async check(target: HttpTarget, cancel?: AbortSignal): Promise<CheckResult> {
    const { secrets } = target;
    if (!secrets) return (await this.exchange(target, cancel)).result;
    const filled = fillRequest(target, secrets, null);
    const { result } = await this.exchange(filled, cancel, secretHeaderNames(target));
    return { ...result, error: result.error === null ? null : scrubSecrets(result.error, [secrets]) };
  }

  /**
   * The check and the final response it judged (null when none arrived), for synthetic steps. A redirect
   * to another origin drops the credentials: Authorization, Cookie and the headers named in
   * `secretHeaders` (those filled from secrets), as curl and browsers drop Authorization.
   */
  async exchange(
    target: HttpTarget,
    cancel?: AbortSignal,
    secretHeaders: ReadonlySet<string> = new Set(),
  ): Promise<{ result: CheckResult; response: RawResponse | null }> {
    const checkedAt = new Date();
    const started = performance.now();
    const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
    const timeout = AbortSignal.timeout(target.timeoutMs);
    const signal = cancel ? AbortSignal.any([timeout, cancel]) : timeout;
    // The earliest certificate expiry over every TLS connection of the check (redirects included).
    let certExpiresAt: Date | null = null;
    const seeCertificate = (expiresAt: Date | null) => {
      if (expiresAt && (!certExpiresAt || expiresAt < certExpiresAt)) certExpiresAt = expiresAt;
    };
    const result = (
      ok: boolean,
      statusCode: number | null,
      error: string | null,
      phases?: RawResponse['phases'],
    ): CheckResult => ({
      target: target.name,
      ok,
      statusCode,
      responseTimeMs: elapsed(),
      error,
      checkedAt,
      ...(phases ? { phases } : {}),
      // https targets always carry it (null: no handshake); an http one that was redirected to https too.
      ...(target.url.startsWith('https:') || certExpiresAt ? { certExpiresAt } : {}),
    });
    const tlsCa = target.tls?.ca ?? undefined;
    try {
      let url = new URL(target.url);
      let method: string = target.method;
      let body = target.body;
      let headers = target.headers;
      let response = await request(url, method, headers, body, signal, tlsCa);
      seeCertificate(response.certExpiresAt);
      for (let hop = 0; isRedirect(response.status) && response.location && hop < MAX_REDIRECTS; hop += 1) {
        const next = new URL(response.location, url);
        if (next.origin !== url.origin) headers = withoutCredentials(headers, secretHeaders);
        url = next;
        if (
          response.status === 303 ||
          ((response.status === 301 || response.status === 302) && method === 'POST')
        ) {
          method = 'GET';
          body = null;
        }
        response = await request(url, method, headers, body, signal, tlsCa);
        seeCertificate(response.certExpiresAt);
      }
      const problem = this.problemOf(target, response, elapsed());
      return { result: result(problem === null, response.status, problem, response.phases), response };
    } catch (error) {
      if (error instanceof CertificateError) {
        seeCertificate(error.expiresAt);
        return { result: result(false, null, error.message), response: null };
      }
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

/** `request` with its references filled in, ready to send (it carries no secrets of its own any more). */
export function fillRequest(
  request: HttpTarget,
  secrets: TargetSecrets | undefined,
  captures: Readonly<Record<string, string>> | null,
): HttpTarget {
  const fill = (text: string, encode: boolean) => fillReferences(text, secrets, captures, encode);
  const { secrets: _filled, ...rest } = request;
  return {
    ...rest,
    url: fill(request.url, true),
    headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, fill(v, false)])),
    body: request.body === null ? null : fill(request.body, false),
  };
}

const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie'];

/** The names (lower case) of the headers whose values reference a secret. */
export function secretHeaderNames(request: HttpTarget): ReadonlySet<string> {
  return new Set(
    Object.entries(request.headers)
      .filter(([, value]) => secretReferencesIn(value).length > 0)
      .map(([name]) => name.toLowerCase()),
  );
}

function withoutCredentials(
  headers: Record<string, string>,
  secretHeaders: ReadonlySet<string>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => {
      const lower = name.toLowerCase();
      return !CREDENTIAL_HEADERS.includes(lower) && !secretHeaders.has(lower);
    }),
  );
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
  ca: string | undefined,
): Promise<RawResponse> {
  const headers: Record<string, string> = { 'user-agent': 'vigil-health', ...extraHeaders };
  if (url.username || url.password) {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  if (body !== null) headers['content-length'] = String(Buffer.byteLength(body));
  const secure = url.protocol === 'https:';
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise<RawResponse>((resolve, reject) => {
    const t0 = performance.now();
    const marks: ConnectionMarks & { firstByte?: number } = {};
    let certExpiresAt: Date | null = null;
    // https: the socket is handed to the request only once its certificate is verified (see
    // connectVerifiedTls), so headers and body never reach a server we do not trust.
    const connection: Pick<https.RequestOptions, 'agent' | 'createConnection'> = secure
      ? {
          createConnection: (_options, created) => {
            connectVerifiedTls(hostname, Number(url.port || 443), ca, signal, marks).then(
              (verified) => {
                certExpiresAt = verified.expiresAt;
                created(null, verified.socket);
              },
              (error: Error) => created(error, undefined as never),
            );
            return undefined;
          },
        }
      : { agent: false };
    const req = (secure ? https : http).request(
      {
        protocol: url.protocol,
        hostname,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method,
        headers,
        signal,
        ...connection,
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
            certExpiresAt,
          });
        });
      },
    );
    if (!secure)
      req.on('socket', (socket: Socket) => {
        socket.once('lookup', () => (marks.lookup = performance.now()));
        socket.once('connect', () => (marks.connect = performance.now()));
      });
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}
