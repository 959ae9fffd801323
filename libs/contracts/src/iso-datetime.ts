import { z } from 'zod';

/** ISO-8601 / RFC 3339 timestamp with `Z` or a numeric offset, e.g. `2025-01-06T09:30:00+01:00`. */
export const isoDateTimeSchema = z.iso.datetime({ offset: true });
