import { redactString, REDACTED } from './redact-string';
import { compileKeyMatcher, type KeyMatcherOptions } from './sensitive-keys';

export const CIRCULAR = '[Circular]';
export const TRUNCATED = '[Truncated]';
export const MAX_DEPTH = 32;

export type RedactOptions = KeyMatcherOptions;

export interface Redactor {
  redact<T>(value: T): T;
  isSensitiveKey(key: string): boolean;
}

type PlainObject = Record<string, unknown>;

/** Objects on the current path (a repeat is a cycle) and finished copies (shared refs copied once). */
interface Seen {
  ancestors: Set<object>;
  done: Map<object, unknown>;
}

/** `toJSON` of a class instance (URL, Decimal, ...), or `undefined` when it has none or it fails. */
function jsonOf(value: object): unknown {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return undefined;
  const toJSON: unknown = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON !== 'function') return undefined;
  try {
    const json: unknown = toJSON.call(value);
    return json === value ? undefined : json;
  } catch {
    return undefined;
  }
}

/** Builds a redactor with its own key set and key-decision cache; reuse it on hot paths. */
export function createRedactor(options: RedactOptions = {}): Redactor {
  const isSensitiveKey = compileKeyMatcher(options);

  const entry = (key: string, value: unknown, depth: number, seen: Seen): unknown =>
    isSensitiveKey(key) ? REDACTED : walk(value, depth, seen);

  const copyProps = (source: object, target: PlainObject, depth: number, seen: Seen): PlainObject => {
    for (const key of Object.keys(source)) {
      target[redactString(key)] = entry(key, (source as PlainObject)[key], depth, seen);
    }
    return target;
  };

  const copyError = (error: Error, depth: number, seen: Seen): PlainObject => {
    const copy: PlainObject = {
      name: error.name,
      message: redactString(error.message),
      stack: error.stack === undefined ? undefined : redactString(error.stack),
    };
    if ('cause' in error) copy.cause = walk(error.cause, depth, seen);
    return copyProps(error, copy, depth, seen);
  };

  const copyObject = (value: object, depth: number, seen: Seen): unknown => {
    if (value instanceof Date) return new Date(value.getTime());
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer)
      return `[Binary ${value.byteLength} bytes]`;
    if (Array.isArray(value)) return value.map((item) => walk(item, depth, seen));
    if (value instanceof Error) return copyError(value, depth, seen);
    if (value instanceof Map) {
      const copy = new Map<unknown, unknown>();
      for (const [key, item] of value) {
        if (typeof key === 'string') copy.set(redactString(key), entry(key, item, depth, seen));
        else copy.set(walk(key, depth, seen), walk(item, depth, seen));
      }
      return copy;
    }
    if (value instanceof Set) {
      const copy = new Set<unknown>();
      for (const item of value) copy.add(walk(item, depth, seen));
      return copy;
    }
    const json = jsonOf(value);
    return json === undefined ? copyProps(value, {}, depth, seen) : walk(json, depth, seen);
  };

  function walk(value: unknown, depth: number, seen: Seen): unknown {
    if (typeof value === 'string') return redactString(value);
    if (typeof value !== 'object' || value === null) return value;
    if (seen.ancestors.has(value)) return CIRCULAR;
    if (seen.done.has(value)) return seen.done.get(value);
    if (depth >= MAX_DEPTH) return TRUNCATED;
    seen.ancestors.add(value);
    try {
      const copy = copyObject(value, depth + 1, seen);
      seen.done.set(value, copy);
      return copy;
    } finally {
      seen.ancestors.delete(value);
    }
  }

  return {
    redact: <T>(value: T): T => walk(value, 0, { ancestors: new Set(), done: new Map() }) as T,
    isSensitiveKey,
  };
}

const defaultRedactor = createRedactor();
const redactorsByOptions = new Map<string, Redactor>();

function redactorFor(options: RedactOptions | undefined): Redactor {
  if (!options || (!options.extraKeys?.length && !options.allowKeys?.length)) return defaultRedactor;
  const signature = JSON.stringify([options.extraKeys ?? [], options.allowKeys ?? []]);
  let redactor = redactorsByOptions.get(signature);
  if (!redactor) {
    if (redactorsByOptions.size >= 64) redactorsByOptions.clear();
    redactor = createRedactor(options);
    redactorsByOptions.set(signature, redactor);
  }
  return redactor;
}

/**
 * A redacted deep copy of `value`; the input is never mutated. Values of sensitive keys become
 * `[REDACTED]`, strings are scrubbed with `redactString`, Errors and class instances become plain
 * objects, binary data becomes `[Binary n bytes]`, cycles `[Circular]`, depth > 32 `[Truncated]`.
 */
export function redact<T>(value: T, options?: RedactOptions): T {
  return redactorFor(options).redact(value);
}

/** Whether the value of `key` is redacted with the default key set. */
export function isSensitiveKey(key: string): boolean {
  return defaultRedactor.isSensitiveKey(key);
}
