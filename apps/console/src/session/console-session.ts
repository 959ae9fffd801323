import type { UpstreamName } from '../config/console-config';

/** What each service answered to `GET /api/whoami` at login: its scopes, or null when it refused the person. */
export type ServiceAccess = Partial<Record<UpstreamName, readonly string[] | null>>;

/** A signed-in person, as every page and upstream call sees them. */
export interface ConsoleSession {
  /** Hex SHA-256 of the cookie's id: the row's key, never the id itself. */
  idHash: string;
  /** A key's name or `oidc:<sub>`, as the services name them. */
  principal: string;
  kind: 'api-key' | 'oidc';
  /** The bearer the services see: the person's own API key or access token (never a shared key). */
  credential: string;
  access: ServiceAccess;
  csrfToken: string;
  expiresAt: Date;
}

/** Whether `session` may use `service` at all (any valid key), and with `scope` when one is named. */
export function mayUse(session: ConsoleSession, service: UpstreamName, scope?: string): boolean {
  const scopes = session.access[service];
  if (scopes === null || scopes === undefined) return false;
  return scope === undefined || scopes.includes(scope);
}
