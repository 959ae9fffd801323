import { z } from 'zod';

import { isoDateTime } from '@vigil/contracts';

const TIME = 'must be an ISO-8601 time with an offset, e.g. 2026-12-24T22:00:00Z';

/** Body of `POST /api/maintenance`: a one-off window for some targets (or all, without `targets`). */
export const maintenanceRequestSchema = z
  .strictObject(
    {
      start: isoDateTime(TIME),
      end: isoDateTime(TIME),
      targets: z
        .array(z.string({ error: 'must be a target name' }), { error: 'must be a list of target names' })
        .min(1, 'must name at least one target (leave it out for every target)')
        .max(1000, 'must name at most 1000 targets')
        .optional(),
      reason: z
        .string({ error: 'is required' })
        .trim()
        .min(1, 'must not be empty')
        .max(500, 'must be at most 500 characters'),
    },
    { error: 'must be a JSON object {start, end, targets?, reason}' },
  )
  .superRefine((body, ctx) => {
    if (Date.parse(body.end) <= Date.parse(body.start))
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'must be after start' });
  });

export type MaintenanceRequest = z.infer<typeof maintenanceRequestSchema>;
