import type { ServiceDefinition } from '@vigil/platform';

import { healthConfigSchema } from './config/health-config';
import { HealthModule } from './health.module';
import { loadTargetsConfig } from './targets/targets-file';

/**
 * The health service as the platform boots it (main.ts) and as tests start it in-process. The
 * targets file is read and validated here, before anything connects: a bad file throws a
 * ConfigError, which bootstrap prints as one line before exiting 1.
 */
export const healthService: ServiceDefinition<typeof healthConfigSchema> = {
  name: 'health',
  configSchema: healthConfigSchema,
  // `env` is passed on for the secrets a targets file names (`${NAME}`, connection_env, ...).
  module: (config, env) => {
    const { targets, maintenance } = loadTargetsConfig(config.TARGETS_FILE, env);
    return HealthModule.forRoot(config, targets, maintenance);
  },
};
