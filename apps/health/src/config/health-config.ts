import { z } from 'zod';

import { platformConfigSchema } from '@vigil/platform';

export const healthConfigSchema = platformConfigSchema.extend({
  /** YAML file listing the targets to check (see targets/target-definition.ts for its shape). */
  TARGETS_FILE: z.string().min(1, 'must be a path to a YAML file'),
});

export type HealthConfig = z.infer<typeof healthConfigSchema> & { PORT: number };
