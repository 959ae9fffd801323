/**
 * Retention categories. Each category is also one hash chain (the chain key) and one LIST partition of
 * audit_events, sub-partitioned by month, so retention drops whole monthly partitions of one chain.
 */
export const AUDIT_CATEGORIES = ['security', 'privacy', 'routine'] as const;
export type AuditCategory = (typeof AUDIT_CATEGORIES)[number];

const SECURITY_PREFIXES = ['admin.', 'security.', 'auth.', 'access.'];

/**
 * security: admin access and security actions (kept 1 year by default); privacy: privacy changes
 * (1 year); routine: everything else (90 days). An admin actor makes any action a security record.
 */
export function categoryOf(event: { action: string; actor: { type: string } }): AuditCategory {
  if (event.action.startsWith('privacy.')) return 'privacy';
  if (event.actor.type === 'admin' || SECURITY_PREFIXES.some((p) => event.action.startsWith(p))) {
    return 'security';
  }
  return 'routine';
}
