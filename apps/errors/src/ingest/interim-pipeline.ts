import { createHash } from 'node:crypto';

import { scrubSentryEvent } from '../scrub';
import type { EventPipeline } from './event-pipeline';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The scrub module's scrubSentryEvent, and a stand-in grouping (exception type and message) until the
 * grouping module is wired in.
 */
export const interimPipeline: EventPipeline = {
  scrub: (event, { redactor, options }) => scrubSentryEvent(event, redactor, options),
  group(event) {
    const e = isObject(event) ? event : {};
    const values = isObject(e.exception) && Array.isArray(e.exception.values) ? e.exception.values : [];
    const last: unknown = values[values.length - 1];
    const type = isObject(last) && typeof last.type === 'string' ? last.type : 'Error';
    const value = isObject(last) && typeof last.value === 'string' ? last.value : '';
    const message = typeof e.message === 'string' ? e.message : value;
    const fingerprint = createHash('sha256').update(`${type}\u0000${message}`).digest('hex');
    return {
      fingerprint,
      grouping_version: 'interim-1',
      title: `${type}: ${message}`.slice(0, 200),
      culprit:
        typeof e.culprit === 'string' ? e.culprit : typeof e.transaction === 'string' ? e.transaction : null,
    };
  },
};
