import type { RedactionPolicy } from './policy';
import { createRedactor, type HeaderInput, type RedactedError, type Redactor } from './redactor';

/**
 * What the functions below (and `pinoRedaction` without a redactor) use: the documented defaults, or
 * the service's policy once `configureDefaultRedactor` has run at boot.
 */
export let defaultRedactor: Redactor = createRedactor();

/**
 * Makes `policy` (from the service's configuration) the one every `redact`, `redactString`, ... call
 * without a policy uses, for the whole process; `undefined` restores the documented defaults. Called
 * once at boot, before the logger is built. A bad policy throws `RedactionPolicyError` and changes
 * nothing. A call that passes its own policy (`redact(value, policy)`) uses that policy alone.
 */
export function configureDefaultRedactor(policy?: RedactionPolicy): Redactor {
  defaultRedactor = createRedactor(policy);
  return defaultRedactor;
}

/** @deprecated name kept for callers of the first version: a policy. */
export type RedactOptions = RedactionPolicy;

const byObject = new WeakMap<object, Redactor>();
const bySignature = new Map<string, Redactor>();

/** Policies made only of strings (the common inline `{ extraKeys: [...] }`) are compiled once per content. */
function signatureOf(policy: RedactionPolicy): string | undefined {
  const fields = Object.keys(policy);
  if (!fields.every((field) => field === 'extraKeys' || field === 'allowKeys' || field === 'disabled'))
    return undefined;
  return JSON.stringify([policy.extraKeys ?? [], policy.allowKeys ?? [], policy.disabled ?? []]);
}

function redactorFor(policy: RedactionPolicy | undefined): Redactor {
  if (policy === undefined) return defaultRedactor;
  let redactor = byObject.get(policy);
  if (redactor) return redactor;
  const signature = signatureOf(policy);
  redactor = signature === undefined ? undefined : bySignature.get(signature);
  if (!redactor) {
    redactor = createRedactor(policy);
    if (signature !== undefined) {
      if (bySignature.size >= 64) bySignature.clear();
      bySignature.set(signature, redactor);
    }
  }
  byObject.set(policy, redactor);
  return redactor;
}

/**
 * A redacted deep copy of `value`; the input is never mutated. Values of sensitive keys become
 * `[REDACTED]`, strings are scrubbed by every value detector, Errors and class instances become
 * plain objects, binary data `[Binary n bytes]`, cycles `[Circular]`, past the limits `[Truncated]`.
 * On a hot path with a policy, prefer one `createRedactor(policy)`.
 */
export function redact<T>(value: T, policy?: RedactionPolicy): T {
  return redactorFor(policy).redact(value);
}

/** Scrubs the sensitive values found inside one string, with the default policy. */
export function redactString(value: string): string {
  return defaultRedactor.redactString(value);
}

/** Whether the value of `key` is redacted with the default key set. */
export function isSensitiveKey(key: string): boolean {
  return defaultRedactor.isSensitiveKey(key);
}

/** An Error (or anything thrown) as a plain object with scrubbed message, stack, cause and fields. */
export function redactError(error: unknown): RedactedError {
  return defaultRedactor.redactError(error);
}

/** The scrubbed message of anything thrown (for `last_error` and error details). */
export function redactErrorMessage(error: unknown): string {
  return defaultRedactor.redactErrorMessage(error);
}

/** A header map with credential headers replaced and the other values scrubbed. */
export function redactHeaders(headers: HeaderInput): Record<string, string | string[]> {
  return defaultRedactor.redactHeaders(headers);
}
