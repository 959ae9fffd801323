import { applyDecorators, SetMetadata } from '@nestjs/common';

import type { ApiScope } from './api-scopes';

/** How a route is reached: with a key holding a scope, with any valid key, or without one. */
export type RouteAccess =
  { kind: 'scope'; scope: ApiScope } | { kind: 'any-key' } | { kind: 'public'; reason: string };

export const ROUTE_ACCESS = 'vigil:route-access';

/** Needs a bearer API key holding `scope` (on a controller or a route; the route's wins). */
export const RequireScope = (scope: ApiScope) => SetMetadata(ROUTE_ACCESS, { kind: 'scope', scope });

/**
 * Needs a valid bearer API key of any scope: the read APIs (alert lists, silences, history, reports).
 * Also what a route without any of these decorators gets, so a new route is never open by mistake.
 */
export const AnyApiKey = () => SetMetadata(ROUTE_ACCESS, { kind: 'any-key' });

/** Open to anyone; `reason` says why (read in review, never at run time). */
export const Public = (reason: string) =>
  applyDecorators(SetMetadata(ROUTE_ACCESS, { kind: 'public', reason }));
