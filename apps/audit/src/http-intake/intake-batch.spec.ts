import { BadRequestException, PayloadTooLargeException } from '@nestjs/common';
import { AUDIT_EVENT_MAX_BYTES } from '@vigil/contracts';

import { auditEvent as event } from '../../test/audit-factory';
import { batchStatus, checkEvent, eventsOf, MAX_EVENTS_PER_REQUEST, type EventResult } from './intake-batch';

describe('eventsOf', () => {
  it('takes one event or an array of up to the maximum', () => {
    const one = event();
    expect(eventsOf(one)).toEqual([one]);
    expect(eventsOf(Array.from({ length: MAX_EVENTS_PER_REQUEST }, () => one))).toHaveLength(500);
  });

  it('refuses more than the maximum with 413, and no event at all with 400', () => {
    const tooMany = Array.from({ length: MAX_EVENTS_PER_REQUEST + 1 }, () => event());
    expect(() => eventsOf(tooMany)).toThrow(PayloadTooLargeException);
    expect(() => eventsOf([])).toThrow(BadRequestException);
    expect(() => eventsOf({})).toThrow(BadRequestException);
  });
});

describe('checkEvent', () => {
  it('accepts a valid event and names its subject', () => {
    const valid = event({ source: 'profile' });
    expect(checkEvent(valid)).toMatchObject({ ok: true, id: valid.id, subject: 'audit.v1.events.profile' });
  });

  it.each([
    ['a missing field', event({ outcome: undefined }), /^schema: outcome/],
    ['a bad source', event({ source: 'Shop Europe' }), /^schema: source/],
    ['U+0000 in text', event({ metadata: { note: 'a\u0000b' } }), /^schema: /],
    [
      'more than the consumer stores',
      event({ metadata: { n: 'x'.repeat(AUDIT_EVENT_MAX_BYTES) } }),
      /^too_large/,
    ],
    ['not an object', 'hello', /^schema: /],
  ])('refuses an event with %s as the ingest consumer would (400)', (_what, item, error) => {
    const checked = checkEvent(item);
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      expect(checked.result.status).toBe(400);
      expect(checked.result.error).toMatch(error);
    }
  });

  it('echoes the id of an invalid event when it has one, and null otherwise', () => {
    const bad = event({ action: 'Not Dotted' });
    expect(checkEvent(bad)).toMatchObject({ ok: false, result: { id: bad.id } });
    expect(checkEvent({ action: 'x' })).toMatchObject({ ok: false, result: { id: null } });
  });

  it('keeps personal data out of the error it returns', () => {
    // The validator names the offending field by its path, and a key may be an address.
    const checked = checkEvent(event({ metadata: { 'jane@example.com': 'a\u0000b' } }));
    expect(checked).toMatchObject({ ok: false, result: { status: 400, error: /^schema: metadata\./ } });
    expect(JSON.stringify(checked)).not.toContain('jane@example.com');
  });
});

describe('batchStatus', () => {
  const r = (...statuses: EventResult['status'][]) => statuses.map((status) => ({ id: null, status }));
  it.each([
    [r(202, 202), 202],
    [r(403, 403), 403],
    [r(503), 503],
    [r(202, 400), 207],
    [r(400, 400), 207],
    [r(403, 400), 207],
    [r(202, 503), 207],
  ])('answers %j with %i', (results, status) => {
    expect(batchStatus(results)).toBe(status);
  });
});
