import { createHmac } from 'node:crypto';

import type { Redactor } from '@vigil/redaction';

import type {
  SentryEventStored,
  SentryException,
  SentryFrame,
  SentryStacktrace,
  SentryUser,
} from './sentry-event';

export interface ScrubOptions {
  /**
   * The SDK's `send_default_pii` as the project wants it honoured: lets `user.username` and
   * `user.ip_address` through the redactor (which still applies the policy to them). E-mail addresses,
   * real names and phone numbers of `user` are dropped whatever it says: our requirements' DO-NOT list.
   */
  sendDefaultPii?: boolean;
  /** When set (the project's policy hashes user ids), `user.id` is stored as a keyed HMAC of itself. */
  userIdHashKey?: string | Buffer;
}

export interface ScrubbedEvent {
  event: SentryEventStored;
  /** How many values each rule replaced or dropped: redactor kinds (`email`, `secret`...) and `user.<field>`. */
  rules: Record<string, number>;
}

type Json = Record<string, unknown>;

// Bounds of the work per event (an event is at most ~1 MiB at intake; these keep a hostile one cheap).
const MAX_TOP_KEYS = 200;
const MAX_EXCEPTIONS = 32;
const MAX_FRAMES = 250;
const MAX_FRAME_KEYS = 64;
const MAX_CONTEXT_LINES = 16;
const MAX_BREADCRUMBS = 100;
const MAX_THREADS = 64;
const MAX_FINGERPRINT_PARTS = 32;
const MAX_MODULES = 2_000;
const MAX_IDENTIFIER = 256;
const MAX_MESSAGE = 8_192;

/** Code identifiers and event metadata: kept as sent (bounded), never personal data. */
const KEPT_TOP_FIELDS = new Set([
  'event_id',
  'level',
  'platform',
  'logger',
  'release',
  'dist',
  'environment',
  'server_name',
  'type',
]);
const KEPT_TIME_FIELDS = new Set(['timestamp', 'start_timestamp']);
const KEPT_FRAME_FIELDS = new Set([
  'function',
  'module',
  'package',
  'platform',
  'symbol',
  'instruction_addr',
]);

/** `user` fields our requirements never store (e-mails, real names, phones), whatever the SDK was told. */
const USER_FIELDS_DROPPED = new Set([
  'email',
  'name',
  'full_name',
  'first_name',
  'last_name',
  'phone',
  'phone_number',
]);
/** `user` fields stored only when the project honours `send_default_pii` (then through the redactor). */
const USER_FIELDS_DEFAULT_PII = new Set(['username', 'ip_address']);

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const identifier = (value: unknown): string | undefined =>
  typeof value === 'string' ? value.slice(0, MAX_IDENTIFIER) : undefined;
const capped = (text: string): string =>
  text.length > MAX_MESSAGE
    ? `${text.slice(0, MAX_MESSAGE)}…[Truncated ${text.length - MAX_MESSAGE} chars]`
    : text;

/**
 * Scrubs a Sentry event (as an SDK sent it) before anything stores it: every string that may hold what a
 * user typed or what a variable held goes through `redactor`; code identifiers that grouping reads
 * (exception types, frame modules and functions, line numbers, `in_app`) are kept. Never throws: an input
 * it cannot read yields an event that keeps nothing of it.
 */
export function scrubSentryEvent(
  event: unknown,
  redactor: Redactor,
  options: ScrubOptions = {},
): ScrubbedEvent {
  const dropped: Record<string, number> = {};
  try {
    const { result, counts } = redactor.counting(() =>
      scrubTop(event, new EventScrubber(redactor, options, dropped)),
    );
    return { event: result, rules: mergeCounts(counts, dropped) };
  } catch {
    // Nothing is passed on unscanned: a failure withholds the whole event.
    return { event: {}, rules: { ...dropped, withheld: 1 } };
  }
}

function mergeCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = { ...a };
  for (const [rule, count] of Object.entries(b)) out[rule] = (out[rule] ?? 0) + count;
  return out;
}

function scrubTop(event: unknown, scrubber: EventScrubber): SentryEventStored {
  if (!isRecord(event)) return {};
  const out: SentryEventStored = {};
  for (const key of Object.keys(event).slice(0, MAX_TOP_KEYS)) {
    const value = scrubber.field(key, event[key]);
    if (value !== undefined) setOwn(out, key, value);
  }
  return out;
}

/** An own property even for `__proto__` (JSON.parse makes it one; assigning it would set the prototype). */
function setOwn(target: Json, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

class EventScrubber {
  constructor(
    private readonly redactor: Redactor,
    private readonly options: ScrubOptions,
    private readonly dropped: Record<string, number>,
  ) {}

  /** A top-level field of the event, scrubbed by what it is; `undefined` drops it. */
  field(key: string, value: unknown): unknown {
    if (KEPT_TOP_FIELDS.has(key)) return identifier(value);
    if (KEPT_TIME_FIELDS.has(key)) return typeof value === 'number' ? value : identifier(value);
    switch (key) {
      case 'exception':
        return this.exceptions(value);
      case 'threads':
        return this.threads(value);
      case 'stacktrace':
        return this.stacktrace(value);
      case 'message':
        return typeof value === 'string' ? this.text(value) : this.redact(value);
      case 'breadcrumbs':
        return this.breadcrumbs(value);
      case 'user':
        return this.user(value);
      case 'fingerprint':
        return this.fingerprint(value);
      case 'modules':
        return modules(value);
      default:
        // request, logentry, tags, extra, contexts, transaction, sdk, anything new: key-aware redaction.
        return this.redact(value);
    }
  }

  private redact(value: unknown): unknown {
    return this.redactor.redact(value);
  }

  private text(value: string): string {
    return capped(this.redactor.redactString(value));
  }

  private exceptions(value: unknown): { values: SentryException[] } | undefined {
    // `{ values: [...] }`, or the legacy bare list.
    const list = Array.isArray(value) ? value : isRecord(value) ? value.values : undefined;
    if (!Array.isArray(list)) return undefined;
    // The chain is innermost first; the last one is what was raised, kept when the chain is cut.
    return { values: list.slice(-MAX_EXCEPTIONS).map((item) => this.exception(item)) };
  }

  private exception(value: unknown): SentryException {
    if (!isRecord(value)) return {};
    const out: SentryException = {};
    for (const key of Object.keys(value).slice(0, MAX_FRAME_KEYS)) {
      const item = value[key];
      if (key === 'type' || key === 'module') out[key] = identifier(item);
      else if (key === 'value') out.value = typeof item === 'string' ? this.text(item) : this.textOf(item);
      else if (key === 'stacktrace') out.stacktrace = this.stacktrace(item);
      else setOwn(out, key, this.redact(item));
    }
    return out;
  }

  /** A non-string where a string belongs (`value: 42`): kept as scrubbed text. */
  private textOf(value: unknown): string | undefined {
    if (value === undefined || value === null) return undefined;
    return this.text(scalarText(value));
  }

  private threads(value: unknown): unknown {
    const list = Array.isArray(value) ? value : isRecord(value) ? value.values : undefined;
    if (!Array.isArray(list)) return undefined;
    return {
      values: list.slice(0, MAX_THREADS).map((thread) => {
        if (!isRecord(thread)) return {};
        const out: Json = {};
        for (const key of Object.keys(thread).slice(0, MAX_FRAME_KEYS))
          setOwn(out, key, key === 'stacktrace' ? this.stacktrace(thread[key]) : this.redact(thread[key]));
        return out;
      }),
    };
  }

  private stacktrace(value: unknown): SentryStacktrace | undefined {
    if (!isRecord(value)) return undefined;
    const out: SentryStacktrace = {};
    for (const key of Object.keys(value).slice(0, MAX_FRAME_KEYS)) {
      const item = value[key];
      if (key === 'frames')
        out.frames = Array.isArray(item) ? trimFrames(item).map((f) => this.frame(f)) : [];
      else setOwn(out, key, this.redact(item));
    }
    return out;
  }

  private frame(value: unknown): SentryFrame {
    if (!isRecord(value)) return {};
    const out: SentryFrame = {};
    // vars (key-aware: `password`, `full_name`...), context lines, filename, abs_path (`/home/<user>/`):
    // gathered and redacted in one call (a call per field doubled the cost of an event).
    const rest: Json = {};
    for (const key of Object.keys(value).slice(0, MAX_FRAME_KEYS)) {
      const item = value[key];
      if (KEPT_FRAME_FIELDS.has(key)) setOwn(out, key, identifier(item));
      else if (key === 'lineno' || key === 'colno')
        setOwn(out, key, typeof item === 'number' ? item : undefined);
      else if (key === 'in_app') setOwn(out, key, typeof item === 'boolean' ? item : undefined);
      else if (key === 'pre_context') setOwn(rest, key, nearLines(item, -MAX_CONTEXT_LINES));
      else if (key === 'post_context') setOwn(rest, key, nearLines(item, MAX_CONTEXT_LINES));
      else setOwn(rest, key, item);
    }
    const redacted = this.redact(rest) as Json;
    for (const key of Object.keys(redacted)) setOwn(out, key, redacted[key]);
    return out;
  }

  private breadcrumbs(value: unknown): { values: unknown[] } | undefined {
    const list = Array.isArray(value) ? value : isRecord(value) ? value.values : undefined;
    if (!Array.isArray(list)) return undefined;
    // The newest crumbs are last and nearest to the error: those are kept. SQL (`category: query`) and
    // URLs with query strings (`data.url`) are strings like any other to the redactor.
    return { values: this.redact(list.slice(-MAX_BREADCRUMBS)) as unknown[] };
  }

  private user(value: unknown): SentryUser | undefined {
    if (!isRecord(value)) return undefined;
    const out: SentryUser = {};
    for (const key of Object.keys(value).slice(0, MAX_FRAME_KEYS)) {
      const item = value[key];
      if (key === 'id') out.id = this.userId(item);
      else if (
        USER_FIELDS_DROPPED.has(key) ||
        (USER_FIELDS_DEFAULT_PII.has(key) && !this.options.sendDefaultPii)
      )
        this.drop(`user.${key}`);
      // Through the key-aware walk, so `segment` stays and `phone_2` or `contact_email` goes by its name.
      else setOwn(out, key, (this.redact({ [key]: item }) as Json)[key]);
    }
    return out;
  }

  /** `user.id` as text, scrubbed (an app may use an e-mail as the id), hashed when the project says so. */
  private userId(value: unknown): string | undefined {
    if (typeof value !== 'string' && typeof value !== 'number') return undefined;
    const id = this.redactor.redactString(String(value).slice(0, MAX_IDENTIFIER));
    const key = this.options.userIdHashKey;
    return key === undefined ? id : hashUserId(key, id);
  }

  private fingerprint(value: unknown): string[] | undefined {
    if (!Array.isArray(value)) return undefined;
    return value
      .slice(0, MAX_FINGERPRINT_PARTS)
      .map((part) => this.redactor.redactString(scalarText(part).slice(0, MAX_IDENTIFIER)));
  }

  private drop(rule: string): void {
    this.dropped[rule] = (this.dropped[rule] ?? 0) + 1;
  }
}

/** Source lines around a frame: the `limit` nearest to it (negative: the last ones), strings only. */
function nearLines(value: unknown, limit: number): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const near = limit < 0 ? value.slice(limit) : value.slice(0, limit);
  return near.map((line) => (typeof line === 'string' ? line : ''));
}

/** Frames past the limit are cut from the middle: the entry point and the raising frames both matter. */
function trimFrames(frames: unknown[]): unknown[] {
  if (frames.length <= MAX_FRAMES) return frames;
  const half = MAX_FRAMES / 2;
  return [...frames.slice(0, half), ...frames.slice(-half)];
}

/** Installed packages and their versions (`modules`): kept, bounded, strings only. */
function modules(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  const out: Record<string, string> = {};
  for (const name of Object.keys(value).slice(0, MAX_MODULES)) {
    const version = identifier(value[name]);
    if (version !== undefined) setOwn(out, name.slice(0, MAX_IDENTIFIER), version);
  }
  return out;
}

const LETTERS = 'abcdefghijklmnop';

/** `[HASH:user_id:<16 letters>]`, the shape libs/redaction gives hashed values, from HMAC-SHA256. */
export function hashUserId(key: string | Buffer, id: string): string {
  const digest = createHmac('sha256', key).update(`user_id:${id}`).digest('hex').slice(0, 16);
  let letters = '';
  for (const digit of digest) letters += LETTERS[parseInt(digit, 16)];
  return `[HASH:user_id:${letters}]`;
}

/** A value where text belongs: numbers and booleans as written, anything else as JSON. */
function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}
