import { z } from 'zod';

import { platformConfigSchema } from '@vigil/platform';

export const healthConfigSchema = platformConfigSchema.extend({
  /** YAML file listing the targets to check (see targets/target-definition.ts for its shape). */
  TARGETS_FILE: z.string().min(1, 'must be a path to a YAML file'),
  /** At most this many target checks run at once; the others wait their turn. */
  HEALTH_MAX_CONCURRENT_CHECKS: z.coerce
    .number({ error: 'must be a whole number from 1 to 1000' })
    .int('must be a whole number from 1 to 1000')
    .min(1, 'must be a whole number from 1 to 1000')
    .max(1000, 'must be a whole number from 1 to 1000')
    .default(50),
  /**
   * Base URL of this service as the jobs that ping it reach it (ingress or load balancer), for the
   * ping URLs the heartbeat API shows. Default: http://127.0.0.1:<PORT>.
   */
  HEALTH_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
});

export type HealthConfig = z.infer<typeof healthConfigSchema> & { PORT: number };

/** The base of the ping URLs: HEALTH_PUBLIC_URL without a trailing slash, or this replica's own address. */
export function publicUrlOf(config: HealthConfig): string {
  return config.HEALTH_PUBLIC_URL ?? `http://127.0.0.1:${config.PORT}`;
}
