import { CreateAuditEvents1763800000000 } from './1763800000000-create-audit-events';

/** Every migration of the audit database, oldest first. */
export const AUDIT_MIGRATIONS = [CreateAuditEvents1763800000000];
