import { createRedactor } from './index';

describe('Redactor.counting', () => {
  it('counts each replaced value by kind across the calls made inside, and nothing outside', () => {
    const redactor = createRedactor();
    const { result, counts } = redactor.counting(() => [
      redactor.redactString('mail a@example.com or b@example.org, call +8801712345678'),
      redactor.redact({ password: 'hunter2-x', note: 'from 203.0.113.5' }),
    ]);
    expect(result[0]).toBe('mail [REDACTED:email] or [REDACTED:email], call [REDACTED:phone]');
    expect(counts).toEqual({ email: 2, phone: 1, secret: 1, ipv4: 1 });
    // After the call the observer is gone: a later call is not counted into the old record.
    redactor.redactString('c@example.com');
    expect(counts.email).toBe(2);
  });

  it('counts an e-mail used as a key every time it is met (such keys are not cached)', () => {
    const redactor = createRedactor();
    const event = { 'rahim@example.com': 1 };
    const first = redactor.counting(() => redactor.redact(event));
    const second = redactor.counting(() => redactor.redact(event));
    expect(first.counts).toEqual({ email: 1 });
    expect(second.counts).toEqual({ email: 1 });
  });

  it('stops counting when the work throws', () => {
    const redactor = createRedactor();
    expect(() =>
      redactor.counting(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    const { counts } = redactor.counting(() => redactor.redactString('x a@example.com'));
    expect(counts).toEqual({ email: 1 });
  });
});
