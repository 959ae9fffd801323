import type { ServiceDefinition } from '@vigil/platform';

import { reportingConfigSchema } from './config/reporting-config';
import { ReportingModule } from './reporting.module';

/** The reporting service as the platform boots it (main.ts) and as tests start it in-process. */
export const reportingService: ServiceDefinition<typeof reportingConfigSchema> = {
  name: 'reporting',
  configSchema: reportingConfigSchema,
  module: (config) => ReportingModule.forRoot(config),
};
