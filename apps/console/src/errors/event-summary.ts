/** What the issue page shows of one scrubbed Sentry event; every string here is untrusted and escaped later. */
export interface EventSummary {
  /** `Type: value` of the raised exception, or the message. */
  headline: string;
  tags: [string, string][];
  user: string | null;
  request: string | null;
  /** The raising stack's app frames, innermost first: `module in function (file:line)`. */
  frames: string[];
}

const MAX_TAGS = 50;
const MAX_FRAMES = 15;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null =>
  typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : null;
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Reads a stored event defensively: SDKs differ, and a field of the wrong type is skipped, never trusted. */
export function summariseEvent(event: unknown): EventSummary {
  const e = isObject(event) ? event : {};
  const exceptions = list(isObject(e.exception) ? e.exception.values : e.exception).filter(isObject);
  const raised = exceptions[exceptions.length - 1];
  return {
    headline: headlineOf(e, raised),
    tags: tagsOf(e.tags),
    user: isObject(e.user) ? text(e.user.id) : null,
    request: isObject(e.request)
      ? [text(e.request.method), text(e.request.url)].filter((part) => part !== null).join(' ') || null
      : null,
    frames: raised === undefined ? [] : framesOf(raised),
  };
}

function headlineOf(e: Json, raised: Json | undefined): string {
  if (raised !== undefined) {
    const type = text(raised.type);
    const value = text(raised.value);
    if (type !== null || value !== null) return [type, value].filter((p) => p !== null).join(': ');
  }
  const logentry = isObject(e.logentry) ? e.logentry : null;
  return (
    text(logentry?.formatted) ??
    text(logentry?.message) ??
    (isObject(e.message) ? text(e.message.formatted) : text(e.message)) ??
    '(no message)'
  );
}

function tagsOf(tags: unknown): [string, string][] {
  const pairs: [string, string][] = [];
  if (isObject(tags)) {
    for (const [key, value] of Object.entries(tags)) pairs.push([key, text(value) ?? JSON.stringify(value)]);
  } else {
    for (const pair of list(tags)) {
      const [key, value] = list(pair);
      if (typeof key === 'string') pairs.push([key, text(value) ?? JSON.stringify(value)]);
    }
  }
  return pairs.slice(0, MAX_TAGS);
}

function framesOf(raised: Json): string[] {
  const frames = list(isObject(raised.stacktrace) ? raised.stacktrace.frames : undefined).filter(isObject);
  const app = frames.filter((f) => f.in_app === true);
  return (app.length > 0 ? app : frames)
    .slice(-MAX_FRAMES)
    .reverse()
    .map((f) => {
      const where = [text(f.module), text(f.function)].filter((p) => p !== null).join(' in ');
      const file = text(f.filename) ?? text(f.abs_path);
      const line = text(f.lineno);
      return `${where || '?'}${file === null ? '' : ` (${file}${line === null ? '' : `:${line}`})`}`;
    });
}
