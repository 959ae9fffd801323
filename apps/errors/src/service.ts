import type { ServiceDefinition } from '@vigil/platform';

import { errorsConfigSchema } from './config/errors-config';
import { loadProjects } from './config/projects-config';
import { ErrorsModule } from './errors.module';

/**
 * The errors service as the platform boots it (main.ts) and as tests start it in-process. The projects
 * are read and validated here, before anything connects: a bad file throws a ConfigError, which the
 * bootstrap prints as one line before exiting 1.
 */
export const errorsService: ServiceDefinition<typeof errorsConfigSchema> = {
  name: 'errors',
  configSchema: errorsConfigSchema,
  module: (config) => ErrorsModule.forRoot(config, loadProjects(config)),
};
