import { z } from 'zod';

import { isoDateTimeSchema } from './iso-datetime';
import { messageJsonSchema } from './json-schema';

export const HEALTH_STATUS_SUBJECT = 'health.v1.status';

export const TARGET_STATUSES = ['up', 'down', 'unknown'] as const;
export type TargetStatus = (typeof TARGET_STATUSES)[number];
export const targetStatusSchema = z.enum(TARGET_STATUSES);

export const healthStatusChangedV1Schema = z
  .strictObject({
    target: z.string().min(1),
    from: targetStatusSchema,
    to: targetStatusSchema,
    at: isoDateTimeSchema,
    reason: z.string(),
  })
  .meta({ title: 'HealthStatusChanged v1', description: `Published to ${HEALTH_STATUS_SUBJECT}.` });

export type HealthStatusChangedV1 = z.infer<typeof healthStatusChangedV1Schema>;

export const healthStatusChangedV1JsonSchema = messageJsonSchema(
  'health-status-changed.v1',
  healthStatusChangedV1Schema,
);
