import { createHash } from 'node:crypto';

import type { SentryEventStored, SentryException, SentryFrame, SentryLogEntry } from '../scrub';
import { isAppFrame, normaliseFilename } from './frame-filename';
import { parameterise } from './parameterise';

export const GROUPING_VERSION = 'vigil-1';

export type GroupingKind = 'sdk-fingerprint' | 'exception' | 'message';

export interface GroupingKey {
  /** sha256 hex of the grouping version, kind and components: events with the same one are one issue. */
  fingerprint: string;
  grouping_version: typeof GROUPING_VERSION;
  kind: GroupingKind;
  /** `Type: first line of the value` or the message, as Sentry shows it. */
  title: string;
  /** `module in function` of the raising app frame, else the transaction, else null. */
  culprit: string | null;
}

interface Components {
  kind: Exclude<GroupingKind, 'sdk-fingerprint'>;
  parts: string[];
}

const MAX_TITLE = 256;
const MAX_CHAIN = 32;
const DEFAULT_VARIABLE = /^\{\{\s*default\s*\}\}$/;
const VARIABLE = /^\{\{\s*([\w.]{1,40})\s*\}\}$/;

/**
 * The issue an event belongs to (the event is the scrubbed one): the SDK's `fingerprint` first, with
 * `{{ default }}` standing for our own components; else the exception chain, each exception's type and
 * its app frames (module, function, normalised file name; all frames when none is the app's; the
 * parameterised value when it has none); else the parameterised message.
 */
export function groupingKey(event: SentryEventStored): GroupingKey {
  const own = defaultComponents(event);
  const sdk = sdkFingerprint(event);
  const kind: GroupingKind = sdk === undefined ? own.kind : 'sdk-fingerprint';
  const parts =
    sdk === undefined
      ? own.parts
      : sdk.flatMap((part) =>
          DEFAULT_VARIABLE.test(part) ? ['{{default}}', ...own.parts] : [variable(part, event)],
        );
  return {
    fingerprint: createHash('sha256')
      .update(JSON.stringify([GROUPING_VERSION, kind, parts]))
      .digest('hex'),
    grouping_version: GROUPING_VERSION,
    kind,
    title: title(event),
    culprit: culprit(event),
  };
}

/** The SDK's fingerprint, unless absent or only `{{ default }}` (which is the default grouping). */
function sdkFingerprint(event: SentryEventStored): string[] | undefined {
  const parts = Array.isArray(event.fingerprint)
    ? event.fingerprint.filter((p) => typeof p === 'string')
    : [];
  if (parts.length === 0 || parts.every((part) => DEFAULT_VARIABLE.test(part))) return undefined;
  return parts;
}

/** Sentry's other fingerprint variables we can fill; an unknown one is kept as written. */
function variable(part: string, event: SentryEventStored): string {
  const name = VARIABLE.exec(part)?.[1] ?? '';
  const raised = chain(event).at(-1);
  switch (name) {
    case 'transaction':
      return `transaction:${event.transaction ?? ''}`;
    case 'type':
    case 'error.type':
      return `type:${raised?.type ?? ''}`;
    case 'error.value':
      return `value:${parameterise(raised?.value ?? '')}`;
    case 'message':
      return `message:${parameterise(messageTemplate(event) ?? '')}`;
    case 'level':
      return `level:${event.level ?? ''}`;
    case 'logger':
      return `logger:${event.logger ?? ''}`;
    default:
      return part;
  }
}

function chain(event: SentryEventStored): SentryException[] {
  const values = event.exception?.values;
  return Array.isArray(values)
    ? values.filter((v) => typeof v === 'object' && v !== null).slice(-MAX_CHAIN)
    : [];
}

function defaultComponents(event: SentryEventStored): Components {
  const exceptions = chain(event).filter((e) => e.type !== undefined || e.stacktrace?.frames?.length);
  if (exceptions.length > 0) return { kind: 'exception', parts: exceptions.flatMap(exceptionParts) };
  return { kind: 'message', parts: [`message:${parameterise(messageTemplate(event) ?? '')}`] };
}

function exceptionParts(exception: SentryException): string[] {
  const frames = groupingFrames(exception);
  const type = `type:${exception.type ?? ''}`;
  if (frames.length === 0) return [type, `value:${parameterise(exception.value ?? '')}`];
  return [type, ...frames.map(frameComponent)];
}

/** The app's frames of an exception, or all of them when none is the app's. */
function groupingFrames(exception: SentryException): SentryFrame[] {
  const frames = (exception.stacktrace?.frames ?? []).filter((f) => typeof f === 'object' && f !== null);
  const app = frames.filter(isAppFrame);
  return app.length > 0 ? app : frames;
}

function frameComponent(frame: SentryFrame): string {
  const file = normaliseFilename(frame.filename ?? frame.abs_path ?? '');
  return `frame:${frame.module ?? ''}|${frame.function ?? ''}|${file}`;
}

/** The message without its arguments where the SDK sends them apart (`User %s not found`). */
function messageTemplate(event: SentryEventStored): string | undefined {
  const entry = logEntry(event);
  return entry?.message ?? entry?.formatted;
}

function logEntry(event: SentryEventStored): SentryLogEntry | undefined {
  if (event.logentry !== undefined && typeof event.logentry === 'object') return event.logentry;
  if (typeof event.message === 'string') return { message: event.message };
  if (typeof event.message === 'object' && event.message !== null) return event.message;
  return undefined;
}

function title(event: SentryEventStored): string {
  const raised = chain(event).at(-1);
  if (raised !== undefined) {
    const value = firstLine(raised.value);
    const type = raised.type ?? 'Error';
    return bounded(value === '' ? type : `${type}: ${value}`);
  }
  const entry = logEntry(event);
  const message = entry?.formatted ?? formatted(entry?.message, entry?.params);
  return bounded(firstLine(message) || '<unlabeled event>');
}

/** A `%s`-style template (Python logging) filled with its params, as Sentry shows such a message. */
function formatted(template: string | undefined, params: unknown): string | undefined {
  if (template === undefined) return undefined;
  if (Array.isArray(params)) {
    let i = 0;
    return template
      .slice(0, 4_096)
      .replace(/%(?:%|[-+ #0]{0,3}\d{0,3}(?:\.\d{1,3})?[sdrifgeExXoc])/g, (spec) =>
        spec === '%%' ? '%' : i < params.length ? text(params[i++]) : spec,
      );
  }
  if (typeof params === 'object' && params !== null) {
    const named = params as Record<string, unknown>;
    return template
      .slice(0, 4_096)
      .replace(/%\(([\w.]{1,64})\)[sdrifgeExXoc]/g, (spec, key: string) =>
        Object.hasOwn(named, key) ? text(named[key]) : spec,
      );
  }
  return template;
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

function culprit(event: SentryEventStored): string | null {
  const raised = chain(event).at(-1);
  const frames = raised === undefined ? [] : groupingFrames(raised);
  // Frames run from the outermost call to the raising one.
  const frame = frames.at(-1);
  if (frame !== undefined && (frame.module ?? frame.filename) !== undefined) {
    const where = frame.module ?? normaliseFilename(frame.filename ?? '');
    return bounded(frame.function === undefined ? where : `${where} in ${frame.function}`);
  }
  return typeof event.transaction === 'string' && event.transaction !== ''
    ? bounded(event.transaction)
    : null;
}

function firstLine(value: string | undefined): string {
  if (typeof value !== 'string') return '';
  const end = value.indexOf('\n');
  return (end === -1 ? value : value.slice(0, end)).trim();
}

const bounded = (value: string): string =>
  value.length > MAX_TITLE ? `${value.slice(0, MAX_TITLE - 1)}…` : value;
