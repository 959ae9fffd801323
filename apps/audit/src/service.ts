import type { ServiceDefinition } from '@vigil/platform';

import { AuditModule } from './audit.module';
import { auditConfigSchema } from './config/audit-config';

/** The audit service as the platform boots it (main.ts) and as tests start it in-process. */
export const auditService: ServiceDefinition<typeof auditConfigSchema> = {
  name: 'audit',
  configSchema: auditConfigSchema,
  module: (config) => AuditModule.forRoot(config),
};
