import { z } from 'zod';

/** What POST /errors/:id/status sends the errors service (`POST /errors/issues/:id/status`). */
export type IssueStatusBody =
  | { status: 'unresolved' }
  | { status: 'resolved'; in_next_release?: true }
  | { status: 'ignored'; ignore_count?: number; ignore_until?: string };

const formSchema = z.object({
  status: z.enum(['unresolved', 'resolved', 'ignored'], {
    error: 'status must be unresolved, resolved or ignored',
  }),
  in_next_release: z.string().optional(),
  ignore_count: z.string().trim().optional(),
  ignore_until: z.string().trim().optional(),
});

export type FormResult = { ok: true; body: IssueStatusBody } | { ok: false; message: string };

/**
 * The form's fields as the service's body: "ignore until N more events" and "ignore until a date" (a date
 * input gives `YYYY-MM-DD`, read as midnight UTC), either, both or neither (until changed by hand).
 */
export function statusBodyOf(form: unknown, now = new Date()): FormResult {
  const parsed = formSchema.safeParse(form ?? {});
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? 'invalid form' };
  const { status, in_next_release, ignore_count, ignore_until } = parsed.data;
  if (status === 'unresolved') return { ok: true, body: { status } };
  if (status === 'resolved')
    return {
      ok: true,
      body:
        in_next_release === 'on' || in_next_release === 'true'
          ? { status, in_next_release: true }
          : { status },
    };
  const body: IssueStatusBody = { status };
  if (ignore_count !== undefined && ignore_count !== '') {
    const count = Number(ignore_count);
    if (!Number.isInteger(count) || count < 1 || count > 1_000_000_000)
      return { ok: false, message: 'the number of events must be a whole number from 1 to 1,000,000,000' };
    body.ignore_count = count;
  }
  if (ignore_until !== undefined && ignore_until !== '') {
    const at = /^\d{4}-\d{2}-\d{2}$/.test(ignore_until) ? `${ignore_until}T00:00:00Z` : ignore_until;
    const time = Date.parse(at);
    if (!Number.isFinite(time) || !/^\d{4}-\d{2}-\d{2}/.test(ignore_until))
      return { ok: false, message: 'the date must be a date such as 2027-01-31' };
    if (time <= now.getTime()) return { ok: false, message: 'the date must be in the future' };
    body.ignore_until = new Date(time).toISOString();
  }
  return { ok: true, body };
}

/** What the notice after a change says. */
export function statusNotice(body: IssueStatusBody): string {
  switch (body.status) {
    case 'unresolved':
      return 'Issue reopened';
    case 'resolved':
      return body.in_next_release ? 'Issue resolved in the next release' : 'Issue resolved';
    case 'ignored': {
      const limits = [
        body.ignore_count === undefined ? null : `${body.ignore_count} more events`,
        body.ignore_until === undefined ? null : body.ignore_until.slice(0, 10),
      ].filter((l) => l !== null);
      return limits.length === 0
        ? 'Issue ignored until changed'
        : `Issue ignored until ${limits.join(' or ')}`;
    }
  }
}
