import { BadRequestException } from '@nestjs/common';

import {
  compileMatcher,
  MatcherSyntaxError,
  parseMatchers,
  type CompiledMatcher,
} from '../matchers/label-matcher';

export type QueryParams = Record<string, unknown>;

/** All values of a query parameter that may repeat (`filter=a&filter=b`). */
export function listParam(query: QueryParams, name: string): string[] {
  const value = query[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** `true`/`false` query flags, Alertmanager's defaults otherwise; anything else is a 400. */
export function boolParam(query: QueryParams, name: string, fallback: boolean): boolean {
  const [value] = listParam(query, name);
  if (value === undefined || value === '') return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new BadRequestException({ message: `${name} must be true or false`, details: { [name]: value } });
}

/** Every `filter=` matcher, compiled; a syntax error is a 400 naming the filter. */
export function filterParam(query: QueryParams): CompiledMatcher[] {
  try {
    return listParam(query, 'filter').flatMap((text) => parseMatchers(text).map(compileMatcher));
  } catch (error) {
    if (error instanceof MatcherSyntaxError) {
      throw new BadRequestException({ message: `invalid filter: ${error.message}` });
    }
    throw error;
  }
}
