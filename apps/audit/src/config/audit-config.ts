import { z } from 'zod';

import { platformConfigSchema } from '@vigil/platform';

export const auditConfigSchema = platformConfigSchema.extend({
  /** Messages pulled per fetch; one batch is stored in one transaction. */
  AUDIT_FETCH_BATCH: z.coerce.number().int().min(1).max(1000).default(100),
  /** How long one fetch waits for messages before returning a short batch. */
  AUDIT_FETCH_EXPIRES_MS: z.coerce.number().int().min(100).max(30000).default(1000),
});

export type AuditConfig = z.infer<typeof auditConfigSchema> & { PORT: number };
