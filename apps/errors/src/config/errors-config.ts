import { z } from 'zod';

import { platformConfigSchema } from '@vigil/platform';

const MIB = 1024 * 1024;

const bytes = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ error: `must be a number of bytes from ${min} to ${max}` })
    .int(`must be a number of bytes from ${min} to ${max}`)
    .min(min, `must be a number of bytes from ${min} to ${max}`)
    .max(max, `must be a number of bytes from ${min} to ${max}`)
    .default(fallback);

export const errorsConfigSchema = platformConfigSchema.extend({
  /** YAML file listing the projects (projects-config.ts has its shape); or ERRORS_PROJECTS inline. */
  ERRORS_PROJECTS_FILE: z.string().min(1, 'must be a path to a YAML file').optional(),
  /** The projects as inline JSON (same shape as the file); used when ERRORS_PROJECTS_FILE is unset. */
  ERRORS_PROJECTS: z.string().min(1, 'must be JSON: {"projects": [...]}').optional(),
  /**
   * Largest request body as sent (compressed). Sentry's documented limit for an envelope is 40 MiB
   * compressed (develop.sentry.dev "Envelopes", size limits); we keep 20 MiB, the same for /store/.
   */
  ERRORS_MAX_COMPRESSED_BYTES: bytes(1024, 200 * MIB, 20 * MIB),
  /** Largest body after decompression (Sentry: 200 MiB per envelope); past it the request gets 413. */
  ERRORS_MAX_DECOMPRESSED_BYTES: bytes(1024, 200 * MIB, 50 * MIB),
  /**
   * Largest event (an `event` item or a /store/ body) after decompression. Sentry: 1 MiB. Also bounds
   * the ERRORS message under JetStream's max_payload (1 MiB by default), with room for the envelope.
   */
  ERRORS_MAX_EVENT_BYTES: bytes(1024, 1000 * 1024, 1000 * 1024),
  /**
   * Bytes all request bodies being read may hold together (each is bounded by the limits above); past it
   * a request gets 503 with Retry-After, so concurrent large uploads cannot exhaust the pod's memory.
   */
  ERRORS_MAX_BUFFERED_BYTES: bytes(MIB, 4096 * MIB, 256 * MIB),
  /** Most items one envelope may carry (Sentry SDKs send one event, or up to 100 sessions); past it 413. */
  ERRORS_MAX_ENVELOPE_ITEMS: z.coerce
    .number({ error: 'must be a whole number from 1 to 10000' })
    .int('must be a whole number from 1 to 10000')
    .min(1, 'must be a whole number from 1 to 10000')
    .max(10000, 'must be a whole number from 1 to 10000')
    .default(1000),
});

export type ErrorsConfig = z.infer<typeof errorsConfigSchema> & { PORT: number };
