import type { SentryEventStored } from '../scrub';
import type { ProjectScrubbing } from './project-redactors';

/** What grouping says of a scrubbed event (the grouping module's `groupingKey` result). */
export interface EventGroup {
  fingerprint: string;
  grouping_version: string;
  title: string;
  culprit: string | null;
}

/** Scrubbing and grouping, as the ingest uses them (the scrub and grouping modules, injected). */
export interface EventPipeline {
  scrub(
    event: unknown,
    scrubbing: ProjectScrubbing,
  ): { event: SentryEventStored; rules: Record<string, number> };
  group(event: SentryEventStored): EventGroup;
}

export const EVENT_PIPELINE = Symbol('EVENT_PIPELINE');
