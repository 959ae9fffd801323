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

describe('fingerprintOf, pinned', () => {
  it('keeps the fingerprints already stored (sha256 of name 0xff value 0xff, sorted by name)', () => {
    expect(fingerprintOf({ severity: 'critical', alertname: 'HighErrorRate', service: 'shop' })).toBe(
      '1f4032bea92554ff',
    );
    expect(fingerprintOf({ alertname: 'Zürich ☃ 日本', x: '' })).toBe('dbdc64308b800de8');
  });
});
