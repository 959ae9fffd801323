import { BadRequestException } from '@nestjs/common';

import type { AlertView } from '../alerts/alert-view';
import { compileAnchoredRegex, RegexSyntaxError, type AnchoredRegex } from '../matchers/anchored-regex';
import { matchesAll, type CompiledMatcher } from '../matchers/label-matcher';
import { boolParam, filterParam, listParam, type QueryParams } from './query-params';

/** The query of `GET /api/v2/alerts` and `/alerts/groups`, with Alertmanager's defaults (all true). */
export interface AlertFilter {
  active: boolean;
  silenced: boolean;
  inhibited: boolean;
  matchers: CompiledMatcher[];
  /** A regular expression the receiver name must match, anchored. */
  receiver: AnchoredRegex | null;
}

export function alertFilterOf(query: QueryParams): AlertFilter {
  const [receiver] = listParam(query, 'receiver');
  const receiverRe = receiver ? receiverParam(receiver) : null;
  return {
    active: boolParam(query, 'active', true),
    silenced: boolParam(query, 'silenced', true),
    inhibited: boolParam(query, 'inhibited', true),
    matchers: filterParam(query),
    receiver: receiverRe,
  };
}

/** The `receiver=` regex; one RE2 refuses is a 400, as in Alertmanager, not a filter silently dropped. */
function receiverParam(pattern: string): AnchoredRegex {
  try {
    return compileAnchoredRegex(pattern);
  } catch (error) {
    if (!(error instanceof RegexSyntaxError)) throw error;
    throw new BadRequestException({
      message: `invalid receiver: ${error.message}`,
      details: { receiver: pattern },
    });
  }
}

/**
 * The labels every listed alert must carry (its `name="value"` matchers with a value): the read can be
 * narrowed to them. An empty value also matches an absent label, so such a matcher narrows nothing.
 */
export function requiredLabelsOf(filter: AlertFilter): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const m of filter.matchers) {
    if (m.type !== '=' || m.value === '') continue;
    // Two different required values for one name: nothing passes; passes() says so, the read stays wide.
    if (labels[m.name] !== undefined && labels[m.name] !== m.value) return {};
    labels[m.name] = m.value;
  }
  return labels;
}

/** Whether `view` is listed under `filter`, as Alertmanager's alertFilter decides. */
export function passes(filter: AlertFilter, view: AlertView): boolean {
  if (!matchesAll(filter.matchers, view.alert.labels)) return false;
  if (filter.receiver && !view.receivers.some((name) => filter.receiver?.test(name))) return false;
  const silenced = view.silencedBy.length > 0;
  const inhibited = view.inhibitedBy.length > 0;
  if (!filter.silenced && silenced) return false;
  if (!filter.inhibited && inhibited) return false;
  if (!filter.active && !silenced && !inhibited) return false;
  return true;
}
