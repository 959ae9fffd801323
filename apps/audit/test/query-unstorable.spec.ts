import { readerHeaders } from './audit-factory';
import { startAudit, type AuditHarness } from './audit-harness';

const YEAR_10000 = encodeURIComponent('9999-12-31T23:00:00-05:00');
const YEAR_0 = encodeURIComponent('0001-01-01T00:30:00+01:00');
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Each of these reached Postgres and came back as a 500 (NUL, out-of-range times): now a 400 naming the field. */
const CASES: { name: string; path: string; field: string }[] = [
  { name: 'actor with NUL', path: '/audit/events?actor=a%00b', field: 'query.actor' },
  { name: 'resource_id with NUL', path: '/audit/events?resource_id=%00', field: 'query.resource_id' },
  { name: 'tenant with NUL', path: '/audit/events?tenant=%00', field: 'query.tenant' },
  { name: 'from in year 10000 UTC', path: `/audit/events?from=${YEAR_10000}`, field: 'from' },
  { name: 'to in year 0 UTC', path: `/audit/events?to=${YEAR_0}`, field: 'to' },
  {
    name: 'a cursor holding a year 0 time',
    path: `/audit/events?cursor=${cursorOf({ r: '0000-01-01T00:00:00Z', i: '00000000-0000-4000-8000-000000000000' })}`,
    field: 'cursor',
  },
  { name: 'event id path with NUL', path: '/audit/events/%00', field: 'path' },
  { name: 'event id path that is not UTF-8', path: '/audit/events/%C0%80', field: 'path' },
  { name: 'verify from in year 10000 UTC', path: `/audit/verify?from=${YEAR_10000}`, field: 'from' },
  { name: 'verify to far past year 9999', path: '/audit/verify?to=%2B275760-09-13T00:00:00Z', field: 'to' },
];

describe('audit queries refuse what Postgres cannot compare, with a 400 naming the field (real NATS + Postgres)', () => {
  let h: AuditHarness;

  beforeAll(async () => {
    h = await startAudit();
  });

  afterAll(async () => {
    await h?.stop();
  });

  it.each(CASES)('$name → 400 JSON', async ({ path, field }) => {
    const res = await fetch(`${h.base}${path}`, { headers: readerHeaders });
    const body = (await res.json()) as { error: string; message: string; details?: unknown };
    expect(res.status).toBe(400);
    expect(body.error).toBe('bad_request');
    expect(`${body.message} ${JSON.stringify(body.details ?? null)}`).toContain(field);
  });

  it('still answers an ordinary query', async () => {
    const res = await fetch(`${h.base}/audit/events?actor=admin-7&from=2026-01-01T00:00:00Z`, {
      headers: readerHeaders,
    });
    expect(res.status).toBe(200);
  });
});
