import { Injectable } from '@nestjs/common';

import type { HttpTarget } from '../targets/target-definition';
import type { CheckResult } from './check-result';

/**
 * One HTTP check: a request with the target's method and timeout; up when the status is the
 * expected one and, when a keyword is set, the body contains it. Credentials in the URL
 * (`https://user:pw@host/`) are sent as Basic auth, since fetch refuses them in the URL.
 */
@Injectable()
export class HttpChecker {
  async check(target: HttpTarget, cancel?: AbortSignal): Promise<CheckResult> {
    const checkedAt = new Date();
    const started = performance.now();
    const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
    const timeout = AbortSignal.timeout(target.timeoutMs);
    const signal = cancel ? AbortSignal.any([timeout, cancel]) : timeout;
    const { url, headers } = requestParts(target.url);
    let statusCode: number | null = null;
    try {
      const response = await fetch(url, { method: target.method, headers, signal, redirect: 'follow' });
      statusCode = response.status;
      let problem: string | null = null;
      if (response.status !== target.expectStatus) {
        problem = `expected status ${target.expectStatus}, got ${response.status}`;
        await response.body?.cancel().catch(() => undefined);
      } else if (target.keyword !== null) {
        const body = await response.text();
        if (!body.includes(target.keyword)) {
          problem = `response body does not contain ${JSON.stringify(target.keyword)}`;
        }
      } else {
        await response.body?.cancel().catch(() => undefined);
      }
      return {
        target: target.name,
        ok: problem === null,
        statusCode,
        responseTimeMs: elapsed(),
        error: problem,
        checkedAt,
      };
    } catch (error) {
      const message = timeout.aborted ? `timed out after ${target.timeoutMs} ms` : describeFetchError(error);
      return {
        target: target.name,
        ok: false,
        statusCode,
        responseTimeMs: elapsed(),
        error: message,
        checkedAt,
      };
    }
  }
}

function requestParts(raw: string): { url: string; headers: Record<string, string> } {
  const url = new URL(raw);
  if (!url.username && !url.password) return { url: raw, headers: {} };
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return {
    url: url.toString(),
    headers: { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` },
  };
}

/**
 * fetch says only "fetch failed"; the useful part (ECONNREFUSED, ENOTFOUND, ...) is in its cause.
 * Duck-typed: fetch errors may come from another realm, where `instanceof Error` is false.
 */
function describeFetchError(error: unknown): string {
  const cause = field(error, 'cause');
  const causeMessage = field(cause, 'message');
  if (typeof causeMessage === 'string') {
    const code = field(cause, 'code');
    return typeof code === 'string' && !causeMessage.includes(code)
      ? `${code}: ${causeMessage}`
      : causeMessage;
  }
  const message = field(error, 'message');
  return typeof message === 'string' ? message : String(error);
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && key in value
    ? (value as Record<string, unknown>)[key]
    : undefined;
}
