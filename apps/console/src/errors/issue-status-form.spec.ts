import { statusBodyOf, statusNotice } from './issue-status-form';

const now = new Date('2026-12-08T02:00:00Z');

describe('issue status form', () => {
  it('turns the forms into the errors service bodies', () => {
    expect(statusBodyOf({ status: 'unresolved', _csrf: 't' }, now)).toEqual({
      ok: true,
      body: { status: 'unresolved' },
    });
    expect(statusBodyOf({ status: 'resolved' }, now)).toEqual({ ok: true, body: { status: 'resolved' } });
    expect(statusBodyOf({ status: 'resolved', in_next_release: 'on' }, now)).toEqual({
      ok: true,
      body: { status: 'resolved', in_next_release: true },
    });
    expect(statusBodyOf({ status: 'ignored', ignore_count: '', ignore_until: '' }, now)).toEqual({
      ok: true,
      body: { status: 'ignored' },
    });
    expect(statusBodyOf({ status: 'ignored', ignore_count: '100', ignore_until: '2027-01-31' }, now)).toEqual(
      {
        ok: true,
        body: { status: 'ignored', ignore_count: 100, ignore_until: '2027-01-31T00:00:00.000Z' },
      },
    );
  });

  it('refuses what the service would refuse, with a sentence a person understands', () => {
    expect(statusBodyOf({ status: 'deleted' }, now)).toEqual({
      ok: false,
      message: expect.stringContaining('status must be'),
    });
    expect(statusBodyOf({ status: 'ignored', ignore_count: '1.5' }, now)).toMatchObject({ ok: false });
    expect(statusBodyOf({ status: 'ignored', ignore_count: '0' }, now)).toMatchObject({ ok: false });
    expect(statusBodyOf({ status: 'ignored', ignore_until: 'soon' }, now)).toMatchObject({ ok: false });
    expect(statusBodyOf({ status: 'ignored', ignore_until: '2026-12-01' }, now)).toEqual({
      ok: false,
      message: 'the date must be in the future',
    });
  });

  it('says what was done', () => {
    expect(
      statusNotice({ status: 'ignored', ignore_count: 5, ignore_until: '2027-01-31T00:00:00.000Z' }),
    ).toBe('Issue ignored until 5 more events or 2027-01-31');
    expect(statusNotice({ status: 'resolved' })).toBe('Issue resolved');
  });
});
