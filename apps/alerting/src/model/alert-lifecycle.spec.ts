import type { AlertState, IncomingAlert } from './alert';
import { applyIncoming, expire } from './alert-lifecycle';

const TIMEOUT_MS = 300_000;
const now = new Date('2026-11-22T10:00:00.000Z');
const at = (offsetS: number) => new Date(now.getTime() + offsetS * 1000);
const incoming = (overrides: Partial<IncomingAlert> = {}): IncomingAlert => ({
  labels: { alertname: 'HighErrorRate', severity: 'critical' },
  annotations: { summary: 'errors' },
  ...overrides,
});
const state = (overrides: Partial<AlertState> = {}): AlertState => ({
  fingerprint: 'fp',
  labels: { alertname: 'HighErrorRate', severity: 'critical' },
  annotations: {},
  generatorURL: null,
  startsAt: at(-600),
  endsAt: at(60),
  status: 'firing',
  ...overrides,
});

describe('applyIncoming', () => {
  it('fires a new alert until now + resolve timeout when endsAt is missing', () => {
    const { next, transition } = applyIncoming('fp', null, incoming(), now, TIMEOUT_MS);
    expect(next).toMatchObject({ status: 'firing', startsAt: now, endsAt: at(300), generatorURL: null });
    expect(transition).toBe(true);
  });

  it('keeps the earliest startsAt and reports no transition when a firing alert is re-sent', () => {
    const previous = state();
    const { next, transition } = applyIncoming(
      'fp',
      previous,
      incoming({ startsAt: at(-10) }),
      now,
      TIMEOUT_MS,
    );
    expect(next.startsAt).toEqual(previous.startsAt);
    expect(next.endsAt).toEqual(at(300));
    expect(transition).toBe(false);
  });

  it('resolves a firing alert re-sent with an endsAt in the past', () => {
    const { next, transition } = applyIncoming('fp', state(), incoming({ endsAt: at(-1) }), now, TIMEOUT_MS);
    expect(next.status).toBe('resolved');
    expect(next.startsAt).toEqual(at(-600));
    expect(transition).toBe(true);
  });

  it('starts a new episode when a resolved alert fires again', () => {
    const previous = state({ endsAt: at(-120), status: 'resolved' });
    const { next, transition } = applyIncoming(
      'fp',
      previous,
      incoming({ startsAt: at(-5) }),
      now,
      TIMEOUT_MS,
    );
    expect(next).toMatchObject({ status: 'firing', startsAt: at(-5) });
    expect(transition).toBe(true);
  });

  it('stores an alert that arrives already resolved without a transition, starting at its endsAt', () => {
    const { next, transition } = applyIncoming('fp', null, incoming({ endsAt: at(-30) }), now, TIMEOUT_MS);
    expect(next).toMatchObject({ status: 'resolved', startsAt: at(-30), endsAt: at(-30) });
    expect(transition).toBe(false);
  });
});

describe('expire', () => {
  it('resolves a firing alert whose endsAt has passed', () => {
    expect(expire(state({ endsAt: at(-1) }), now)).toEqual({
      next: expect.objectContaining({ status: 'resolved' }),
      transition: true,
    });
  });

  it('leaves alerts still firing, or already resolved, alone', () => {
    expect(expire(state(), now)).toBeNull();
    expect(expire(state({ endsAt: at(-1), status: 'resolved' }), now)).toBeNull();
  });
});
