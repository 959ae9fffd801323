/**
 * What an API key may do. Reads of alerts, silences, history, status and reports need a valid key of
 * any scope; everything else names its scope (README "API keys and scopes" has the route table).
 */
export const API_SCOPES = [
  'audit:read',
  'audit:publish',
  'audit:erase',
  'alerts:write',
  'alerts:ack',
  'silences:write',
  'config:reload',
  'reports:run',
  'health:detailed',
  'monitors:write',
  'errors:read',
  'errors:write',
] as const;

export type ApiScope = (typeof API_SCOPES)[number];

/** Scopes whose routes change state: the per-key write rate limit applies to them. */
export const WRITE_SCOPES: ReadonlySet<ApiScope> = new Set([
  'audit:publish',
  'audit:erase',
  'alerts:write',
  'alerts:ack',
  'silences:write',
  'config:reload',
  'reports:run',
  'monitors:write',
  'errors:write',
]);
