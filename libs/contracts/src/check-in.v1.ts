import { z } from 'zod';

import { isoDateTimeSchema } from './iso-datetime';
import { messageJsonSchema } from './json-schema';

/** Sentry cron check-ins forwarded by the errors intake as heartbeats; stored by the HEALTH stream. */
export const HEALTH_CHECKINS_SUBJECT = 'health.v1.checkins';

export const CHECK_IN_STATUSES = ['in_progress', 'ok', 'error'] as const;
export type CheckInStatus = (typeof CHECK_IN_STATUSES)[number];

export const checkInV1Schema = z
  .strictObject({
    project_id: z.string().regex(/^[1-9][0-9]{0,9}$/),
    check_in_id: z
      .string()
      .regex(/^[0-9a-f]{32}$/)
      .describe('32 lowercase hex; also the Nats-Msg-Id'),
    monitor_slug: z.string().min(1).max(128),
    status: z.enum(CHECK_IN_STATUSES),
    duration_s: z.number().min(0).optional(),
    environment: z.string().min(1).max(256).optional(),
    received_at: isoDateTimeSchema,
  })
  .meta({
    title: 'CheckIn v1',
    description: `Published to ${HEALTH_CHECKINS_SUBJECT} (HEALTH stream) with Nats-Msg-Id <project_id>:<check_in_id>:<status>.`,
  });

export type CheckInV1 = z.infer<typeof checkInV1Schema>;

export const checkInV1JsonSchema = messageJsonSchema('check-in.v1', checkInV1Schema);
