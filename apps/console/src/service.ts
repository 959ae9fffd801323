import type { ServiceDefinition } from '@vigil/platform';

import { consoleConfigSchema } from './config/console-config';
import { ConsoleModule } from './console.module';

/** The console as the platform boots it (main.ts) and as tests start it in-process. */
export const consoleService: ServiceDefinition<typeof consoleConfigSchema> = {
  name: 'console',
  configSchema: consoleConfigSchema,
  module: (config) => ConsoleModule.forRoot(config),
};
