import { groupingKey } from '../grouping';
import { scrubSentryEvent } from '../scrub';
import type { EventPipeline } from './event-pipeline';

/** The scrub module's scrubSentryEvent, then the grouping module's groupingKey on the scrubbed event. */
export const sentryPipeline: EventPipeline = {
  scrub: (event, { redactor, options }) => scrubSentryEvent(event, redactor, options),
  group: (event) => groupingKey(event),
};
