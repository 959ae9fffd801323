import { applyEvent, applyStatusChange, UNRESOLVED_NEW, type IssueStatusState } from './issue-status';

const at = (iso: string) => new Date(iso);
const event = (release: string | null, iso = '2026-03-01T12:00:00Z') => ({ release, received_at: at(iso) });

function resolved(inNextRelease: boolean, release: string | null): IssueStatusState {
  return applyStatusChange(UNRESOLVED_NEW, { status: 'resolved', in_next_release: inNextRelease }, release);
}

describe('applyEvent', () => {
  it('leaves an unresolved issue as it is', () => {
    expect(applyEvent(UNRESOLVED_NEW, event('1.0'))).toEqual({
      state: UNRESOLVED_NEW,
      regressed: false,
      unignored: false,
    });
  });

  it('reopens a resolved issue as a regression on its next event', () => {
    const outcome = applyEvent(resolved(false, '1.0'), event('1.0'));
    expect(outcome.regressed).toBe(true);
    expect(outcome.state).toMatchObject({ status: 'unresolved', substatus: 'regressed' });
  });

  it('keeps an issue resolved in next release while events come from the release it was resolved in', () => {
    const state = resolved(true, '1.0');
    expect(state.resolved_release).toBe('1.0');
    const same = applyEvent(state, event('1.0'));
    expect(same).toEqual({ state, regressed: false, unignored: false });
    const newer = applyEvent(state, event('1.1'));
    expect(newer.regressed).toBe(true);
    expect(newer.state.status).toBe('unresolved');
  });

  it('treats a missing release as the resolved one only when the issue had none', () => {
    expect(applyEvent(resolved(true, null), event(null)).regressed).toBe(false);
    expect(applyEvent(resolved(true, '1.0'), event(null)).regressed).toBe(true);
  });

  it('ends an ignore once its date has passed', () => {
    const ignored = applyStatusChange(
      UNRESOLVED_NEW,
      { status: 'ignored', ignore_until: at('2026-03-02T00:00:00Z'), ignore_count: null },
      null,
    );
    expect(applyEvent(ignored, event(null, '2026-03-01T23:59:59Z'))).toMatchObject({
      state: { status: 'ignored' },
      unignored: false,
    });
    expect(applyEvent(ignored, event(null, '2026-03-02T00:00:00Z'))).toMatchObject({
      state: { status: 'unresolved', substatus: 'ongoing' },
      unignored: true,
      regressed: false,
    });
  });

  it('ends an ignore after N more events, counting each one', () => {
    let state = applyStatusChange(
      UNRESOLVED_NEW,
      { status: 'ignored', ignore_until: null, ignore_count: 3 },
      null,
    );
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      const outcome = applyEvent(state, event(null));
      state = outcome.state;
      seen.push(`${state.status}:${state.ignore_count_remaining ?? '-'}:${outcome.unignored}`);
    }
    expect(seen).toEqual(['ignored:2:false', 'ignored:1:false', 'unresolved:-:true']);
  });

  it('keeps an ignore without limits', () => {
    const ignored = applyStatusChange(
      UNRESOLVED_NEW,
      { status: 'ignored', ignore_until: null, ignore_count: null },
      null,
    );
    expect(applyEvent(ignored, event('9.9')).state).toBe(ignored);
  });
});

describe('applyStatusChange', () => {
  it('reopens a resolved issue by hand as ongoing, not as a regression', () => {
    expect(applyStatusChange(resolved(false, null), { status: 'unresolved' }, null)).toMatchObject({
      status: 'unresolved',
      substatus: 'ongoing',
    });
  });

  it('records no release for a plain resolve', () => {
    expect(resolved(false, '2.0')).toMatchObject({
      status: 'resolved',
      resolved_in_next_release: false,
      resolved_release: null,
    });
  });
});
