import { Injectable } from '@nestjs/common';
import type { RE2JS } from 're2js';

import { compileCaptureRegex, firstGroup } from '../targets/capture-regex';
import { scrubSecrets } from '../targets/secret-references';
import type { Capture, HttpTarget, SyntheticTarget } from '../targets/target-definition';
import type { CheckResult } from './check-result';
import { fillRequest, HttpChecker, secretHeaderNames, type RawResponse } from './http-checker';
import { readJsonPath } from './json-path';
import { errorMessage } from '@vigil/platform';

/**
 * A multi-step flow (e.g. load a public profile and expect valid HTML, then a private one and expect
 * the private-page marker). Steps run in order within the target's timeout; a step may use values
 * captured by earlier ones as ${name} in its url, headers and body. The first failing step fails the
 * check and is named in the error.
 */
@Injectable()
export class SyntheticChecker {
  constructor(private readonly http: HttpChecker) {}

  async check(target: SyntheticTarget, cancel?: AbortSignal): Promise<CheckResult> {
    const checkedAt = new Date();
    const started = performance.now();
    const deadline = Date.now() + target.timeoutMs;
    const values: Record<string, string> = {};
    const secrets = target.steps.flatMap((s) => (s.request.secrets ? [s.request.secrets] : []));
    let certExpiresAt: Date | null | undefined;
    const finish = (ok: boolean, statusCode: number | null, error: string | null): CheckResult => ({
      target: target.name,
      ok,
      statusCode,
      responseTimeMs: Math.round((performance.now() - started) * 10) / 10,
      error: error === null ? null : scrubSecrets(error, secrets),
      checkedAt,
      ...(certExpiresAt !== undefined ? { certExpiresAt } : {}),
    });
    let lastStatus: number | null = null;
    for (const [index, step] of target.steps.entries()) {
      const label = `step ${index + 1} (${step.name})`;
      const remaining = deadline - Date.now();
      if (remaining <= 0)
        return finish(false, lastStatus, `${label}: timed out after ${target.timeoutMs} ms`);
      let request: HttpTarget;
      try {
        request = substitute(step.request, values, remaining);
      } catch (error) {
        return finish(false, lastStatus, `${label}: ${errorMessage(error)}`);
      }
      const { result, response } = await this.http.exchange(request, cancel, secretHeaderNames(step.request));
      lastStatus = result.statusCode;
      certExpiresAt = earlier(certExpiresAt, result.certExpiresAt);
      if (!result.ok || !response) return finish(false, lastStatus, `${label}: ${result.error ?? 'failed'}`);
      for (const [name, capture] of Object.entries(step.capture)) {
        const value = captured(response, capture);
        if (value === null) return finish(false, lastStatus, `${label}: nothing to capture as ${name}`);
        values[name] = value;
      }
    }
    return finish(true, lastStatus, null);
  }
}

/** The earlier of two expiries; a known date wins over null (no handshake), null over absent. */
function earlier(a: Date | null | undefined, b: Date | null | undefined): Date | null | undefined {
  if (a instanceof Date && b instanceof Date) return a < b ? a : b;
  return a ?? b;
}

/** The step's request with its captures and secrets filled in (one pass: see secret-references.ts). */
function substitute(step: HttpTarget, values: Record<string, string>, timeoutMs: number): HttpTarget {
  return {
    ...fillRequest(step, step.secrets, values),
    timeoutMs: Math.max(1, Math.min(step.timeoutMs, timeoutMs)),
  };
}

/** Capture patterns compiled once per loaded target (they live as long as its definition). */
const compiledCaptures = new WeakMap<{ regex: string }, RE2JS>();

function captureRegexOf(capture: { regex: string }): RE2JS {
  let re = compiledCaptures.get(capture);
  if (!re) {
    re = compileCaptureRegex(capture.regex);
    compiledCaptures.set(capture, re);
  }
  return re;
}

function captured(response: RawResponse, capture: Capture): string | null {
  if ('regex' in capture) return firstGroup(captureRegexOf(capture), response.body);
  if ('header' in capture) {
    const value = response.headers[capture.header.toLowerCase()];
    return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
  }
  try {
    const { found, value } = readJsonPath(JSON.parse(response.body), capture.json_path);
    if (!found) return null;
    if (typeof value === 'string') return value;
    return typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
  } catch {
    return null;
  }
}
