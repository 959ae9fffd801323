import { type FieldRule, fieldRuleOf, KEEP_FIELD } from './detectors/record-fields';
import { type Explanation, ExplainTrace } from './explain';
import type { Strategy } from './entities';
import { keyedCredential, replaceSpans } from './key-value-pass';
import { CIRCULAR, isMarker, REDACTED, TRUNCATED } from './markers';
import { compilePolicy, type RedactionPolicy } from './policy';
import { literalGate } from './policy-file';
import { CACHED_KEY_LENGTH, compileKeyMatcher, isCountOfPassed, isTooShortFor } from './sensitive-keys';
import { compileReplacer } from './strategies';
import { factsOf } from './string-facts';
import { mayHoldBase64, scrubBase64Runs } from './surfaces/base64';
import { cookieSpans, isCookieKey, sensitiveCookie } from './surfaces/cookies';
import { holdsNoSecret } from './surfaces/masked';
import { builtInCandidates, builtInDetectors, customDetector, type Detector, scan } from './value-detectors';

/** An Error as it may leave the process: a plain object with scrubbed strings. */
export interface RedactedError {
  name: string;
  message: string;
  stack?: string;
  cause?: unknown;
  [field: string]: unknown;
}

/** Header maps as Node, fetch and Express give them; raw lists alternate name and value. */
export type HeaderInput =
  | Readonly<Record<string, string | readonly string[] | number | undefined>>
  | Iterable<readonly [string, string]>
  | readonly string[];

export interface Redactor {
  /** A redacted deep copy; the input is never mutated. */
  redact<T>(value: T): T;
  /** Scrubs the values found inside one string. */
  redactString(value: string): string;
  /** An Error (or anything thrown) as a plain object: name, message, stack, cause, own fields. */
  redactError(error: unknown): RedactedError;
  /** The message of anything thrown, scrubbed: for `last_error` fields and error details. */
  redactErrorMessage(error: unknown): string;
  /** Header names kept; values of credential headers replaced, the others scrubbed. */
  redactHeaders(headers: HeaderInput): Record<string, string | string[]>;
  /** Top-level fields redacted except `keep` (left for a serializer that redacts its own output). */
  redactFields(object: Record<string, unknown>, keep?: ReadonlySet<string>): Record<string, unknown>;
  /** Whether the value of `key` is replaced. */
  isSensitiveKey(key: string): boolean;
  /** `redactString(text)` and, for each value it replaces, the rule, kind, strategy and span. */
  explain(text: string): Explanation;
  /**
   * Runs `work` (calls of this redactor) and counts the values it replaced meanwhile, per kind: what a
   * stored record says about its own scrubbing (never the values). Not reentrant with `explain`.
   */
  counting<T>(work: () => T): { result: T; counts: Record<string, number> };
}

type PlainObject = Record<string, unknown>;

interface KeyInfo {
  scrubbed: string;
  kind: string | undefined;
  field: FieldRule | undefined;
}

/**
 * Per call: the objects on the path being copied (seeing one again is a cycle), the copies of objects
 * that hold objects (a shared reference reuses them), and how many nodes were visited.
 */
interface Walk {
  /** Copies of the objects that hold objects, to reuse where they are shared. */
  seen: Map<object, unknown>;
  /** The objects being copied, outermost first: meeting one again is a cycle. */
  path: object[];
  /** Objects visited so far: unchanged across a copy means the object held none. */
  objects: number;
  nodes: number;
  /** Whether a limit cut something: the input may then be too deep to encode for a comparison. */
  truncated: boolean;
}

const UNREADABLE = '[Unreadable]';
const newWalk = (): Walk => ({ seen: new Map(), path: [], objects: 0, nodes: 0, truncated: false });
const CACHE_LIMIT = 10_000;
// Distinct sets of candidate bits seen in practice are a few dozen; hostile text cannot grow the map past this.
const PLAN_LIMIT = 1_024;
// Strings found clean are remembered (bounded): messages, enum values, user agents and paths repeat
// across events. Short strings with digits (ids, amounts) are unique and would only churn the set.
const CACHED_LENGTH = 128;
const CACHED_DIGITS = 4;
const CACHED_LONG = 24;
// Strings shorter than the shortest thing a detector finds ("a@b.io", "::ffff") are left alone.
const SHORTEST_FINDING = 6;
const MAX_JSON_NESTING = 4;
const MAX_BASE64_NESTING = 2;
// A string over `maxStringLength` is scanned this far past the cut as well, so a secret that crosses
// the cut is seen whole; longer than any detector match of bounded length (an e-mail: ~640).
const CUT_OVERLAP = 4096;
const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
// Shapes no detector can match, so they skip the scan: UUIDs, hex ids and digests with a letter
// (trace ids, SHAs; all-digit runs still go to the card check), and ISO-8601 timestamps. Picked by
// length and one character first, so other strings pay two comparisons.
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?(?:Z|[+-]\d\d:?\d\d)?$/;

// Hex digits (0-9, a-f, A-F) by character code: one load per character of a UUID.
const HEX_DIGIT = new Uint8Array(128);
for (const [from, to] of [
  [48, 57],
  [97, 102],
  [65, 70],
])
  HEX_DIGIT.fill(1, from, to + 1);
const isHexDigit = (c: number): boolean => c < 128 && HEX_DIGIT[c] === 1;
const isUuidDash = (i: number): boolean => i === 8 || i === 13 || i === 18 || i === 23;

function safeShape(value: string): boolean {
  const length = value.length;
  if (length === 36 && value.charCodeAt(8) === 45) {
    // The dashes first: a 36-character text that is not a UUID leaves after four reads.
    if (value.charCodeAt(13) !== 45 || value.charCodeAt(18) !== 45 || value.charCodeAt(23) !== 45)
      return false;
    for (let i = 0; i < 36; i++) if (!isUuidDash(i) && !isHexDigit(value.charCodeAt(i))) return false;
    return true;
  }
  if (length >= 16 && length <= 35 && value.charCodeAt(10) === 84 && value.charCodeAt(4) === 45)
    return ISO_TIME.test(value);
  if (length < 16 || length > 128) return false;
  let letter = false;
  for (let i = 0; i < length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 97 && c <= 102) letter = true;
    else if (c < 48 || c > 57) return false;
  }
  return letter;
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

const isJsonSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

/** Index of the first character at or after `from` that is not JSON whitespace. */
function skipJsonSpace(value: string, from: number): number {
  let i = from;
  while (i < value.length && isJsonSpace(value.charCodeAt(i))) i++;
  return i;
}

/** What may follow `[` in JSON: a value's first character. */
const isJsonValueStart = (c: number): boolean =>
  c === 34 ||
  c === 123 ||
  c === 91 ||
  c === 45 ||
  (c >= 48 && c <= 57) ||
  c === 116 ||
  c === 102 ||
  c === 110;

/**
 * Whether `value` can be JSON text, by its ends and its first token (which every JSON text of that
 * shape has): only then is it parsed. A failed JSON.parse throws, which costs about ten times a scan;
 * Alertmanager group keys (`{}/{severity="critical"}:{alertname="X"}`) and Go or Python label sets
 * (`{alertname="X"}`) look like objects at both ends and were parsed, and failed, on every send.
 */
function looksLikeJson(value: string): boolean {
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  if (first === 34) return last === 34 && value.length > 2; // " "
  if (!((first === 123 && last === 125) || (first === 91 && last === 93))) return false; // { } or [ ]
  const next = skipJsonSpace(value, 1);
  const c = value.charCodeAt(next);
  // `{}` and `[]` are JSON only as the whole text.
  if (c === last) return skipJsonSpace(value, next + 1) === value.length;
  return first === 123 ? c === 34 : isJsonValueStart(c);
}

/**
 * Compiles a policy once: key phrases, strategies, detectors and limits. A bad policy throws a
 * `RedactionPolicyError` here, never at first use.
 */
export function createRedactor(policy: RedactionPolicy = {}): Redactor {
  const compiled = compilePolicy(policy);
  const { limits } = compiled;
  const keyKindOf = compileKeyMatcher({ extraKeys: compiled.extraKeys, allowKeys: compiled.allowKeys });
  const strategyOf = (kind: string): Strategy => compiled.strategies.get(kind) ?? 'remove';
  const replacer = compileReplacer(strategyOf, compiled.hashKey);
  const detectors: Detector[] = [
    ...compiled.rules.map((rule, i) => ({
      ...customDetector(rule.kind, rule.pattern, replacer),
      rule: `rules[${i}]`,
      // A rule runs on every string the built-ins' gates let through: its literal rules most out.
      gate: literalGate(rule.pattern),
    })),
    ...builtInDetectors(replacer, keyKindOf),
  ].filter((detector) => detector.kinds.some((kind) => !compiled.disabled.has(kind)));
  const hasCustomRules = compiled.rules.length > 0;
  // The detectors a set of candidate bits lets run, in order, remembered per set: a string then loops
  // over the few detectors it may hold, not over every detector's bit (there are a few dozen).
  const plans = new Map<number, Detector[]>();
  const planFor = (candidates: number): Detector[] => {
    let plan = plans.get(candidates);
    if (plan === undefined) {
      plan = detectors.filter((detector) => detector.bit === undefined || (candidates & detector.bit) !== 0);
      if (plans.size >= PLAN_LIMIT) plans.clear();
      plans.set(candidates, plan);
    }
    return plan;
  };
  const keyCache = new Map<string, KeyInfo>();
  // Strings known to hold nothing sensitive (only those: a finding is not worth keeping around).
  const valueCache = new Set<string>();
  // Set only while `explain` runs: the scrub loop then reports each pass (one test per pass otherwise).
  let trace: ExplainTrace | undefined;

  function scrub(value: string, nesting: number): string {
    if (value.length < SHORTEST_FINDING) return value;
    if (nesting < MAX_JSON_NESTING && looksLikeJson(value)) {
      const json = scrubJson(value, nesting);
      if (json !== undefined) return json;
    }
    if (safeShape(value)) return value;
    const cacheable = value.length <= CACHED_LENGTH;
    if (cacheable && valueCache.has(value)) return value;
    // Facts of the input: a replacement only adds markers, which no gate needs.
    const facts = factsOf(value);
    const candidates = builtInCandidates(value, facts);
    // Base64 runs of text are decoded and scrubbed (2 levels at most: a run inside a decoded run).
    const encoded = nesting < MAX_BASE64_NESTING && mayHoldBase64(facts);
    if (candidates === 0 && !hasCustomRules && !encoded) {
      if (cacheable && (facts.digits < CACHED_DIGITS || value.length >= CACHED_LONG)) remember(value);
      return value;
    }
    let out = value;
    const plan = planFor(candidates);
    for (let i = 0; i < plan.length; i++) {
      const detector = plan[i];
      if (detector.gate !== undefined && !detector.gate(out, facts)) continue;
      const before = out;
      if (trace !== undefined) trace.begin(detector.rule ?? detector.kinds.join('|'));
      out = detector.run ? detector.run(out, facts) : scan(out, detector);
      if (trace !== undefined) trace.passed(before, out);
    }
    if (encoded) out = scrubBase64Runs(out, (text) => scrub(text, nesting + 1));
    if (out === value && cacheable && (facts.digits < CACHED_DIGITS || value.length >= CACHED_LONG))
      remember(value);
    return out;
  }

  function remember(value: string): void {
    if (valueCache.size >= CACHE_LIMIT) valueCache.clear();
    valueCache.add(value);
  }

  /** JSON inside a string (also a JSON string holding JSON): redacted and encoded again. */
  function scrubJson(value: string, nesting: number): string | undefined {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      return undefined;
    }
    if (typeof parsed === 'string') {
      const inner = scrub(parsed, nesting + 1);
      return inner === parsed ? value : JSON.stringify(inner);
    }
    if (typeof parsed !== 'object' || parsed === null) return value;
    const state = newWalk();
    const redacted = walk(parsed, 0, state, nesting + 1);
    const encoded = JSON.stringify(redacted);
    // A cut copy differs anyway, and the input past the depth limit may be too deep to encode.
    if (state.truncated) return encoded;
    return encoded === JSON.stringify(parsed) ? value : encoded;
  }

  /**
   * A detector cannot fail on text it was built for; should one ever throw (a custom rule, an engine
   * limit), the whole value is withheld rather than passed on unscanned or failing the caller.
   */
  function scrubOrWithhold(value: string, nesting: number): string {
    try {
      return scrub(value, nesting);
    } catch {
      return REDACTED;
    }
  }

  /**
   * The per-value budget: at most `maxStringLength` characters are kept. The kept part is scrubbed on
   * its own and together with `CUT_OVERLAP` characters past the cut; where the two differ, a secret
   * crosses the cut (the kept part alone holds only a piece the detectors may not recognize), so the
   * output stops before it. Whatever a budget cuts is dropped, never passed on unscanned.
   */
  function scrubLimited(value: string, nesting: number): string {
    if (value.length <= limits.maxStringLength) return scrubOrWithhold(value, nesting);
    let keep = limits.maxStringLength;
    if (isHighSurrogate(value.charCodeAt(keep - 1))) keep--;
    const head = scrubOrWithhold(value.slice(0, keep), nesting);
    const wider = scrubOrWithhold(value.slice(0, keep + CUT_OVERLAP), nesting);
    let same = 0;
    while (same < head.length && head.charCodeAt(same) === wider.charCodeAt(same)) same++;
    if (same > 0 && isHighSurrogate(head.charCodeAt(same - 1))) same--;
    return `${head.slice(0, same)}…[Truncated ${value.length - keep} chars]`;
  }

  /** A key's scrubbed text (an e-mail may be a key), the kind it names and its field rule, cached per key. */
  function keyInfo(key: string): KeyInfo {
    let info = keyCache.get(key);
    if (info === undefined) {
      const kind = keyKindOf(key);
      info = {
        scrubbed: scrubLimited(key, 0),
        kind,
        field: fieldRuleOf(key, kind),
      };
      // A key with a finding (an e-mail as a key) is scrubbed again each time, so `counting` sees it.
      if (key.length > CACHED_KEY_LENGTH || info.scrubbed !== key) return info;
      if (keyCache.size >= CACHE_LIMIT) keyCache.clear();
      keyCache.set(key, info);
    }
    return info;
  }

  const scrubKey = (key: string): string => keyInfo(key).scrubbed;

  /**
   * The value of a sensitive key. A Cookie or Set-Cookie header (a string, or a list of them) loses
   * only its sensitive cookies, and so does a map of cookies (`request.COOKIES`, Sentry's
   * `request.cookies`); the rest is scrubbed like any value (`walkRest`).
   */
  function keyedValue(
    key: string,
    kind: string,
    value: unknown,
    walkRest?: (item: unknown) => unknown,
  ): unknown {
    // Masked by whoever wrote it (`********`, `****1111`, Sentry's `[Filtered]`), a variable (`$TOKEN`),
    // a count under `pass`: nothing to remove.
    if (
      (typeof value === 'string' && holdsNoSecret(value)) ||
      isCountOfPassed(key, value) ||
      isTooShortFor(kind, value)
    )
      return value;
    if (!isCookieKey(key)) return keyedCredential(key, kind, value, replacer);
    const cookies = (text: string): string =>
      scrubLimited(replaceSpans(text, cookieSpans(text, 0, text.length, keyKindOf), replacer), 0);
    if (typeof value === 'string') return cookies(value);
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.map(cookies);
    if (walkRest !== undefined && isPlainRecord(value)) {
      const copy: PlainObject = {};
      for (const name of Object.keys(value as PlainObject).slice(0, limits.maxKeys)) {
        const item = readProperty(value as PlainObject, name);
        const sensitive = typeof item !== 'string' || sensitiveCookie(name, item, keyKindOf);
        setOwn(
          copy,
          scrubKey(name),
          sensitive && !isMarker(String(item)) ? replacer.keyed(kind, item) : walkRest(item),
        );
      }
      return copy;
    }
    return replacer.keyed(kind, value);
  }

  const entry = (key: string, value: unknown, depth: number, seen: Walk, nesting: number): unknown => {
    const { kind } = keyInfo(key);
    return kind === undefined
      ? walk(value, depth, seen, nesting)
      : keyedValue(key, kind, value, (item) => walk(item, depth, seen, nesting));
  };

  function copyProps(
    source: object,
    target: PlainObject,
    depth: number,
    seen: Walk,
    nesting: number,
  ): PlainObject {
    const keys = Object.keys(source);
    const count = Math.min(keys.length, limits.maxKeys);
    for (let i = 0; i < count; i++) {
      const key = keys[i];
      const info = keyInfo(key);
      const value = readProperty(source, key);
      // A field sensitive by its value or record (`name` beside `email`, `number` beside `type: NID`).
      const kind = info.field === undefined ? info.kind : info.field(value, source);
      setOwn(
        target,
        info.scrubbed,
        kind === undefined
          ? walk(value, depth, seen, nesting)
          : kind === KEEP_FIELD
            ? value
            : keyedValue(key, kind, value, (item) => walk(item, depth, seen, nesting)),
      );
    }
    if (keys.length > count) target['…'] = `[Truncated ${keys.length - count} keys]`;
    return target;
  }

  function copyError(error: Error, depth: number, seen: Walk, nesting: number): RedactedError {
    const copy: RedactedError = { name: error.name, message: scrubLimited(String(error.message), nesting) };
    if (typeof error.stack === 'string') copy.stack = scrubLimited(error.stack, nesting);
    if ('cause' in error) copy.cause = walk(error.cause, depth, seen, nesting);
    if (error instanceof AggregateError && Array.isArray(error.errors))
      copy.errors = walk(error.errors, depth, seen, nesting);
    return copyProps(error, copy, depth, seen, nesting) as RedactedError;
  }

  function copyArray(value: readonly unknown[], depth: number, seen: Walk, nesting: number): unknown[] {
    const count = Math.min(value.length, limits.maxArrayLength);
    const copy = new Array<unknown>(count);
    // A list of `[name, value]` pairs (headers as JSON arrays, `dict.items()`): a value goes by its name.
    const pairs = count > 0 && isNamePair(readItem(value, 0));
    for (let i = 0; i < count; i++) {
      const item = readItem(value, i);
      copy[i] = walk(item, depth, seen, nesting);
      const named = copy[i];
      if (pairs && isNamePair(item) && Array.isArray(named) && keyInfo(item[0]).kind !== undefined)
        named[1] = entry(item[0], item[1], depth, seen, nesting);
    }
    if (value.length > count) copy.push(`[Truncated ${value.length - count} items]`);
    return copy;
  }

  const isNamePair = (item: unknown): item is [string, unknown] =>
    Array.isArray(item) && item.length === 2 && typeof item[0] === 'string' && item[0].length <= 64;

  function copyObject(value: object, depth: number, seen: Walk, nesting: number): unknown {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) return copyProps(value, {}, depth, seen, nesting);
    if (Array.isArray(value)) return copyArray(value, depth, seen, nesting);
    if (value instanceof Date) return new Date(value.getTime());
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer)
      return `[Binary ${value.byteLength} bytes]`;
    if (value instanceof Error) return copyError(value, depth, seen, nesting);
    if (value instanceof Map) {
      const copy = new Map<unknown, unknown>();
      for (const [key, item] of value) {
        if (copy.size >= limits.maxKeys) break;
        if (typeof key === 'string') copy.set(scrubKey(key), entry(key, item, depth, seen, nesting));
        else copy.set(walk(key, depth, seen, nesting), walk(item, depth, seen, nesting));
      }
      return copy;
    }
    if (value instanceof Set) {
      const copy = new Set<unknown>();
      for (const item of value) {
        if (copy.size >= limits.maxArrayLength) break;
        copy.add(walk(item, depth, seen, nesting));
      }
      return copy;
    }
    const json = jsonOf(value);
    return json === undefined ? copyProps(value, {}, depth, seen, nesting) : walk(json, depth, seen, nesting);
  }

  function walk(value: unknown, depth: number, seen: Walk, nesting: number): unknown {
    if (typeof value === 'string') {
      if (++seen.nodes > limits.maxNodes) return truncate(seen);
      return scrubLimited(value, nesting);
    }
    if (typeof value !== 'object' || value === null) return value;
    const prior = seen.seen.get(value);
    if (prior !== undefined) return prior;
    // The path is as deep as the copy (at most `maxDepth`), usually a few objects.
    if (seen.path.includes(value)) return CIRCULAR;
    if (depth >= limits.maxDepth || ++seen.nodes > limits.maxNodes) return truncate(seen);
    const objectsBefore = ++seen.objects;
    seen.path.push(value);
    let copy: unknown;
    try {
      copy = copyObject(value, depth + 1, seen, nesting);
    } catch {
      // A Proxy trap, a throwing iterator or `toString`: a logger never fails on its input.
      copy = UNREADABLE;
    } finally {
      seen.path.pop();
    }
    // Only an object that holds objects is remembered: sharing one of those could multiply the work
    // (a DAG), a shared leaf is only copied again. Most objects of a log line are leaves, and a Map
    // write per object was a tenth of the walk.
    if (seen.objects !== objectsBefore) seen.seen.set(value, copy);
    return copy;
  }

  const redactError = (error: unknown): RedactedError => {
    try {
      if (error instanceof Error) return copyError(error, 1, newWalk(), 0);
    } catch {
      return { name: 'Error', message: UNREADABLE };
    }
    return { name: 'Error', message: scrubLimited(typeof error === 'string' ? error : safeString(error), 0) };
  };

  const redactHeaders = (headers: HeaderInput): Record<string, string | string[]> => {
    const out: Record<string, string | string[]> = {};
    const add = (name: string, value: unknown): void => {
      if (value === undefined) return;
      const kind = keyKindOf(name);
      const texts = (Array.isArray(value) ? value : [value]).map((item: unknown) =>
        typeof item === 'string' || typeof item === 'number' ? String(item) : safeString(item),
      );
      let text: string | string[];
      if (kind !== undefined && isCookieKey(name))
        text = keyedValue(name, kind, Array.isArray(value) ? texts : texts[0]) as string | string[];
      else if (kind !== undefined) text = replacer.keyed(kind, texts.join(', '));
      else if (Array.isArray(value)) text = texts.map((item) => scrubLimited(item, 0));
      else text = scrubLimited(texts[0], 0);
      const existing = out[name];
      out[name] =
        existing === undefined
          ? text
          : [...(Array.isArray(existing) ? existing : [existing]), ...[text].flat()];
    };
    try {
      if (Array.isArray(headers) && headers.every((item) => typeof item === 'string')) {
        const raw = headers as readonly string[];
        for (let i = 0; i + 1 < raw.length; i += 2) add(raw[i], raw[i + 1]);
      } else if (Symbol.iterator in Object(headers) && !isPlainRecord(headers)) {
        for (const [name, value] of headers as Iterable<readonly [string, string]>) add(name, value);
      } else {
        for (const [name, value] of Object.entries(headers as Record<string, unknown>)) add(name, value);
      }
    } catch {
      // A throwing iterator or Proxy: the headers read so far, each already redacted.
      out['…'] = UNREADABLE;
    }
    return out;
  };

  return {
    redact: <T>(value: T): T => walk(value, 0, newWalk(), 0) as T,
    redactString: (value: string): string => scrubLimited(value, 0),
    redactError,
    redactErrorMessage: (error: unknown): string => scrubLimited(messageOf(error), 0),
    redactHeaders,
    redactFields(object, keep) {
      const seen = newWalk();
      const copy: PlainObject = {};
      for (const key of Object.keys(object)) {
        const value = readProperty(object, key);
        setOwn(
          copy,
          keep?.has(key) ? key : scrubKey(key),
          keep?.has(key) ? value : entry(key, value, 1, seen, 0),
        );
      }
      return copy;
    },
    isSensitiveKey: (key: string): boolean => keyKindOf(key) !== undefined,
    explain(text: string): Explanation {
      const explaining = new ExplainTrace(text, strategyOf);
      trace = explaining;
      replacer.observe(explaining.observe);
      try {
        // Clean strings are cached as such; a finding is never cached, so nothing is skipped.
        const output = scrubLimited(text, 0);
        return { output, findings: explaining.findings.sort((x, y) => x.start - y.start) };
      } finally {
        trace = undefined;
        replacer.observe(undefined);
      }
    },
    counting<T>(work: () => T): { result: T; counts: Record<string, number> } {
      const counts: Record<string, number> = {};
      replacer.observe((kind) => {
        counts[kind] = (counts[kind] ?? 0) + 1;
      });
      try {
        return { result: work(), counts };
      } finally {
        replacer.observe(undefined);
      }
    },
  };
}

const truncate = (seen: Walk): string => {
  seen.truncated = true;
  return TRUNCATED;
};

/**
 * An own property, also `__proto__`: assigning that key would set the copy's prototype and drop the
 * field (JSON.parse makes it an ordinary own property, so a parsed payload may hold one).
 */
function setOwn(target: PlainObject, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function readItem(source: readonly unknown[], index: number): unknown {
  try {
    return source[index];
  } catch {
    return UNREADABLE;
  }
}

/** A property read that cannot throw (a getter or a Proxy may): a logger must never fail on its input. */
function readProperty(source: object, key: string): unknown {
  try {
    return (source as PlainObject)[key];
  } catch {
    return UNREADABLE;
  }
}

function isPlainRecord(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The text of anything thrown; a throwing `message` getter or `toString` gives `[Unreadable]`. */
function messageOf(error: unknown): string {
  if (typeof error === 'string') return error;
  try {
    return error instanceof Error ? String(error.message) : safeString(error);
  } catch {
    return UNREADABLE;
  }
}

function safeString(value: unknown): string {
  try {
    return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  } catch {
    try {
      return Object.prototype.toString.call(value);
    } catch {
      return UNREADABLE;
    }
  }
}
