import { ANY_SOURCE } from './api-keys.config';
import type { Principal } from './oidc.verifier';

/**
 * Whether `principal` may publish audit events as `source`: its key's entry lists the source, or `*`.
 * A principal without `sources` (an OIDC token, a key without audit:publish) may publish as none.
 */
export function mayPublishAs(principal: Pick<Principal, 'sources'>, source: string): boolean {
  const sources = principal.sources ?? [];
  return sources.includes(ANY_SOURCE) || sources.includes(source);
}
