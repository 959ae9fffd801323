import { fingerprintOf } from './fingerprint';

describe('fingerprintOf', () => {
  it('is 16 lower-case hex characters', () => {
    expect(fingerprintOf({ alertname: 'HighErrorRate' })).toMatch(/^[0-9a-f]{16}$/);
  });

  it('does not depend on the order of the labels', () => {
    const a = fingerprintOf({ alertname: 'HighErrorRate', service: 'shop', severity: 'critical' });
    const b = fingerprintOf({ severity: 'critical', service: 'shop', alertname: 'HighErrorRate' });
    expect(a).toBe(b);
  });

  it('changes when any label name or value changes', () => {
    const base = fingerprintOf({ alertname: 'HighErrorRate', service: 'shop' });
    expect(fingerprintOf({ alertname: 'HighErrorRate', service: 'billing' })).not.toBe(base);
    expect(fingerprintOf({ alertname: 'HighErrorRate', job: 'shop' })).not.toBe(base);
    expect(fingerprintOf({ alertname: 'HighErrorRate' })).not.toBe(base);
  });

  it('does not confuse label boundaries', () => {
    expect(fingerprintOf({ a: 'bc' })).not.toBe(fingerprintOf({ ab: 'c' }));
    expect(fingerprintOf({ a: 'b', c: 'd' })).not.toBe(fingerprintOf({ a: 'bcd' }));
  });
});
