import type { ServiceDefinition } from '@vigil/platform';

import { AlertingModule } from './alerting.module';
import { alertingConfigSchema } from './config/alerting-config';

/** The alerting service as the platform boots it (main.ts) and as tests start it in-process. */
export const alertingService: ServiceDefinition<typeof alertingConfigSchema> = {
  name: 'alerting',
  configSchema: alertingConfigSchema,
  module: (config) => AlertingModule.forRoot(config),
};
